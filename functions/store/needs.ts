import { BatchGetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { allPages, decodePageToken, encodePageToken, isConditionFailure, tableName, withoutKeys } from './table.ts';

export interface Need {
  id: string;
  communityId: string;
  year: number;
  title: string;
  description: string;
  channel: string;
  raisedAt: string;
  raisedBy: string;
  /** Never returned by a public or list view. */
  contact?: string;
}

/* pk COMMUNITY#<id>, sk NEED#<year>#<id>: a community's needs list for a year is one Query. */
const key = (communityId: string, year: number, id: string) => ({
  pk: `COMMUNITY#${communityId}`,
  sk: `NEED#${year}#${id}`,
});

export const putNeed = async (need: Need): Promise<void> => {
  await runtime().ddb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...key(need.communityId, need.year, need.id), ...need },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/**
 * Puts the need unless one with its id exists, and returns what is stored: a command
 * re-run with the same derived id gets back its first need, not a second.
 */
export const putNeedOnce = async (need: Need): Promise<Need> => {
  try {
    await putNeed(need);
    return need;
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    const [existing] = await getNeeds(need.communityId, [need.id]);
    if (!existing) throw e;
    return existing;
  }
};

export const listNeeds = async (communityId: string, year: number, opts: { limit: number; nextToken?: string }) => {
  const out = await runtime().ddb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': `COMMUNITY#${communityId}`, ':sk': `NEED#${year}#` },
      Limit: opts.limit,
      ExclusiveStartKey: decodePageToken(opts.nextToken),
    }),
  );
  return {
    items: (out.Items ?? []).map((i) => withoutKeys<Need>(i)),
    nextToken: encodePageToken(out.LastEvaluatedKey),
  };
};

/** Every need of the community's year, all pages. */
export const allNeeds = (communityId: string, year: number): Promise<Need[]> =>
  allPages((nextToken) => listNeeds(communityId, year, { limit: 100, nextToken }));

/** Need ids are `<year>-<ulid or derived id>`, so a project's links are checked with one batch read. */
export const newNeedId = (year: number, unique: string): string => `${year}-${unique}`;

export const getNeeds = async (communityId: string, ids: string[]): Promise<Need[]> => {
  const keys = [...new Set(ids)]
    .filter((i) => /^\d{4}-/.test(i))
    .map((i) => key(communityId, Number(i.slice(0, 4)), i));
  if (!keys.length) return [];
  const out = await runtime().ddb.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys } } }));
  return (out.Responses?.[tableName()] ?? []).map((i) => withoutKeys<Need>(i));
};
