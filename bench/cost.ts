import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WRITE_OPERATIONS, type LocalStatsSnapshot } from '../infra/local/stats.ts';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { FUNCTION_ARCHITECTURE, FUNCTION_MEMORY_MB, FUNCTION_TRACING } from '../infra/stacks/function.ts';
import { alarmMetricsBilled } from '../infra/stacks/observability-stack.ts';
import { WORKFLOW_TRACE_SAMPLING } from '../infra/stacks/workflow-stack.ts';

/*
 * The yearly AWS bill, from the operations counted in a district-year run
 * (bench/results.json) at the prices in bench/prices.json. Operations are counted per
 * project and scaled; what a deployment pays whatever its size (alarms, the queue's idle
 * polling, the schedules, the board's bucket, its staff's sign-ins) is shown apart.
 */

const root = resolve(import.meta.dirname, '..');

interface Price {
  usd: number | null;
  unit: string;
  source: string;
  published: string;
  /** Graduated prices: each band's price up to its upper bound. */
  tiers?: { upToMau: number; usd: number }[];
}

export interface Prices {
  region: string;
  regionName: string;
  checked: string;
  note: string;
  prices: Record<string, Price>;
  assumptions: Record<string, number | string>;
}

/** What the cost model needs from a district-year run. */
export interface YearCounts {
  projects: number;
  stats: LocalStatsSnapshot;
  endpoints: Record<string, { count: number; mean: number }>;
}

/** Endpoint groups that are the bench's own plumbing, not calls a deployment would serve. */
const NOT_API = new Set(['token', 'clock', 'check']);
const NOT_DYNAMODB = new Set(['OUTBOX']);

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

export interface CostModel {
  region: string;
  perProject: CostLine[];
  perProjectUsd: number;
  /** What one deployment pays a year whatever it does, its staff's sign-ins included. */
  fixedPerYear: CostLine[];
  fixedPerYearUsd: number;
  /** Staff sign-ins, apart: Cognito's free monthly users are counted once per organization, not per deployment. */
  staff: { perDistrict: number; tier: string; usdPerYear: (staff: number) => number; listUsdPerStaffYear: number };
  messagesPerProject: { sms: number; email: number; emailUsd: number; smsUsd: number };
}

export interface ScaledCost {
  name: string;
  projects: number;
  deployments: number;
  staff: number;
  variableUsd: number;
  /** The deployments' fixed part, sign-ins apart. */
  fixedUsd: number;
  cognitoUsd: number;
  totalUsd: number;
  perProjectUsd: number;
  sms: number;
  smsUsd: number;
  emails: number;
  emailUsd: number;
}

/**
 * A year of `projects` projects run by `deployments` deployments in one organization: each
 * deployment pays the fixed part; the staff's sign-ins are billed together, so Cognito's
 * free allowance counts once.
 */
export const scaleCost = (
  m: CostModel,
  name: string,
  projects: number,
  deployments: number,
  staff: number,
): ScaledCost => {
  const variableUsd = m.perProjectUsd * projects;
  const ownCognito = m.staff.usdPerYear(m.staff.perDistrict);
  const fixedUsd = (m.fixedPerYearUsd - ownCognito) * deployments;
  const cognitoUsd = m.staff.usdPerYear(staff);
  const totalUsd = variableUsd + fixedUsd + cognitoUsd;
  return {
    name,
    projects,
    deployments,
    staff,
    variableUsd,
    fixedUsd,
    cognitoUsd,
    totalUsd,
    perProjectUsd: totalUsd / projects,
    sms: m.messagesPerProject.sms * projects,
    smsUsd: m.messagesPerProject.smsUsd * projects,
    emails: m.messagesPerProject.email * projects,
    emailUsd: m.messagesPerProject.emailUsd * projects,
  };
};

/** A year of `monthlyUsers` active every month, at a graduated per-user price. */
const graduatedPerYear = (tiers: { upToMau: number; usd: number }[], monthlyUsers: number): number => {
  let month = 0;
  let from = 0;
  for (const t of tiers) {
    month += Math.max(0, Math.min(monthlyUsers, t.upToMau) - from) * t.usd;
    from = t.upToMau;
  }
  if (monthlyUsers > from) throw new Error(`bench/prices.json has no Cognito price beyond ${from} monthly users`);
  return month * 12;
};

