import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import type { YearEndReport } from '../domain/yearEnd.ts';
import { tableName, writeIf } from './table.ts';

/*
 * One report per year: pk YEAREND#<year>, sk REPORT. The item carries a `revision`
 * (never shown) that every write bumps, so that a run writes only over the report it read.
 */
export interface StoredYearEndReport extends YearEndReport {
  /** When the check first ran; later runs that change nothing keep it. */
  ranAt: string;
}

const key = (year: number) => ({ pk: `YEAREND#${year}`, sk: 'REPORT' });

/** How often a run re-reads after another run wrote the report between its read and its write. */
const MAX_ATTEMPTS = 5;

/** Thrown when other runs kept writing the report for every attempt. */
export class YearEndReportContention extends Error {}

const readStored = async (
  year: number,
): Promise<{ report: StoredYearEndReport; revision: number | undefined } | undefined> => {
  const out = await runtime().ddb.send(
    new GetCommand({ TableName: tableName(), Key: key(year), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, revision, ...rest } = out.Item;
  return { report: rest as StoredYearEndReport, revision: revision as number | undefined };
};

export const getYearEndReport = async (year: number): Promise<StoredYearEndReport | undefined> =>
  (await readStored(year))?.report;

/**
 * Stores a run's report and returns what is stored afterwards. An equal report already
 * stored is kept as it is (with its first `ranAt`). The write is conditional on the
 * revision it read; when another run wrote meanwhile, it reads again and decides again.
 */
export const saveYearEndReport = async (report: YearEndReport, now: Date): Promise<StoredYearEndReport> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const previous = await readStored(report.year);
    if (previous) {
      const { ranAt: _ranAt, ...previousReport } = previous.report;
      if (canonical(previousReport) === canonical(report)) return previous.report;
    }
    const stored: StoredYearEndReport = { ...report, ranAt: previous?.report.ranAt ?? now.toISOString() };
    const written = await writeIf(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key(report.year), ...stored, revision: (previous?.revision ?? 0) + 1 },
        ...(!previous
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : previous.revision === undefined
            ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revision)' }
            : {
                ConditionExpression: 'revision = :revision',
                ExpressionAttributeValues: { ':revision': previous.revision },
              }),
      }),
    );
    if (written) return stored;
  }
  throw new YearEndReportContention(
    `the year-end report of ${report.year} kept changing under ${MAX_ATTEMPTS} attempts`,
  );
};

// The store does not keep map key order, so reports are compared with sorted keys.
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
