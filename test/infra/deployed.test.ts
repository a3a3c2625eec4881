import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal } from '../../infra/local/main.ts';
import { synthesizeTemplates } from '../../infra/local/deployed/harness.ts';
import type { Template } from '../../infra/local/deployed/template.ts';
import { ENTRY_METADATA } from '../../infra/stacks/function.ts';
import { Api } from '../support/localServer.ts';
import { actors, deliberate, DEMO, projectBody, review, type Actors } from '../support/scenario.ts';

/*
 * The product as deployed: every Lambda function of the synthesized app runs its own
 * handler with exactly the environment its template gives it, and every AWS SDK call it
 * makes is checked against its synthesized IAM policy (action and resource) before the
 * local stand-in answers. The app is synthesized once for this file (Liuzhou profile).
 */
const LIUZHOU_STEPS = ['residents_raise', 'two_committees_deliberation', 'residents_representatives_decision'];
type Local = Awaited<ReturnType<typeof startLocal>>;

const start = async (adjust?: (t: Record<string, Template>) => void) => {
  const local = await startLocal({
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'cf-deployed-')),
    profile: 'liuzhou',
    asDeployed: adjust ? { adjust } : true,
  });
  const api = new Api(`http://127.0.0.1:${local.port}`);
  expect((await api.setClock('2025-03-03T09:00:00+08:00')).status).toBe(200);
  return { local, api, a: await actors(api) };
};

/** Creates, deliberates, submits and reviews a project; the publicity window is left running. */
const toPublicity = async (api: Api, a: Actors, over: Record<string, unknown>) => {
  const created = await api.call('POST', '/v1/projects', {
    token: a.community,
    body: projectBody({ category: 'public_construction', ...over }),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  await deliberate(api, a.community, id, LIUZHOU_STEPS);
  expect((await api.call('POST', `/v1/projects/${id}/submit`, { token: a.community })).status).toBe(200);
  expect((await review(api, a, id)).status).toBe(200);
  return id;
};
const approve = (api: Api, a: Actors, id: string) =>
  api.call('POST', `/v1/projects/${id}/approval`, { token: a.street, body: { decision: 'approve', comment: '同意' } });
const accept = (api: Api, a: Actors, id: string, n: number) =>
  api.call('POST', `/v1/projects/${id}/tranches/${n}/acceptance`, {
    token: a.street,
    body: { passed: true, comment: '验收合格' },
  });
const allocate = (api: Api, a: Actors) =>
  api.call('PUT', `/v1/allocations/2025/${DEMO.community}`, {
    token: a.district,
    body: { amountFen: 20_000_000, sources: [{ funder: '市财政', amountFen: 20_000_000 }] },
  });

/** The role statements and environment of the function running `entry`, in a template to be adjusted. */
const functionIn = (templates: Record<string, Template>, entry: string) => {
  for (const t of Object.values(templates))
    for (const r of Object.values(t.Resources))
      if (r.Type === 'AWS::Lambda::Function' && r.Metadata?.[ENTRY_METADATA] === entry) {
        const roleId = r.Properties.Role['Fn::GetAtt'][0];
        const policies = Object.values(t.Resources).filter(
          (p) => p.Type === 'AWS::IAM::Policy' && p.Properties.Roles.some((x: { Ref: string }) => x.Ref === roleId),
        );
        return { fn: r, policies };
      }
  throw new Error(`no function runs ${entry}`);
};

beforeAll(async () => {
  await synthesizeTemplates('liuzhou');
}, 240_000);

describe('the Liuzhou year, every function as deployed', () => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    s = await start();
  }, 120_000);
  afterAll(async () => s?.local.stop());

  it('approves, escalates, reminds, delivers and fails the unfinished project at year end, waking its workflow, with no call outside any policy', async () => {
    const { api, a, local } = s;
    const deployed = local.deployed!;
    // Prepare: the year's money, an undertaker, three projects through publicity
    expect((await allocate(api, a)).status).toBe(200);
    const undertaker = await api.call('POST', '/v1/undertakers', {
      token: a.street,
      body: { name: '柳城社工服务中心', kind: 'social_org', creditCode: '52450200MJ0000011A' },
    });
    const lights = await toPublicity(api, a, { title: '背街小巷路灯安装', delivery: 'self', amountFen: 6_000_000 });
    const care = await toPublicity(api, a, {
      title: '长者日间照料服务',
      category: 'livelihood_service',
      type: 'service',
      delivery: 'social_org',
      amountFen: 8_000_000,
    });
    const waiting = await toPublicity(api, a, { title: '无人审批的项目', delivery: 'self', amountFen: 2_000_000 });
    await api.advance('P8D');

    // Act: approvals, a contract, staged acceptance; one approval left to escalate; then the year end
    const approvals = [await approve(api, a, lights), await approve(api, a, care)];
    await api.call('POST', `/v1/projects/${care}/contract`, {
      token: a.community,
      body: { undertakerId: undertaker.body.id, signedOn: '2025-03-14', amountFen: 8_000_000 },
    });
    const acceptances = [
      await accept(api, a, lights, 1),
      await accept(api, a, lights, 2),
      await accept(api, a, lights, 3),
      await accept(api, a, care, 1),
    ];
    await api.advance('P30D');
    const waitingHistory = (await api.call('GET', `/v1/projects/${waiting}/history`, { token: a.district })).body.items;
    const careWaitsBefore = local.isRunning(care);
    await api.setClock('2025-12-31T00:10:00+08:00');
    await api.advance('PT1H'); // the scheduled year-end check fires at 00:30
    const byHand = await api.call('POST', '/v1/year-end/2025', { token: a.district });
    const careAfter = (await api.call('GET', `/v1/projects/${care}`, { token: a.district })).body;
    const lightsAfter = (await api.call('GET', `/v1/projects/${lights}`, { token: a.district })).body;
    const outbox = (await api.call('GET', '/local/outbox')).body as { channel: string; template: string }[];

    // Assess: the scenario went as in AWS …
    expect(approvals.map((r) => r.status)).toEqual([200, 200]);
    expect(acceptances.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(lightsAfter.status).toBe('CLOSED');
    expect(waitingHistory.some((e: { action: string }) => e.action === 'escalated')).toBe(true);
    expect(byHand.status).toBe(200);
    expect(byHand.body.failedProjects.map((p: { id: string }) => p.id)).toEqual([care]);
    expect(careAfter.status).toBe('FAILED');
    expect(careWaitsBefore).toBe(true);
    expect(local.isRunning(care)).toBe(false);
    expect(outbox.length).toBeGreaterThan(0);
    expect(new Set(outbox.map((m) => m.channel))).toEqual(new Set(['sms', 'email']));
    // … with no denied call and no failed invocation …
    expect(deployed.denials).toEqual([]);
    expect(deployed.failures).toEqual([]);
    // … and each function doing its own part.
    const did = (fn: RegExp, action: string) => deployed.calls.some((c) => fn.test(c.function) && c.action === action);
    // Failing a project reroutes its parked step (no step's Next expects FAILED).
    expect(did(/Schedules\/YearEnd/, 'states:SendTaskFailure')).toBe(true);
    expect(did(/Api\/FnworkflowActions/, 'states:StartExecution')).toBe(true);
    expect(did(/Workflow\/Park/, 'dynamodb:UpdateItem')).toBe(true);
    expect(did(/Workflow\/Step/, 'sqs:SendMessage')).toBe(true);
    expect(did(/Schedules\/ReminderSweep/, 'sqs:SendMessage')).toBe(true);
    expect(did(/Notify\/Sender/, 'ses:SendEmail')).toBe(true);
    expect(did(/Notify\/Sender/, 'sms-voice:SendTextMessage')).toBe(true);
    // A whole year as deployed: 29-37 s alone, past the default 60 s on a machine shared by several suites.
  }, 150_000);
});

