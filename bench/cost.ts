import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LocalStatsSnapshot } from '../infra/local/stats.ts';
import { lambdaEntries } from './lambda.ts';

/*
 * The yearly AWS bill, from the operations counted in a district-year run
 * (bench/results.json) at the prices in bench/prices.json. Operations are counted per
 * project and scaled; what a deployment pays whatever its size (alarms, keys, the
 * queue's idle polling, the schedules) is shown apart.
 */

const root = resolve(import.meta.dirname, '..');

interface Price {
  usd: number | null;
  unit: string;
  source: string;
  published: string;
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
  fixedPerYear: CostLine[];
  fixedPerYearUsd: number;
  messagesPerProject: { sms: number; email: number; emailUsd: number };
}

export interface ScaledCost {
  name: string;
  projects: number;
  variableUsd: number;
  fixedUsd: number;
  totalUsd: number;
  perProjectUsd: number;
  sms: number;
  emails: number;
  emailUsd: number;
}

/** A year of `projects` projects run by `deployments` deployments (each pays the fixed part). */
export const scaleCost = (m: CostModel, name: string, projects: number, deployments: number): ScaledCost => {
  const variableUsd = m.perProjectUsd * projects;
  const fixedUsd = m.fixedPerYearUsd * deployments;
  return {
    name,
    projects,
    variableUsd,
    fixedUsd,
    totalUsd: variableUsd + fixedUsd,
    perProjectUsd: (variableUsd + fixedUsd) / projects,
    sms: m.messagesPerProject.sms * projects,
    emails: m.messagesPerProject.email * projects,
    emailUsd: m.messagesPerProject.emailUsd * projects,
  };
};

const price = (p: Prices, key: string): number => {
  const v = p.prices[key]?.usd;
  if (typeof v !== 'number') throw new Error(`bench/prices.json has no price ${key}`);
  return v;
};

/** Turns the counts of one run into a per-project cost and the fixed yearly cost of one deployment. */
export const costModel = (counts: YearCounts, prices: Prices): CostModel => {
  const n = counts.projects;
  const a = prices.assumptions;
  const memGb = Number(a.lambdaMemoryGb);
  const s = counts.stats;
  const line = (item: string, total: number, unit: string, unitUsd: number): CostLine => ({ item, quantity: total / n, unit, usd: (total / n) * unitUsd });

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
  let bytesWritten = 0;
  for (const [key, c] of Object.entries(s.storeByKey)) {
    const [command, kind] = key.split(' ');
    if (NOT_DYNAMODB.has(kind)) continue;
    if (/^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)$/.test(command)) {
      wru += c.units + c.gsiUnits;
      bytesWritten += c.bytes;
    } else rru += c.units;
  }
  // What stays stored per project: the project item (its last write) and the events beside it.
  const lastProjectBytes = (s.storeByKey['UpdateItem PROJECT']?.bytes ?? 0) / Math.max(1, s.storeByKey['UpdateItem PROJECT']?.calls ?? 1);
  const auditBytes = s.storeByKey['PutItem AUDIT']?.bytes ?? 0;
  const storedGbPerProject = (lastProjectBytes * 4 + auditBytes / n) / 2 ** 30; // the item in the table and in three indexes
  const invocations = apiRequests + taskCalls + senderCalls;

  const perProject: CostLine[] = [
    line('Step Functions state transitions', s.workflow.transitions, 'transition', price(prices, 'stepFunctionsStandardPerTransition')),
    line('Lambda invocations (API, workflow tasks, sender)', invocations, 'invocation', price(prices, 'lambdaPerRequest')),
    line(`Lambda compute at ${memGb * 1024} MB Arm`, ((apiMs + taskMs) / 1000) * memGb, 'GB-s', price(prices, 'lambdaArmPerGbSecond')),
    line('DynamoDB write request units (table and indexes)', wru, 'WRU', price(prices, 'dynamoDbOnDemandPerWriteUnit')),
    line('DynamoDB read request units', rru, 'RRU', price(prices, 'dynamoDbOnDemandPerReadUnit')),
    line('DynamoDB storage and PITR, first year', storedGbPerProject * n * 12, 'GB-month', price(prices, 'dynamoDbStoragePerGbMonth') + price(prices, 'dynamoDbPitrPerGbMonth')),
    line('HTTP API requests', apiRequests, 'request', price(prices, 'httpApiPerRequest')),
    line('X-Ray traces', invocations * Number(a.tracedShare), 'trace', price(prices, 'xrayPerTrace')),
    line('CloudWatch Logs ingestion', (invocations * Number(a.logBytesPerInvocation)) / 2 ** 30, 'GB', price(prices, 'logsIngestPerGb')),
    line('SQS requests for notifications', messages * Number(a.sqsRequestsPerMessage), 'request', price(prices, 'sqsPerRequest')),
  ];
  const perProjectUsd = perProject.reduce((t, l) => t + l.usd, 0);

  const functions = lambdaEntries().length;
  const alarms = 1 + 2 * functions + 2 + 2;
  const sweep = s.jobs.reminderSweep ?? { calls: 1, ms: 0 };
  const sweepsPerYear = Number(a.reminderSweepsPerYear);
  const fixedPerYear: CostLine[] = [
    { item: `CloudWatch alarms (${alarms})`, quantity: alarms * 12, unit: 'alarm-month', usd: alarms * 12 * price(prices, 'cloudwatchAlarmPerMonth') },
    { item: 'KMS key of the alarm topic', quantity: 12, unit: 'key-month', usd: 12 * price(prices, 'kmsKeyPerMonth') },
    { item: 'SQS idle long polling of the sender', quantity: Number(a.sqsIdlePollingRequestsPerYear), unit: 'request', usd: Number(a.sqsIdlePollingRequestsPerYear) * price(prices, 'sqsPerRequest') },
    { item: 'EventBridge Scheduler (daily sweep, yearly check)', quantity: Number(a.scheduledInvocationsPerYear), unit: 'invocation', usd: Number(a.scheduledInvocationsPerYear) * price(prices, 'schedulerPerInvocation') },
    {
      item: 'Reminder sweep and year-end Lambda, fixed part',
      quantity: sweepsPerYear + 1,
      unit: 'invocation',
      usd: (sweepsPerYear + 1) * (price(prices, 'lambdaPerRequest') + ((sweep.ms / Math.max(1, sweep.calls)) / 1000) * memGb * price(prices, 'lambdaArmPerGbSecond')),
    },
  ];
  const fixedPerYearUsd = fixedPerYear.reduce((t, l) => t + l.usd, 0);

  const sms = (s.messages.sms ?? 0) / n;
  const email = (s.messages.email ?? 0) / n;
  const emailUsd = email * price(prices, 'sesPerEmail');
  return { region: `${prices.regionName} (${prices.region})`, perProject, perProjectUsd, fixedPerYear, fixedPerYearUsd, messagesPerProject: { sms, email, emailUsd } };
};

