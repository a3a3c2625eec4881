import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, projectBody, type Actors } from '../support/scenario.ts';

/*
 * Writers that arrive at the same moment, over HTTP against the local product: writers of
 * different keys must all survive, writers of the same key must leave one of their
 * writes whole. And the default year of a request is the Shanghai fund year.
 */
let server: Running;
let api: Api;
let a: Actors;

// 07:00 in Shanghai on 1 January 2026 is still 31 December 2025 in UTC.
const SHANGHAI_NEW_YEAR_MORNING = '2026-01-01T07:00:00+08:00';

beforeAll(async () => {
  server = await startProduct();
  api = new Api(server.baseUrl);
  expect((await api.setClock(SHANGHAI_NEW_YEAR_MORNING)).status).toBe(200);
  a = await actors(api);
});

afterAll(async () => server?.stop());

const calendarOf = (year: number, holiday: string) => ({
  holidays: [holiday],
  workdays: [],
  source: `国务院办公厅关于${year}年部分节假日安排的通知（测试）`,
});

describe('holiday calendars loaded at the same moment', () => {
  it('keeps every year when ten years are loaded at once, and one whole write of a year loaded six ways', async () => {
    // Prepare
    const years = Array.from({ length: 10 }, (_, i) => 2027 + i);
    const sameYearDays = ['2040-01-01', '2040-02-01', '2040-03-02', '2040-04-04', '2040-05-01', '2040-06-15'];

    // Act: all sixteen writes at once
    const puts = await Promise.all([
      ...years.map((y) =>
        api.call('PUT', `/v1/calendar/${y}`, { token: a.district, body: calendarOf(y, `${y}-01-01`) }),
      ),
      ...sameYearDays.map((d) =>
        api.call('PUT', '/v1/calendar/2040', { token: a.district, body: calendarOf(2040, d) }),
      ),
    ]);

    // Assess
    expect(puts.map((r) => r.status)).toEqual(puts.map(() => 200));
    const gets = await Promise.all(years.map((y) => api.call('GET', `/v1/calendar/${y}`, { token: a.auditor })));
    expect(gets.map((r) => r.status)).toEqual(years.map(() => 200));
    expect(gets.map((r) => r.body.holidays)).toEqual(years.map((y) => [`${y}-01-01`]));
    const first = await api.call('GET', '/v1/calendar/2040', { token: a.auditor });
    const again = await api.call('GET', '/v1/calendar/2040', { token: a.auditor });
    expect(first.status).toBe(200);
    expect(sameYearDays.map((d) => [d])).toContainEqual(first.body.holidays);
    expect(first.body.source).toBe(calendarOf(2040, first.body.holidays[0]).source);
    expect(again.body).toEqual(first.body);
  });
});

describe('edits of one project at the same moment', () => {
  it('applies every edit of a different field, and records each once', async () => {
    // Prepare
    const created = await api.call('POST', '/v1/projects', {
      token: a.community,
      body: projectBody({ year: 2026, plannedEnd: '2026-11-30' }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const edits = [
      { title: '路灯维修（修订）' },
      { measures: '更换24盏路灯' },
      { plannedEnd: '2026-10-31' },
      { amountFen: 2_800_000 },
      { cofunding: [{ source: '居民自筹', amountFen: 100_000 }] },
    ];

    // Act
    const replies = await Promise.all(
      edits.map((body) => api.call('PATCH', `/v1/projects/${id}`, { token: a.community, body })),
    );

    // Assess
    expect(replies.map((r) => r.status)).toEqual(edits.map(() => 200));
    const after = (await api.call('GET', `/v1/projects/${id}`, { token: a.community })).body;
    for (const e of edits) expect(after).toMatchObject(e);
    const history = (await api.call('GET', `/v1/projects/${id}/history`, { token: a.community })).body.items;
    expect(history.filter((e: { action: string }) => e.action === 'edited')).toHaveLength(edits.length);
  });
});

describe('the default year at 07:00 on 1 January in Shanghai', () => {
  it('is 2026 for a need recorded without a year, and the needs list without a year shows it', async () => {
    // Prepare
    expect((await api.call('GET', '/local/clock')).body.now).toBe('2025-12-31T23:00:00.000Z');

    // Act
    const need = await api.call('POST', `/v1/communities/${DEMO.community}/needs`, {
      token: a.community,
      body: { title: '元旦走访：楼道照明', description: '居民反映楼道灯不亮', channel: 'visit' },
    });
    const listed = await api.call('GET', `/v1/communities/${DEMO.community}/needs`, { token: a.community });

    // Assess
    expect(need.status).toBe(201);
    expect(need.body.year).toBe(2026);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((n: { id: string }) => n.id)).toContain(need.body.id);
  });
});