describe('a stack missing one grant or one variable', () => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    s = await start((templates) => {
      // The scheduled year-end check loses its task-token grant; the API's loses STATE_MACHINE_ARN;
      // the workflow actions keep SendTaskSuccess but lose SendTaskFailure (the reroute).
      for (const p of functionIn(templates, 'functions/jobs/yearEnd.ts').policies)
        p.Properties.PolicyDocument.Statement = p.Properties.PolicyDocument.Statement.filter(
          (st: { Action: unknown }) => ![st.Action].flat().includes('states:SendTaskSuccess'),
        );
      delete functionIn(templates, 'functions/api/yearEnd.ts').fn.Properties.Environment.Variables.STATE_MACHINE_ARN;
      for (const p of functionIn(templates, 'functions/api/workflowActions.ts').policies)
        for (const st of p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
          st.Action = [st.Action].flat().filter((a) => a !== 'states:SendTaskFailure');
    });
  }, 120_000);
  afterAll(async () => s?.local.stop());

  it('denies the reroute of a parked step to a function without SendTaskFailure, naming the function and the action', async () => {
    // Prepare: an outsourced project's window closed, its approval parked (its Next expects IN_PROGRESS)
    const { api, a, local } = s;
    expect((await allocate(api, a)).status).toBe(200);
    const care = await toPublicity(api, a, {
      title: '长者日间照料服务',
      category: 'livelihood_service',
      type: 'service',
      delivery: 'social_org',
      amountFen: 6_000_000,
    });
    await api.advance('P8D');

    // Act: the approval moves it to APPROVED, which the parked step does not continue with
    await approve(api, a, care);

    // Assess
    expect(local.deployed!.denials).toContainEqual({
      function: expect.stringMatching(/^CommunityFund-Api\/FnworkflowActions/),
      action: 'states:SendTaskFailure',
      resource: '*',
    });
    expect(local.deployed!.calls).toContainEqual(
      expect.objectContaining({ function: expect.stringMatching(/Workflow\/Park/), action: 'dynamodb:UpdateItem' }),
    );
    local.deployed!.denials.length = 0;
  });

  it('fails the year end, naming the function and the variable, then the function, the action and the resource', async () => {
    // Prepare: two projects under way at the year end
    const { api, a, local } = s;
    expect((await allocate(api, a)).status).toBe(200);
    const ids = [
      await toPublicity(api, a, { title: '项目一', delivery: 'self', amountFen: 6_000_000 }),
      await toPublicity(api, a, { title: '项目二', delivery: 'self', amountFen: 7_000_000 }),
    ];
    await api.advance('P8D');
    for (const id of ids) expect((await approve(api, a, id)).status).toBe(200);
    await api.setClock('2025-12-31T00:10:00+08:00');

    // Act: the check by hand (its function lacks the variable), then the scheduled one (it lacks the grant)
    // Plain fetch: a 500 is what this case expects, and the contract check refuses undocumented statuses.
    const byHand = await fetch(`${api.baseUrl}/v1/year-end/2025`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.district}` },
    });
    await api.advance('PT1H');

    // Assess
    expect(byHand.status).toBe(500);
    expect(local.deployed!.failures).toContainEqual({
      function: expect.stringMatching(/^CommunityFund-Api\/FnyearEnd/),
      error: 'STATE_MACHINE_ARN is not set',
    });
    expect(local.deployed!.denials).toEqual([
      {
        function: expect.stringMatching(/^CommunityFund-Schedules\/YearEnd/),
        action: 'states:SendTaskFailure',
        resource: '*',
      },
    ]);
  });
});
