import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startProduct, type Running } from '../support/localServer.ts';
import { actors, DEMO, getProject, review, submitted, type Actors } from '../support/scenario.ts';

/*
 * Guandu, a project reviewed on Sat 2025-09-20: publicity until 09-27 23:59:59, then
 * AWAITING_APPROVAL from 09-28 (a make-up working day). Five working days after it,
 * skipping the National Day holiday: 09-29, 09-30, 10-09, 10-10, 10-11 (make-up
 * Saturday). The profile reminds 2 working days before (10-09) and on the day (10-11);
 * the deadline passes at 10-12 00:00 (escalation 1), the next one five working days
 * later at 10-18 00:00 (escalation 2).
 */
const APPROVAL_DUE = '2025-10-11T23:59:59+08:00';
const STAFF = {
  street: { phone: '13912340001', email: 'street.staff@example.org' },
  community: { phone: '13912340002', email: 'community.staff@example.org' },
  district: { phone: '13912340003', email: 'district.staff@example.org' },
};
const DUTY = { street: '13800000100', community: '13800002000', district: '13800000000' };

interface OutboxItem {
  channel: 'sms' | 'email';
  to: string;
  template: string;
  subject?: string;
  text: string;
  sentAt: string;
  idempotencyKey: string;
}

const shanghaiDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

const outbox = async (api: Api): Promise<OutboxItem[]> => {
  const r = await api.call('GET', '/local/outbox');
  expect(r.status).toBe(200);
  return r.body;
};

/** The messages of one project (keys start with its id), of one template, to one address. */
const sent = (items: OutboxItem[], id: string, template: string, to?: string) =>
  items.filter(
    (m) => m.idempotencyKey.startsWith(`${id}#`) && m.template === template && (to === undefined || m.to === to),
  );

const history = async (api: Api, token: string, id: string) =>
  (await api.call('GET', `/v1/projects/${id}/history`, { token })).body.items as any[];

const startWithContacts = async (): Promise<{ server: Running; api: Api; a: Actors }> => {
  const server = await startProduct();
  const api = new Api(server.baseUrl);
  expect((await api.setClock('2025-09-20T09:00:00+08:00')).status).toBe(200);
  const a = await actors(api);
  const alloc = await api.call('PUT', `/v1/allocations/2025/${DEMO.community}`, {
    token: a.district,
    body: { amountFen: 20_000_000, sources: [{ funder: '区财政', amountFen: 20_000_000 }] },
  });
  expect(alloc.status).toBe(200);
  for (const [token, contact] of [
    [a.street, STAFF.street],
    [a.community, STAFF.community],
    [a.district, STAFF.district],
  ] as const) {
    const r = await api.call('PUT', '/v1/me/contact', { token, body: contact });
    expect(r.status).toBe(200);
  }
  return { server, api, a };
};

const advanceUntil = async (api: Api, step: string, until: string) => {
  let now = (await api.call('GET', '/local/clock')).body.now as string;
  while (Date.parse(now) < Date.parse(until)) now = await api.advance(step);
};