const price = (p: Prices, key: string): number => {
  const v = p.prices[key]?.usd;
  if (typeof v !== 'number') throw new Error(`bench/prices.json has no price ${key}`);
  return v;
};

/**
 * What the model prices, read from the stacks' own settings (test/infra/app.test.ts checks
 * every synthesized function and the workflow's sampling rule against it).
 */
export const PRICED_DEPLOYMENT = {
  memoryMb: FUNCTION_MEMORY_MB,
  architecture: 'arm64',
  /** Functions trace only what their caller sampled: the workflow's share of executions, no API request. */
  tracingMode: 'PassThrough',
  traceSampling: WORKFLOW_TRACE_SAMPLING,
} as const;
if (FUNCTION_ARCHITECTURE !== Architecture.ARM_64 || String(FUNCTION_TRACING) !== PRICED_DEPLOYMENT.tracingMode)
  throw new Error('bench/cost.ts prices Arm functions that trace only what the workflow samples: update it');

/** Turns the counts of one run into a per-project cost and the fixed yearly cost of one deployment. */
export const costModel = (counts: YearCounts, prices: Prices): CostModel => {
  const n = counts.projects;
  const a = prices.assumptions;
  const memGb = PRICED_DEPLOYMENT.memoryMb / 1024;
  const s = counts.stats;
  const line = (item: string, total: number, unit: string, unitUsd: number): CostLine => ({
    item,
    quantity: total / n,
    unit,
    usd: (total / n) * unitUsd,
  });

  const api = Object.entries(counts.endpoints).filter(([k]) => !NOT_API.has(k));
  const apiRequests = api.reduce((t, [, g]) => t + g.count, 0);
  // Lambda time of an API call: its latency as measured here under the run's concurrency, an upper bound.
  const apiMs = api.reduce((t, [, g]) => t + g.count * g.mean, 0);
  const tasks = Object.values(s.tasks);
  const taskCalls = tasks.reduce((t, c) => t + c.calls, 0);
  const taskMs = tasks.reduce((t, c) => t + c.ms, 0);
  const messages = Object.values(s.messages).reduce((t, m) => t + m, 0);
  const senderCalls = messages / Number(a.senderMessagesPerInvocation);

  let wru = 0;
  let rru = 0;
  let _bytesWritten = 0;
  for (const [key, c] of Object.entries(s.storeByKey)) {
    const [operation, kind] = key.split(' ');
    if (NOT_DYNAMODB.has(kind)) continue;
    if (WRITE_OPERATIONS.has(operation)) {
      // A refused write is billed for the item it was checked against: priced at the mean of those applied.
      wru += c.units + c.gsiUnits + ((c.refused ?? 0) * c.units) / Math.max(1, c.calls);
      _bytesWritten += c.bytes;
    } else rru += c.units;
  }
  // What stays stored per project: the project item (its mean written size), its entries in
  // the two list indexes (their summary fields, at most the item as created: the open-deadline
  // index lets go of it at the end) and the audit items beside it.
  const meanBytes = (key: string) => (s.storeByKey[key]?.bytes ?? 0) / Math.max(1, s.storeByKey[key]?.calls ?? 1);
  const projectBytes = meanBytes('UpdateItem PROJECT');
  const summaryBytes = meanBytes('PutItem PROJECT');
  const auditBytes = s.storeByKey['PutItem AUDIT']?.bytes ?? 0;
  const storedGbPerProject = (projectBytes + 2 * summaryBytes + auditBytes / n) / 2 ** 30;
  const invocations = apiRequests + taskCalls + senderCalls;

  // API access logs: one line per request. Stored a year, at the ingested size (an upper bound).
  const logGb =
    (invocations * Number(a.logBytesPerInvocation) + apiRequests * Number(a.accessLogBytesPerRequest)) / 2 ** 30;
  // The board: one page visit per public read in the run, every file fetched and every fetch a miss (upper bounds).
  const visits = counts.endpoints['public read']?.count ?? 0;
  const boardRequests = visits * Number(a.boardRequestsPerVisit);

  const perProject: CostLine[] = [
    line(
      'Step Functions state transitions',
      s.workflow.transitions,
      'transition',
      price(prices, 'stepFunctionsStandardPerTransition'),
    ),
    line(
      'Lambda invocations (API, workflow tasks, sender)',
      invocations,
      'invocation',
      price(prices, 'lambdaPerRequest'),
    ),
    line(
      `Lambda compute at ${memGb * 1024} MB Arm`,
      ((apiMs + taskMs) / 1000) * memGb,
      'GB-s',
      price(prices, 'lambdaArmPerGbSecond'),
    ),
    line('DynamoDB write request units (table and indexes)', wru, 'WRU', price(prices, 'dynamoDbOnDemandPerWriteUnit')),
    line('DynamoDB read request units', rru, 'RRU', price(prices, 'dynamoDbOnDemandPerReadUnit')),
    line(
      'DynamoDB storage and PITR, first year',
      storedGbPerProject * n * 12,
      'GB-month',
      price(prices, 'dynamoDbStoragePerGbMonth') + price(prices, 'dynamoDbPitrPerGbMonth'),
    ),
    line('HTTP API requests', apiRequests, 'request', price(prices, 'httpApiPerRequest')),
    // Only the executions the workflow's sampling rule picks are traced, with their tasks (each counted as a trace).
    line(
      `X-Ray traces (${PRICED_DEPLOYMENT.traceSampling.fixedRate * 100} % of lifecycle executions)`,
      taskCalls * PRICED_DEPLOYMENT.traceSampling.fixedRate,
      'trace',
      price(prices, 'xrayPerTrace'),
    ),
    line('CloudWatch Logs ingestion (functions and API access logs)', logGb, 'GB', price(prices, 'logsIngestPerGb')),
    line(
      `CloudWatch Logs storage, ${a.logRetentionMonths} months' retention`,
      logGb * Number(a.logRetentionMonths),
      'GB-month',
      price(prices, 'logsStoragePerGbMonth'),
    ),
    line(
      'SQS requests for notifications',
      messages * Number(a.sqsRequestsPerMessage),
      'request',
      price(prices, 'sqsPerRequest'),
    ),
    line(
      'Notice board: CloudFront HTTPS requests',
      boardRequests,
      'request',
      price(prices, 'cloudFrontPerHttpsRequest'),
    ),
    line(
      'Notice board: CloudFront transfer out',
      (visits * Number(a.boardBytesPerVisit)) / 2 ** 30,
      'GB',
      price(prices, 'cloudFrontTransferPerGb'),
    ),
    line('Notice board: S3 GETs from CloudFront', boardRequests, 'request', price(prices, 's3GetPerRequest')),
  ];
  const perProjectUsd = perProject.reduce((t, l) => t + l.usd, 0);

  const alarmMetrics = alarmMetricsBilled(2).reduce((t, k) => t + k.metrics, 0);
  const sweep = s.jobs.reminderSweep ?? { calls: 1, ms: 0 };
  const sweepsPerYear = Number(a.reminderSweepsPerYear);
  const staff = Number(a.staffPerDistrict);
  const cognito = prices.prices.cognitoLitePerMau;
  if (!cognito?.tiers) throw new Error('bench/prices.json has no graduated cognitoLitePerMau');
  const usdPerYear = (users: number) => graduatedPerYear(cognito.tiers!, users);
  const fixedPerYear: CostLine[] = [
    {
      item: `CloudWatch alarm metrics (${alarmMetrics}: one alarm per kind of failure)`,
      quantity: alarmMetrics * 12,
      unit: 'alarm-metric-month',
      usd: alarmMetrics * 12 * price(prices, 'cloudwatchAlarmPerMonth'),
    },
    {
      item: 'Failed, timed-out and aborted executions (status-change events)',
      quantity: 0,
      unit: 'charged event',
      usd: price(prices, 'eventBridgeAwsServiceEvents'),
    },
    {
      item: 'KMS keys (none: the alarm topic has none, the table uses its AWS owned key)',
      quantity: 0,
      unit: 'key-month',
      usd: 0,
    },
    { item: 'Dashboard (none unless -c dashboard=true)', quantity: 0, unit: 'dashboard-month', usd: 0 },
    {
      item: 'SQS idle long polling of the sender',
      quantity: Number(a.sqsIdlePollingRequestsPerYear),
      unit: 'request',
      usd: Number(a.sqsIdlePollingRequestsPerYear) * price(prices, 'sqsPerRequest'),
    },
    {
      item: 'EventBridge Scheduler (daily sweep, yearly check)',
      quantity: Number(a.scheduledInvocationsPerYear),
      unit: 'invocation',
      usd: Number(a.scheduledInvocationsPerYear) * price(prices, 'schedulerPerInvocation'),
    },
    {
      item: 'Reminder sweep and year-end Lambda, fixed part',
      quantity: sweepsPerYear + 1,
      unit: 'invocation',
      usd:
        (sweepsPerYear + 1) *
        (price(prices, 'lambdaPerRequest') +
          (sweep.ms / Math.max(1, sweep.calls) / 1000) * memGb * price(prices, 'lambdaArmPerGbSecond')),
    },
    {
      item: 'Notice board pages in S3',
      quantity: (Number(a.boardPagesBytes) / 2 ** 30) * 12,
      unit: 'GB-month',
      usd: (Number(a.boardPagesBytes) / 2 ** 30) * 12 * price(prices, 's3StandardPerGbMonth'),
    },
    {
      item: `Cognito Lite, ${staff} staff active every month (inside the 10,000 free)`,
      quantity: staff * 12,
      unit: 'MAU-month',
      usd: usdPerYear(staff),
    },
  ];
  const fixedPerYearUsd = fixedPerYear.reduce((t, l) => t + l.usd, 0);

  const sms = (s.messages.sms ?? 0) / n;
  const email = (s.messages.email ?? 0) / n;
  const emailUsd = email * price(prices, 'sesPerEmail');
  return {
    region: `${prices.regionName} (${prices.region})`,
    perProject,
    perProjectUsd,
    fixedPerYear,
    fixedPerYearUsd,
    staff: {
      perDistrict: staff,
      tier: 'Lite',
      usdPerYear,
      listUsdPerStaffYear: 12 * price(prices, 'cognitoLitePerMau'),
    },
    messagesPerProject: { sms, email, emailUsd, smsUsd: sms * price(prices, 'smsPerMessage') },
  };
};

