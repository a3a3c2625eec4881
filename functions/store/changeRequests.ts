import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import type { ChangeDecision, ChangeRequest } from '../domain/changeRequest.ts';
import { UpdateBuilder, isConditionFailure, tableName, writeIf, withoutKeys } from './table.ts';

/*
 * A change request is its own item (pk CHANGE#<id>, sk CHANGE) because the district
 * decides it by its id alone; the project's history names it by id.
 */
export type { ChangeDecision, ChangeRequest, ChangeRequestStatus } from '../domain/changeRequest.ts';

const key = (id: string) => ({ pk: `CHANGE#${id}`, sk: 'CHANGE' });

export const createChangeRequest = async (cr: ChangeRequest): Promise<void> => {
  await runtime().ddb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...key(cr.id), ...cr },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/** Creates the request unless one with its id exists, and returns what is stored (a re-run of a keyed command). */
export const createChangeRequestOnce = async (cr: ChangeRequest): Promise<ChangeRequest> => {
  try {
    await createChangeRequest(cr);
    return cr;
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    const existing = await getChangeRequest(cr.id);
    if (!existing) throw e;
    return existing;
  }
};

export const getChangeRequest = async (id: string): Promise<ChangeRequest | undefined> => {
  const out = await runtime().ddb.send(new GetCommand({ TableName: tableName(), Key: key(id), ConsistentRead: true }));
  return out.Item && withoutKeys<ChangeRequest>(out.Item);
};

/**
 * Claims the decision: only one of two racing deciders gets true, so a request is never
 * decided twice.
 */
export const claimDecision = async (id: string, decision: ChangeDecision): Promise<boolean> => {
  const b = new UpdateBuilder();
  b.set({ status: decision.approve ? 'APPROVED' : 'REJECTED', decision });
  b.condition(`attribute_exists(pk) AND ${b.name('status')} = ${b.value('PENDING')}`);
  return writeIf(new UpdateCommand({ TableName: tableName(), Key: key(id), ...b.build() }));
};

/** Gives a claimed decision back when its effect was refused, so the request can be decided again. */
export const releaseDecision = async (id: string, decision: ChangeDecision): Promise<void> => {
  const b = new UpdateBuilder();
  b.set({ status: 'PENDING' }).remove('decision');
  b.condition(
    `${b.name('decision.at')} = ${b.value(decision.at)} AND ${b.name('decision.by.sub')} = ${b.value(decision.by.sub)}`,
  );
  try {
    await runtime().ddb.send(new UpdateCommand({ TableName: tableName(), Key: key(id), ...b.build() }));
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
};
