import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import type { Objection, Project } from '../domain/project.ts';
import {
  allPages,
  decodePageToken,
  encodePageToken,
  isConditionFailure,
  queryAll,
  queryPages,
  tableName,
  writeIf,
} from './table.ts';

/*
 * Objections live beside the project, never on it, so no number of them can grow the
 * project item. Two items per objection, under the project's partition:
 *   sk OBJECTION#<id>                    the text as received (written first, never changed)
 *   sk OBJECTION_RECEIPT#<round>#<id>    the decision: accepted or lapsed, then the resolution
 * The receipt is the objection's state: it is created once (attribute_not_exists), by
 * whichever comes first of the request that passed the window check ("accepted") and the
 * closing of the window ("lapsed"), so an objection is either counted by the closing or
 * refused to the resident, never acknowledged and missed. Receipts stay small (the text
 * is not on them), so counting a round reads little whatever residents wrote.
 * A resident's contact, when given, is a third item, apart from both:
 *   sk OBJECTION_CONTACT#<id>            the contact, for staff who answer (no view reads it)
 */
const projectPk = (projectId: string) => `PROJECT#${projectId}`;
const textKey = (projectId: string, id: string) => ({ pk: projectPk(projectId), sk: `OBJECTION#${id}` });
const roundPrefix = (round: number) => `OBJECTION_RECEIPT#${String(round).padStart(4, '0')}#`;
const receiptKey = (projectId: string, round: number, id: string) => ({
  pk: projectPk(projectId),
  sk: `${roundPrefix(round)}${id}`,
});

export interface ObjectionText {
  id: string;
  content: string;
  receivedAt: string;
  hasContact: boolean;
  round: number;
}

export interface Receipt {
  id: string;
  round: number;
  state: 'accepted' | 'lapsed';
  resolution?: Objection['resolution'];
  /** The keyed command that wrote the resolution, so that its retry recognises it. */
  resolvedByCommand?: string;
}

/** Writes the text of an objection; false when an objection with this id is already written (a retry). */
export const putObjectionText = (projectId: string, o: ObjectionText): Promise<boolean> =>
  writeIf(
    new PutCommand({
      TableName: tableName(),
      Item: { ...textKey(projectId, o.id), ...o },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );

/** What a resident left to be answered on, kept apart so that no view of the objection can carry it. */
export interface ObjectionContact {
  contact: string;
  sourceIp: string;
  receivedAt: string;
}

/** Writes (or, on a retry, rewrites the same) contact of an objection. */
export const putObjectionContact = async (projectId: string, id: string, c: ObjectionContact): Promise<void> => {
  await runtime().ddb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { pk: projectPk(projectId), sk: `OBJECTION_CONTACT#${id}`, ...c },
    }),
  );
};

export const getObjectionText = async (projectId: string, id: string): Promise<ObjectionText | undefined> => {
  const out = await runtime().ddb.send(
    new GetCommand({ TableName: tableName(), Key: textKey(projectId, id), ConsistentRead: true }),
  );
  return out.Item as ObjectionText | undefined;
};

export const getReceipt = async (projectId: string, round: number, id: string): Promise<Receipt | undefined> => {
  const out = await runtime().ddb.send(
    new GetCommand({ TableName: tableName(), Key: receiptKey(projectId, round, id), ConsistentRead: true }),
  );
  return out.Item as Receipt | undefined;
};

/**
 * Decides an objection once: the first decision stands. Returns the receipt as it is
 * afterwards, so a caller that lost the race learns which decision won.
 */