/** The district of the run, a city, and the country either as one deployment per district or as one. */
export const standardScales = (m: CostModel, projects: number): ScaledCost[] => {
  const staff = m.staff.perDistrict;
  return [
    scaleCost(m, 'this district', projects, 1, staff),
    scaleCost(m, 'a city of 10 districts (one deployment)', 10_000, 1, 10 * staff),
    scaleCost(m, 'the country, one deployment per district (2,800)', 1_000_000, 2_800, 2_800 * staff),
    scaleCost(m, 'the country in one deployment', 1_000_000, 1, 2_800 * staff),
  ];
};

const usd = (v: number, digits = 2) =>
  v === 0 ? '$0' : v >= 100 ? `$${Math.round(v).toLocaleString('en-US')}` : `$${v.toFixed(v < 0.01 ? 6 : digits)}`;

/** The targets, in US$ a year (per project: per lifecycle). */
export const TARGETS = { perProject: 0.0005, fixed: 10, district: 12 } as const;

const verdict = (v: number, target: number) => (v <= target ? 'met' : 'MISSED');

/** The bill as a Markdown table. */
export const formatCost = (m: CostModel, projects: number, prices: Prices): string => {
  const sms = prices.prices.smsPerMessage;
  const rows = [
    '| Per project lifecycle | Quantity | US$ |',
    '| --- | ---: | ---: |',
    ...m.perProject.map(
      (l) =>
        `| ${l.item} | ${l.quantity < 0.01 ? l.quantity.toExponential(2) : l.quantity.toFixed(2)} ${l.unit} | ${l.usd.toFixed(7)} |`,
    ),
    `| **Total per project, before SMS and email** | | **${m.perProjectUsd.toFixed(6)}** (target ≤ ${TARGETS.perProject}: ${verdict(m.perProjectUsd, TARGETS.perProject)}) |`,
    '',
    '| Fixed, per deployment and year | Quantity | US$ |',
    '| --- | ---: | ---: |',
    ...m.fixedPerYear.map(
      (l) => `| ${l.item} | ${Math.round(l.quantity).toLocaleString('en-US')} ${l.unit} | ${l.usd.toFixed(2)} |`,
    ),
    `| **Total fixed per deployment** | | **${m.fixedPerYearUsd.toFixed(2)}** (target ≤ ${TARGETS.fixed}: ${verdict(m.fixedPerYearUsd, TARGETS.fixed)}) |`,
    '',
    '| A year of | Projects | Staff | Operations | Fixed | Cognito | Total before SMS/email | Per project | SMS (count) | SMS | Email (SES) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const scales = standardScales(m, projects);
  for (const s of scales)
    rows.push(
      `| ${s.name} | ${s.projects.toLocaleString('en-US')} | ${s.staff.toLocaleString('en-US')} | ${usd(s.variableUsd)} | ${usd(s.fixedUsd)} | ${usd(s.cognitoUsd)} | ${usd(s.totalUsd)} | ${usd(s.perProjectUsd, 4)} | ${Math.round(s.sms).toLocaleString('en-US')} | ${usd(s.smsUsd)} | ${usd(s.emailUsd)} |`,
    );
  const district = scales[0];
  const listFixed =
    m.fixedPerYearUsd - m.staff.usdPerYear(m.staff.perDistrict) + m.staff.perDistrict * m.staff.listUsdPerStaffYear;
  rows.push(
    '',
    `District of ${projects} projects, all in before SMS and email: ${usd(district.totalUsd)} a year (target ≤ $${TARGETS.district}: ${verdict(district.totalUsd, TARGETS.district)}).`,
    `Staff sign in on Cognito's ${m.staff.tier} tier: the first 10,000 monthly users of an organization are free, so a district alone pays nothing for them; where the allowance is used up (the country rows) each staff member costs ${usd(m.staff.listUsdPerStaffYear)} a year, and a deployment's fixed part would be ${usd(listFixed)} (${verdict(listFixed, TARGETS.fixed)} against $${TARGETS.fixed}). Plus, the tier with threat protection, would be ${usd(m.staff.perDistrict * 12 * (prices.prices.cognitoPlusPerMau?.usd ?? NaN))} a year for ${m.staff.perDistrict} staff, with no free allowance.`,
    `SMS: ${(m.messagesPerProject.sms).toFixed(2)} a project at ${usd(sms?.usd ?? NaN, 4)} a mainland message (${sms?.published}; ${sms?.source}).`,
    `Prices: ${prices.regionName} (${prices.region}), on-demand, checked ${prices.checked}, each with its source in bench/prices.json. ${prices.note}`,
  );
  return rows.join('\n');
};

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const { values } = parseArgs({
    options: {
      projects: { type: 'string', default: '1000' },
      results: { type: 'string', default: join(root, 'bench/results.json') },
      prices: { type: 'string', default: join(root, 'bench/prices.json') },
      json: { type: 'boolean', default: false },
    },
  });
  const projects = Number(values.projects);
  if (!Number.isInteger(projects) || projects <= 0) throw new Error('--projects must be a positive whole number');
  let results: { districtYear: YearCounts };
  try {
    results = JSON.parse(readFileSync(values.results!, 'utf8'));
  } catch {
    console.error(`cost: no run to price at ${values.results}; run \`npm run bench\` first`);
    process.exit(1);
  }
  const prices = JSON.parse(readFileSync(values.prices!, 'utf8')) as Prices;
  const model = costModel(results.districtYear, prices);
  if (values.json)
    console.log(JSON.stringify({ ...model, scales: standardScales(model, projects), targets: TARGETS }, null, 2));
  else console.log(formatCost(model, projects, prices));
}
