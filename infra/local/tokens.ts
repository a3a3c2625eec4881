import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './durableFile.ts';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';

type Key = Awaited<ReturnType<typeof importJWK>>;

export const LOCAL_ISSUER = 'community-fund-local';
export const LOCAL_AUDIENCE = 'community-fund-api';

/** Tokens whose signature was already checked; a district's staff is far fewer. */
const VERIFIED_CAPACITY = 4096;

/**
 * The local token issuer. Its key is made on first start and kept in the data dir, so
 * tokens survive a restart. Verification checks what API Gateway's JWT authorizer
 * checks: signature, issuer, audience, expiry.
 */
export class LocalTokens {
  /**
   * A token's signature, issuer and audience never change, so each token is verified
   * once (an ECDSA verification was ~7 % of the product's busy time) and only its expiry
   * is checked again. Oldest first out when full.
   */
  private readonly verified = new Map<string, Record<string, unknown>>();

  private constructor(
    private readonly privateKey: Key,
    private readonly publicKey: Key,
  ) {}

  static async inDir(dir: string): Promise<LocalTokens> {
    const file = join(dir, 'jwt-key.json');
    let jwk: JWK;
    if (existsSync(file)) {
      jwk = JSON.parse(readFileSync(file, 'utf8'));
    } else {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      jwk = await exportJWK(privateKey);
      writeFileAtomic(file, JSON.stringify(jwk), { mode: 0o600 });
    }
    const privateKey = (await importJWK(jwk, 'ES256')) as Key;
    const { d: _d, ...pub } = jwk;
    const publicKey = (await importJWK(pub, 'ES256')) as Key;
    return new LocalTokens(privateKey, publicKey);
  }

  /** Valid for 12 hours of real time, whatever the simulated clock says. */
  issue(claims: { sub: string; role: string; orgUnitId: string }): Promise<string> {
    return new SignJWT({ role: claims.role, orgUnitId: claims.orgUnitId, token_use: 'id' })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(this.privateKey);
  }

  async verify(token: string): Promise<Record<string, unknown> | undefined> {
    const known = this.verified.get(token);
    if (known) {
      if (unexpired(known)) return known;
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: ['ES256'],
      });
      if (this.verified.size >= VERIFIED_CAPACITY) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, payload as Record<string, unknown>);
      return payload as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}

/** The same expiry rule jose applies: `exp` is in seconds of real time. */
const unexpired = (payload: Record<string, unknown>): boolean =>
  typeof payload.exp === 'number' && payload.exp > Math.floor(Date.now() / 1000);