describe('deadline reminders and escalation, the clock moved in 6-hour steps', () => {
  let server: Running;
  let api: Api;
  let a: Actors;
  let id: string;

  beforeAll(async () => {
    ({ server, api, a } = await startWithContacts());
    id = await submitted(api, a);
    expect((await review(api, a, id)).status).toBe(200);
  });
  afterAll(async () => server?.stop());

  it('announces the publicity to the community: its start once, its end on the reminder days', async () => {
    // Act
    await advanceUntil(api, 'PT6H', '2025-09-28T03:00:00+08:00');
    const items = await outbox(api);

    // Assess
    const starts = sent(items, id, 'publicityStart', STAFF.community.phone);
    expect(starts).toHaveLength(1);
    // Announced by the review that opened the window (Sat 09-20 09:00), not by the next morning's sweep.
    expect(shanghaiDay(starts[0]!.sentAt)).toBe('2025-09-20');
    expect(starts[0]!.text).toContain('老旧小区路灯维修');
    expect(starts[0]!.text).toContain('2025年9月27日23:59');
    // 09-27 is a Saturday: two working days before it are 09-26 and 09-25.
    expect(sent(items, id, 'publicityEnd', STAFF.community.phone).map((m) => shanghaiDay(m.sentAt))).toEqual([
      '2025-09-25',
      '2025-09-27',
    ]);
    expect(sent(items, id, 'publicityEnd', DUTY.community)).toHaveLength(2);
    expect(sent(items, id, 'publicityEnd', STAFF.street.phone)).toHaveLength(0);
  });

  it('reminds the street before the due day and on it, then escalates to the district once the deadline passed', async () => {
    // Prepare
    const waiting = await getProject(api, a.street, id);
    expect(waiting.status).toBe('AWAITING_APPROVAL');
    expect(waiting.deadlines.approvalDueAt).toBe(APPROVAL_DUE);

    // Act
    await advanceUntil(api, 'PT6H', '2025-10-11T20:00:00+08:00');
    const beforeDeadline = await outbox(api);
    await advanceUntil(api, 'PT6H', '2025-10-12T06:00:00+08:00');
    const afterDeadline = await outbox(api);

    // Assess
    const toStreet = sent(beforeDeadline, id, 'approval', STAFF.street.phone);
    expect(toStreet.map((m) => shanghaiDay(m.sentAt))).toEqual(['2025-10-09', '2025-10-11']);
    expect(toStreet[0]!.text).toContain('老旧小区路灯维修');
    expect(toStreet[0]!.text).toContain('项目审批');
    expect(toStreet[0]!.text).toContain('2025年10月11日23:59');
    const mail = sent(beforeDeadline, id, 'approval', STAFF.street.email);
    expect(mail).toHaveLength(2);
    expect(mail[0]!.channel).toBe('email');
    expect(mail[0]!.subject).toContain('老旧小区路灯维修');
    expect(sent(beforeDeadline, id, 'approval', DUTY.street)).toHaveLength(2);
    expect(sent(beforeDeadline, id, 'approval', STAFF.community.phone)).toHaveLength(0);
    expect(sent(beforeDeadline, id, 'escalation')).toHaveLength(0);

    const escalations = sent(afterDeadline, id, 'escalation', STAFF.district.phone);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.sentAt).toBe('2025-10-11T16:00:00.000Z');
    expect(escalations[0]!.text).toContain('2025年10月11日23:59');
    expect(sent(afterDeadline, id, 'escalation', DUTY.district)).toHaveLength(1);
    expect(sent(afterDeadline, id, 'escalation', STAFF.district.email)).toHaveLength(1);
    expect(sent(afterDeadline, id, 'approval')).toHaveLength(sent(beforeDeadline, id, 'approval').length);
  });

  it('sends nothing twice over ten-day steps; the project still waits and can be approved', async () => {
    // Act
    await api.advance('P10D');
    await api.advance('P10D');
    const items = await outbox(api);
    const still = await getProject(api, a.street, id);
    const approved = await api.call('POST', `/v1/projects/${id}/approval`, {
      token: a.street,
      body: { decision: 'approve', comment: '同意' },
    });
    const events = await history(api, a.auditor, id);

    // Assess
    const ours = items.filter((m) => m.idempotencyKey.startsWith(`${id}#`));
    expect(new Set(ours.map((m) => m.idempotencyKey)).size).toBe(ours.length);
    expect(sent(items, id, 'approval', STAFF.street.phone)).toHaveLength(2);
    // The second escalation, one approval window after the first deadline (10-17 end), to the district again.
    expect(sent(items, id, 'escalation', STAFF.district.phone).map((m) => m.sentAt)).toEqual([
      '2025-10-11T16:00:00.000Z',
      '2025-10-17T16:00:00.000Z',
    ]);
    expect(still.status).toBe('AWAITING_APPROVAL');
    expect(approved.status).toBe(200);
    expect(['APPROVED', 'IN_PROGRESS']).toContain(approved.body.status);

    const reminders = events.filter((e) => e.action === 'reminder_sent');
    expect(reminders.filter((e) => e.details.kind === 'approval').map((e) => e.details.offset)).toEqual([2, 0]);
    expect(reminders.filter((e) => e.details.kind === 'escalation').map((e) => e.details.level)).toEqual([1, 2]);
    expect(reminders.filter((e) => e.details.kind === 'publicityStart')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'escalated').map((e) => e.details.level)).toEqual([1, 2]);
    for (const e of reminders) {
      expect(e.actor.sub).toBe('system');
      expect(e.details.messages).toBeGreaterThan(0);
    }
  });
});

