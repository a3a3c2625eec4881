import { createHash, randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';

/**
 * Who asked for a keyed command and where: a retry with the same Idempotency-Key comes
 * with the same scope, a different caller (or the same key on another route) never does.
 */
export interface IdempotencyScope {
  /** The caller as the key is bound to: sub, role and unit (or the client address for public routes). */
  caller: readonly string[];
  /** The route key, e.g. `POST /v1/projects/{id}/deliberations`. */
  route: string;
  /** The concrete path, so the same key on two projects is two commands. */
  path: string;
  /** The client's Idempotency-Key. */
  key: string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// ulid's own generator asks the operating system for one byte per character (16 a record);
// a pool of bytes asks once per 256 records. A byte ÷ 256 picks each of the 32 symbols evenly.
const randomBytes = Buffer.alloc(4096);
let nextByte = randomBytes.length;
const pooledRandom = (): number => {
  if (nextByte === randomBytes.length) {
    randomFillSync(randomBytes);
    nextByte = 0;
  }
  return randomBytes.readUInt8(nextByte++) / 256;
};

/**
 * The id of the record a command adds. Without a key it is a fresh ULID. With one it is
 * derived from the scope, so that a command re-run after a crash (its idempotency record
 * lost or expired) finds the record it added the first time instead of adding a second.
 * 26 Crockford base32 characters like a ULID, but not time-ordered: lists sort by their
 * timestamps, never by these ids.
 */
export const recordId = (scope: IdempotencyScope | undefined): string => {
  if (!scope) return ulid(undefined, pooledRandom);
  // JSON keeps the parts apart: no choice of sub or key can make two scopes hash alike.
  const digest = createHash('sha256')
    .update(JSON.stringify([scope.caller, scope.route, scope.path, scope.key]))
    .digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += CROCKFORD[digest[i] & 31];
  return out;
};
