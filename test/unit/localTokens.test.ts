import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalTokens } from '../../infra/local/tokens.ts';

const freshIssuer = () => LocalTokens.inDir(mkdtempSync(join(tmpdir(), 'cf-tokens-')));
const claims = { sub: 'u-1', role: 'street', orgUnitId: 'S01' };

describe('the local token issuer, standing in for the API gateway authorizer', () => {
  afterEach(() => vi.useRealTimers());

  it('accepts a token it issued, again and again, with the claims it signed', async () => {
    // Prepare
    const tokens = await freshIssuer();
    const token = await tokens.issue(claims);

    // Act
    const first = await tokens.verify(token);
    const second = await tokens.verify(token);

    // Assess
    expect(first).toMatchObject({ sub: 'u-1', role: 'street', orgUnitId: 'S01' });
    expect(second).toEqual(first);
  });

  it('refuses a token whose payload was changed after a valid one was accepted', async () => {
    // Prepare
    const tokens = await freshIssuer();
    const token = await tokens.issue(claims);
    await tokens.verify(token);
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()), role: 'district' }),
    ).toString('base64url');

    // Act
    const forged = await tokens.verify(`${header}.${forgedPayload}.${signature}`);

    // Assess
    expect(forged).toBeUndefined();
  });

  it('refuses a token another issuer signed, though it carries the same claims', async () => {
    // Prepare
    const tokens = await freshIssuer();
    const stranger = await (await freshIssuer()).issue(claims);

    // Act
    const claimsOfStranger = await tokens.verify(stranger);

    // Assess
    expect(claimsOfStranger).toBeUndefined();
  });

  it('refuses a token once it has expired, also when it was accepted before', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-02T08:00:00Z'));
    const tokens = await freshIssuer();
    const token = await tokens.issue(claims);
    expect(await tokens.verify(token)).toBeDefined();

    // Act
    vi.setSystemTime(new Date('2026-12-02T20:00:01Z'));
    const late = await tokens.verify(token);

    // Assess
    expect(late).toBeUndefined();
  });
});
