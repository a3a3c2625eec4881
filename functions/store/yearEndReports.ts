import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import type { YearEndReport } from '../domain/yearEnd.ts';
import { tableName } from './table.ts';

/* One report per year: pk YEAREND#<year>, sk REPORT. */
export interface StoredYearEndReport extends YearEndReport {
  /** When the check first ran; later runs that change nothing keep it. */
  ranAt: string;
}

const key = (year: number) => ({ pk: `YEAREND#${year}`, sk: 'REPORT' });

export const getYearEndReport = async (year: number): Promise<StoredYearEndReport | undefined> => {
  const out = await runtime().ddb.send(new GetCommand({ TableName: tableName(), Key: key(year), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = out.Item;
  return rest as StoredYearEndReport;
};

export const putYearEndReport = async (report: StoredYearEndReport): Promise<void> => {
  await runtime().ddb.send(new PutCommand({ TableName: tableName(), Item: { ...key(report.year), ...report } }));
};
