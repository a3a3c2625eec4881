import { createHash } from 'node:crypto';

/**
 * The id of an objection sent with an Idempotency-Key: derived from the key, the project
 * and the sender's address, so a retry after a crash writes the same objection again
 * (and is refused by its own earlier write) instead of adding a second one. The address
 * is part of it so that one resident cannot guess and pre-empt another's key.
 */
export const objectionIdFor = (idempotencyKey: string, projectId: string, sourceIp: string): string =>
  'K' + createHash('sha256').update(`${projectId}\n${sourceIp}\n${idempotencyKey}`).digest('base64url').slice(0, 25);
