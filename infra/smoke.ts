/*
 * After `cdk deploy`: checks the deployed API from outside, as a district's IT team would.
 * Never run by CI or `npm test` (it needs a deployed stack and real Cognito tokens).
 *
 *   npx tsx infra/smoke.ts --api https://<id>.execute-api.<region>.amazonaws.com.cn \
 *     --token <a district user's ID token> [--year 2025] \
 *     [--community-token <a TEST community user's ID token> --community-id <its org unit>]
 *
 * Without --community-token it only reads. With it, it writes one draft project in that
 * community and withdraws it (a withdrawn draft is kept, as every record is): this reaches
 * the table for writing and Step Functions' StartExecution from the API function.
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    api: { type: 'string' },
    token: { type: 'string' },
    year: { type: 'string' },
    'community-token': { type: 'string' },
    'community-id': { type: 'string' },
  },
});
if (!values.api || !values.token) {
  console.error(
    'usage: npx tsx infra/smoke.ts --api <API URL> --token <district ID token> [--year YYYY] [--community-token T --community-id ID]',
  );
  process.exit(2);
}
const base = values.api.replace(/\/$/, '');
const year = Number(values.year ?? new Date().getFullYear());
let failed = 0;

const call = async (method: string, path: string, token?: string, body?: unknown) => {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
};

const check = async (what: string, run: () => Promise<{ status: number; body: any }>, expected: number) => {
  const r = await run();
  const ok = r.status === expected;
  if (!ok) failed++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${what}: ${r.status}${ok ? '' : ` (expected ${expected}) ${JSON.stringify(r.body).slice(0, 300)}`}`,
  );
  return r;
};

await check('the API description is public (openapi function, no token)', () => call('GET', '/v1/openapi.json'), 200);
await check('the public org tree reads the table (org function)', () => call('GET', '/v1/public/org'), 200);
await check('a staff route refuses a missing token (JWT authorizer)', () => call('GET', '/v1/org'), 401);
await check(
  'the district token is accepted by the JWT authorizer (Cognito issuer and audience)',
  () => call('GET', '/v1/org', values.token),
  200,
);
await check(
  `the ${year} calendar is readable (calendar function)`,
  () => call('GET', `/v1/calendar/${year}`, values.token),
  200,
);
await check(
  `the ${year} allocations are readable (allocations function)`,
  () => call('GET', `/v1/allocations/${year}`, values.token),
  200,
);
await check(
  'the summary report is readable (reports function)',
  () => call('GET', `/v1/reports/summary?year=${year}`, values.token),
  200,
);
await check('the audit trail is readable (audit function)', () => call('GET', '/v1/audit', values.token), 200);

if (values['community-token'] && values['community-id']) {
  const t = values['community-token'];
  const draft = await check(
    'a test community writes a draft (projects function, table write)',
    () =>
      call('POST', '/v1/projects', t, {
        communityId: values['community-id'],
        year,
        title: '部署冒烟测试（可忽略）',
        category: 'public_welfare',
        type: 'service',
        amountFen: 100,
        delivery: 'self',
        measures: '部署后检查，随即撤回',
        plannedEnd: `${year}-12-15`,
        needIds: [],
      }),
    201,
  );
  if (draft.status === 201) {
    await check(
      'it withdraws the draft (workflowActions function: table write, states:StartExecution)',
      () => call('POST', `/v1/projects/${draft.body.id}/withdraw`, t, { reason: '部署冒烟测试' }),
      200,
    );
  }
}

console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
process.exit(failed ? 1 : 0);