describe('the opening of a publicity window, announced by the review that opens it', () => {
  let server: Running;
  let api: Api;
  let a: Actors;

  beforeAll(async () => ({ server, api, a } = await startWithContacts()));
  afterAll(async () => server?.stop());

  it('is queued by the review and recorded in its write: the sweeps after it send it again to no one and write nothing for it', async () => {
    // Prepare
    const id = await submitted(api, a);
    const before = await getProject(api, a.street, id);

    // Act
    const reviewed = await review(api, a, id);
    const atReview = await outbox(api);
    // Two daily sweeps (09-21 and 09-22 at 08:00) run; no other reminder falls due before 09-25.
    await api.advance('P2D');
    const afterSweeps = await outbox(api);
    const after = await getProject(api, a.street, id);
    const events = await history(api, a.auditor, id);

    // Assess
    expect(reviewed.status).toBe(200);
    const starts = sent(atReview, id, 'publicityStart');
    // The community's staff and its duty line, each by SMS and by email.
    expect(starts.map((m) => m.to).sort()).toEqual(
      [STAFF.community.phone, STAFF.community.email, DUTY.community, 'duty-gd-gdjd-xh@example.org'].sort(),
    );
    expect(sent(afterSweeps, id, 'publicityStart')).toEqual(starts);
    // The review's write is the only write of the project: the opening needs none of its own.
    expect(after.version).toBe(before.version + 1);
    const openings = events.filter((e) => e.action === 'reminder_sent' && e.details.kind === 'publicityStart');
    expect(openings).toHaveLength(1);
    expect(openings[0].at).toBe(events.find((e) => e.action === 'review_passed').at);
    expect(openings[0].details.messages).toBe(starts.length);
  });
});

describe('deadline reminders with the clock moved in ten-day steps', () => {
  let server: Running;
  let api: Api;
  let a: Actors;

  beforeAll(async () => ({ server, api, a } = await startWithContacts()));
  afterAll(async () => server?.stop());

  it('sends each reminder and escalation once, on the same days as small steps would', async () => {
    // Prepare
    const id = await submitted(api, a);
    await review(api, a, id);

    // Act
    for (let i = 0; i < 3; i++) await api.advance('P10D');
    const items = await outbox(api);
    const events = await history(api, a.auditor, id);

    // Assess
    expect(sent(items, id, 'publicityStart', STAFF.community.phone)).toHaveLength(1);
    expect(sent(items, id, 'approval', STAFF.street.phone).map((m) => shanghaiDay(m.sentAt))).toEqual([
      '2025-10-09',
      '2025-10-11',
    ]);
    expect(sent(items, id, 'escalation', STAFF.district.phone).map((m) => m.sentAt)).toEqual([
      '2025-10-11T16:00:00.000Z',
      '2025-10-17T16:00:00.000Z',
    ]);
    expect(events.filter((e) => e.action === 'reminder_sent' && e.details.kind === 'approval')).toHaveLength(2);
    expect((await getProject(api, a.street, id)).status).toBe('AWAITING_APPROVAL');
  });
});

describe('PUT /v1/me/contact', () => {
  let server: Running;
  let api: Api;
  let a: Actors;

  beforeAll(async () => {
    server = await startProduct();
    api = new Api(server.baseUrl);
    a = await actors(api);
  });
  afterAll(async () => server?.stop());

  it('stores a mainland mobile and an email and answers with them', async () => {
    // Act
    const r = await api.call('PUT', '/v1/me/contact', {
      token: a.street,
      body: { phone: '13800138000', email: 'Staff@Example.org' },
    });

    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      phone: '13800138000',
      email: 'staff@example.org',
      role: 'street',
      orgUnitId: DEMO.street,
    });
  });

  it.each([
    [{ phone: '12800138000' }, 'phone'],
    [{ phone: '1380013800' }, 'phone'],
    [{ phone: '+8613800138000' }, 'phone'],
    [{ email: 'not-an-address' }, 'email'],
    [{ phone: '13800138000', email: 'a@b' }, 'email'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    // Act
    const r = await api.call('PUT', '/v1/me/contact', { token: a.community, body });

    // Assess
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.errors.map((e: any) => e.path)).toContain(field);
  });

  it('refuses an empty body and a missing token', async () => {
    // Act
    const empty = await api.call('PUT', '/v1/me/contact', { token: a.community, body: {} });
    const anonymous = await api.call('PUT', '/v1/me/contact', { body: { phone: '13800138000' } });

    // Assess
    expect(empty.status).toBe(400);
    expect(anonymous.status).toBe(401);
  });
});