export const decideObjection = async (
  projectId: string,
  round: number,
  id: string,
  state: Receipt['state'],
): Promise<Receipt> => {
  const receipt: Receipt = { id, round, state };
  if (
    await writeIf(
      new PutCommand({
        TableName: tableName(),
        Item: { ...receiptKey(projectId, round, id), ...receipt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
  )
    return receipt;
  return (await getReceipt(projectId, round, id))!;
};

/** Records a resolution on an accepted, unresolved objection; false when it is not (any longer) open. */
export const resolveObjection = async (
  projectId: string,
  round: number,
  id: string,
  resolution: NonNullable<Objection['resolution']>,
  commandId?: string,
): Promise<boolean> => {
  try {
    await runtime().ddb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: receiptKey(projectId, round, id),
        UpdateExpression: commandId ? 'SET #r = :r, #c = :c' : 'SET #r = :r',
        ConditionExpression: '#s = :accepted AND attribute_not_exists(#r)',
        ExpressionAttributeNames: {
          '#r': 'resolution',
          '#s': 'state',
          ...(commandId ? { '#c': 'resolvedByCommand' } : {}),
        },
        ExpressionAttributeValues: {
          ':r': resolution,
          ':accepted': 'accepted',
          ...(commandId ? { ':c': commandId } : {}),
        },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
};

/** The items of the project's partition whose sort key starts with `prefix`, read consistently. */
const underProject = (projectId: string, prefix: string) => ({
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
  ExpressionAttributeValues: { ':pk': projectPk(projectId), ':prefix': prefix },
  ConsistentRead: true,
});

/** The project's accepted receipts, over every round. */
const acceptedReceipts = (projectId: string) => {
  const q = underProject(projectId, 'OBJECTION_RECEIPT#');
  return {
    ...q,
    FilterExpression: '#s = :accepted',
    ExpressionAttributeNames: { '#s': 'state' },
    ExpressionAttributeValues: { ...q.ExpressionAttributeValues, ':accepted': 'accepted' },
  };
};

/** The receipts of one publicity round, every page of them. */
export const roundReceipts = (projectId: string, round: number): Promise<Receipt[]> =>
  queryAll<Receipt>(underProject(projectId, roundPrefix(round)));

/**
 * The texts written in one round that no decision covers yet: requests in flight, or
 * requests that died between writing the text and being decided.
 */
export const undecidedInRound = async (projectId: string, round: number): Promise<string[]> => {
  const q = underProject(projectId, 'OBJECTION#');
  const texts = await queryAll<{ id: string }>({
    ...q,
    FilterExpression: '#round = :round',
    ExpressionAttributeNames: { '#round': 'round' },
    ExpressionAttributeValues: { ...q.ExpressionAttributeValues, ':round': round },
  });
  const decided = new Set((await roundReceipts(projectId, round)).map((r) => r.id));
  return texts.map((t) => t.id).filter((id) => !decided.has(id));
};

/** How many objections the project has accepted, over every round: reads only the small receipts. */
export const countAccepted = async (projectId: string): Promise<number> => {
  let count = 0;
  for await (const page of queryPages({ ...acceptedReceipts(projectId), Select: 'COUNT' })) count += page.Count ?? 0;
  return count;
};

/*
 * Accepting an objection first writes `lastObjectionAt` on the project (the window check,
 * api/publicity.ts) and only then its receipt, so a project without that stamp has no
 * accepted objection and its views need no query. These take the whole project, never a
 * summary from a list (summaries do not carry the stamp).
 */

/** {@link countAccepted}, skipped for a project that never received an objection. */
export const countAcceptedOf = (p: Pick<Project, 'id' | 'lastObjectionAt'>): Promise<number> =>
  p.lastObjectionAt ? countAccepted(p.id) : Promise.resolve(0);

/**
 * The close of a publicity round: the texts no decision covers yet are lapsed before
 * counting, so none can be accepted after this count (their senders get a 409); returns
 * how many the round accepted. Without the stamp no objection can have passed its window
 * check, and none can pass it now: that check is a write on the project, which moves the
 * version the close is conditioned on. A text a dead request left undecided then stays so;
 * its retry lapses it.
 */
export const closeObjectionRound = async (p: Project, round: number): Promise<number> => {
  if (!p.lastObjectionAt) return 0;
  for (const id of await undecidedInRound(p.id, round)) await decideObjection(p.id, round, id, 'lapsed');
  return (await roundReceipts(p.id, round)).filter((r) => r.state === 'accepted').length;
};

/** {@link listObjections}, skipped for a project that never received an objection. */
export const listObjectionsOf = (
  p: Pick<Project, 'id' | 'lastObjectionAt'>,
  opts: { limit: number; nextToken?: string },
): Promise<ObjectionPage> => (p.lastObjectionAt ? listObjections(p.id, opts) : Promise.resolve({ items: [] }));

export interface ObjectionPage {
  items: Objection[];
  nextToken?: string;
}

/**
 * A page of the project's accepted objections, round by round and in the order they
 * were received within a round, each with its text and resolution.
 */
export const listObjections = async (
  projectId: string,
  opts: { limit: number; nextToken?: string },
): Promise<ObjectionPage> => {
  const out = await runtime().ddb.send(
    new QueryCommand({
      ...acceptedReceipts(projectId),
      TableName: tableName(),
      Limit: opts.limit,
      ExclusiveStartKey: decodePageToken(opts.nextToken),
    }),
  );
  const receipts = (out.Items ?? []) as Receipt[];
  const texts = await getTexts(
    projectId,
    receipts.map((r) => r.id),
  );
  const items = receipts
    .map((r): Objection | undefined => {
      const t = texts.get(r.id);
      return (
        t && {
          id: r.id,
          content: t.content,
          receivedAt: t.receivedAt,
          hasContact: t.hasContact,
          round: r.round,
          ...(r.resolution ? { resolution: r.resolution } : {}),
        }
      );
    })
    .filter((o): o is Objection => !!o)
    .sort((a, b) => a.round - b.round || a.receivedAt.localeCompare(b.receivedAt));
  return { items, nextToken: encodePageToken(out.LastEvaluatedKey) };
};

/** Every accepted objection of the project (for the dossier): all pages. */
export const allObjections = (projectId: string): Promise<Objection[]> =>
  allPages((nextToken) => listObjections(projectId, { limit: 100, nextToken }));

const getTexts = async (projectId: string, ids: string[]): Promise<Map<string, ObjectionText>> => {
  const found = new Map<string, ObjectionText>();
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map((id) => textKey(projectId, id));
    // BatchGet may hand back part of the keys unprocessed under load: ask again for those.
    while (keys?.length) {
      const out = await runtime().ddb.send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const t of (out.Responses?.[tableName()] ?? []) as ObjectionText[]) found.set(t.id, t);
      keys = out.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return found;
};
