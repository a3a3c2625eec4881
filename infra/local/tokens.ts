import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './durableFile.ts';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';

type Key = Awaited<ReturnType<typeof importJWK>>;

export const LOCAL_ISSUER = 'community-fund-local';
export const LOCAL_AUDIENCE = 'community-fund-api';

/**
 * The local token issuer. Its key is made on first start and kept in the data dir, so
 * tokens survive a restart. Verification checks what API Gateway's JWT authorizer
 * checks: signature, issuer, audience, expiry.
 */
export class LocalTokens {
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
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: ['ES256'],
      });
      return payload as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}
