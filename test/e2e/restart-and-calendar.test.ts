import { afterAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, getProject, review, submitted } from '../support/scenario.ts';

let server: Running | undefined;
afterAll(async () => server?.stop());

describe('a restart in the middle of a publicity window', () => {
  it('keeps the data and the clock, and the window still closes on time', async () => {
    // Prepare
    server = await startProduct();
    let api = new Api(server.baseUrl);
    await api.setClock('2025-09-23T10:00:00+08:00');
    let a = await actors(api);
    const id = await submitted(api, a);
    await review(api, a, id);
    await api.advance('P3D');

    // Act
    await server.stop();
    server = await startProduct({ dataDir: server.dataDir });
    api = new Api(server.baseUrl);
    a = await actors(api);
    const clockAfter = (await api.call('GET', '/local/clock')).body.now;
    const during = await getProject(api, a.community, id);
    await api.advance('P5D');
    const after = await getProject(api, a.community, id);

    // Assess
    expect(clockAfter).toBe('2025-09-26T02:00:00.000Z');
    expect(during.status).toBe('IN_PUBLICITY');
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.deadlines.approvalDueAt).toBe('2025-10-14T23:59:59+08:00');
    const approved = await api.call('POST', `/v1/projects/${id}/approval`, {
      token: a.street,
      body: { decision: 'reject', comment: '重启后仍可审批' },
    });
    expect(approved.body.status).toBe('REJECTED');
  });
});

describe('holiday calendars', () => {
  it('ships 2025 and 2026, loads a new year, refuses a bad one, and warns when a deadline falls in a year without one', async () => {
    server ??= await startProduct();
    const api = new Api(server.baseUrl);
    const a = await actors(api);

    const y2025 = await api.call('GET', '/v1/calendar/2025', { token: a.community });
    expect(y2025.body.holidays).toContain('2025-10-08');
    expect(y2025.body.workdays).toContain('2025-10-11');
    expect((await api.call('GET', '/v1/calendar/2031', { token: a.community })).status).toBe(404);

    const bad = await api.call('PUT', '/v1/calendar/2031', {
      token: a.district,
      body: { holidays: ['2031-13-01'], workdays: [], source: '测试' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toMatch(/^holidays/);
    const byStreet = await api.call('PUT', '/v1/calendar/2031', {
      token: a.street,
      body: { holidays: [], workdays: [], source: '测试' },
    });
    expect(byStreet.status).toBe(403);

    // A project submitted late in 2026 has its review due in 2027, for which no calendar is loaded.
    const t = (await api.call('GET', '/local/clock')).body.now;
    if (Date.parse(t) < Date.parse('2026-12-30T10:00:00+08:00')) await api.setClock('2026-12-30T10:00:00+08:00');
    await api.call('PUT', `/v1/allocations/2026/${DEMO.community}`, {
      token: a.district,
      body: { amountFen: 100_000, sources: [{ funder: '区财政', amountFen: 100_000 }] },
    });
    const id = await submitted(api, a, { year: 2026, amountFen: 50_000, plannedEnd: '2026-12-31' });
    const p = await getProject(api, a.community, id);
    expect(p.warnings?.join(' ')).toContain('2027');

    const loaded = await api.call('PUT', '/v1/calendar/2027', {
      token: a.district,
      body: { holidays: ['2027-01-01'], workdays: [], source: '国务院办公厅通知（测试）' },
    });
    expect(loaded.status).toBe(200);
    expect((await api.call('GET', '/v1/calendar/2027', { token: a.auditor })).body.holidays).toEqual(['2027-01-01']);
  });
});

describe('allocation floors of the policy', () => {
  it('flags an urban community allocation below the profile minimum, and not one above it', async () => {
    server ??= await startProduct();
    const api = new Api(server.baseUrl);
    const a = await actors(api);
    const low = await api.call('PUT', `/v1/allocations/2026/${DEMO.foreignCommunity}`, {
      token: a.district,
      body: { amountFen: 100, sources: [{ funder: '区财政', amountFen: 100 }] },
    });
    const enough = await api.call('PUT', `/v1/allocations/2026/${DEMO.community}`, {
      token: a.district,
      body: { amountFen: 20_000_000, sources: [{ funder: '区财政', amountFen: 20_000_000 }] },
    });
    const unbalanced = await api.call('PUT', `/v1/allocations/2026/${DEMO.foreignCommunity}`, {
      token: a.district,
      body: { amountFen: 20_000_000, sources: [{ funder: '区财政', amountFen: 19_999_999 }] },
    });

    expect(low.status).toBe(200);
    expect(low.body.warnings[0]).toContain('allocation.minimum');
    expect(enough.body.warnings).toBeUndefined();
    expect(unbalanced.status).toBe(422);
    expect(unbalanced.body.errors[0].path).toBe('sources');
  });
});