/** The district of the run, a city, and the country either as one deployment per district or as one. */
export const standardScales = (m: CostModel, projects: number): ScaledCost[] => [
  scaleCost(m, 'this district', projects, 1),
  scaleCost(m, 'a city (one deployment)', 10_000, 1),
  scaleCost(m, 'the country, one deployment per district (2,800)', 1_000_000, 2_800),
  scaleCost(m, 'the country in one deployment', 1_000_000, 1),
];

const usd = (v: number, digits = 2) => (v >= 100 ? `$${Math.round(v).toLocaleString('en-US')}` : `$${v.toFixed(v < 0.01 ? 6 : digits)}`);

/** The bill as a Markdown table. */
export const formatCost = (m: CostModel, projects: number, prices: Prices): string => {
  const rows = [
    '| Per project lifecycle | Quantity | US$ |',
    '| --- | ---: | ---: |',
    ...m.perProject.map((l) => `| ${l.item} | ${l.quantity < 0.01 ? l.quantity.toExponential(2) : l.quantity.toFixed(2)} ${l.unit} | ${l.usd.toFixed(7)} |`),
    `| **Total per project, before SMS and email** | | **${m.perProjectUsd.toFixed(6)}** (target ≤ 0.002: ${m.perProjectUsd <= 0.002 ? 'met' : 'MISSED'}) |`,
    '',
    '| Fixed, per deployment and year | Quantity | US$ |',
    '| --- | ---: | ---: |',
    ...m.fixedPerYear.map((l) => `| ${l.item} | ${Math.round(l.quantity).toLocaleString('en-US')} ${l.unit} | ${l.usd.toFixed(2)} |`),
    `| **Total fixed per deployment** | | **${m.fixedPerYearUsd.toFixed(2)}** |`,
    '',
    '| A year of | Projects | Operations | Fixed | Total before SMS/email | Per project | SMS (count) | Email (SES) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const scales = standardScales(m, projects);
  for (const s of scales)
    rows.push(
      `| ${s.name} | ${s.projects.toLocaleString('en-US')} | ${usd(s.variableUsd)} | ${usd(s.fixedUsd)} | ${usd(s.totalUsd)} | ${usd(s.perProjectUsd, 4)} | ${Math.round(s.sms).toLocaleString('en-US')} | ${usd(s.emailUsd)} |`,
    );
  const district = scales[0];
  rows.push(
    '',
    `District of ${projects} projects: operations ${usd(district.variableUsd)} a year (target ≤ $10 before SMS/email: ${district.variableUsd <= 10 ? 'met' : 'MISSED'}); with the fixed part ${usd(district.totalUsd)} (${district.totalUsd <= 10 ? 'met' : 'MISSED'}).`,
    `Prices: ${prices.regionName} (${prices.region}), on-demand, checked ${prices.checked}, each with its source in bench/prices.json. ${prices.note}`,
  );
  return rows.join('\n');
};

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const { values } = parseArgs({
    options: { projects: { type: 'string', default: '1000' }, results: { type: 'string', default: join(root, 'bench/results.json') }, prices: { type: 'string', default: join(root, 'bench/prices.json') }, json: { type: 'boolean', default: false } },
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
  if (values.json) console.log(JSON.stringify({ ...model, scales: standardScales(model, projects) }, null, 2));
  else console.log(formatCost(model, projects, prices));
}
