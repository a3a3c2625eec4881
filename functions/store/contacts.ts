import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runtime } from '../runtime.ts';
import { queryAll, tableName, writeIf } from './table.ts';

/*
 * Key shapes:
 *   pk USER#<sub>              sk CONTACT            a person's phone and email
 *     gsi1 CONTACTS#<orgUnitId> / <role>#<sub>         so "staff of unit X with role Y" is one Query
 *   pk DELIVERY#<messageKey>   sk DELIVERY           the sender's claim on one message (sent once)
 *   pk SUPPRESSED              sk <channel>#<address> an address that must not be tried again
 * One contact item per person: someone who moves to another unit leaves the old unit's
 * list with the same write, instead of lingering there.
 */

/** Where one person's reminders go. */
export interface Contact {
  sub: string;
  role: string;
  orgUnitId: string;
  phone?: string;
  email?: string;
  updatedAt: string;
}

const contactKey = (sub: string) => ({ pk: `USER#${sub}`, sk: 'CONTACT' });

/** Replaces the person's contact (PUT semantics: a field left out is removed). */
export const putContact = async (c: Contact): Promise<void> => {
  await runtime().ddb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...contactKey(c.sub), ...c, gsi1pk: `CONTACTS#${c.orgUnitId}`, gsi1sk: `${c.role}#${c.sub}` },
    }),
  );
};

export const getContact = async (sub: string): Promise<Contact | undefined> => {
  const out = await runtime().ddb.send(new GetCommand({ TableName: tableName(), Key: contactKey(sub) }));
  return out.Item ? strip(out.Item) : undefined;
};

const strip = (item: Record<string, unknown>): Contact => {
  const { sub, role, orgUnitId, phone, email, updatedAt } = item as unknown as Contact;
  return { sub, role, orgUnitId, updatedAt, ...(phone ? { phone } : {}), ...(email ? { email } : {}) };
};

/** Where one person's reminders go, as the unit's index carries it (without the time of the last change). */
export type ContactAddress = Omit<Contact, 'updatedAt'>;

/** The staff of one org unit who hold `role`, in one Query of the unit's partition. */
export const contactsOf = async (orgUnitId: string, role: string): Promise<ContactAddress[]> =>
  (
    await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :role)',
      ExpressionAttributeValues: { ':pk': `CONTACTS#${orgUnitId}`, ':role': `${role}#` },
    })
  ).map((item) => {
    const { updatedAt: _updatedAt, ...address } = strip(item);
    return address;
  });

const deliveryKey = (messageKey: string) => ({ pk: `DELIVERY#${messageKey}`, sk: 'DELIVERY' });

/**
 * Claims one message for sending. False when it was sent already or another attempt
 * holds a fresh claim; a claim older than `staleAfterMs` (a crashed attempt) is taken over.
 */
export const claimDelivery = async (messageKey: string, now: Date, staleAfterMs: number): Promise<boolean> => {
  return writeIf(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...deliveryKey(messageKey),
        state: 'sending',
        claimedAt: now.getTime(),
        expiresAt: Math.floor(now.getTime() / 1000) + 90 * 24 * 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR (#s = :sending AND claimedAt < :stale)',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':sending': 'sending', ':stale': now.getTime() - staleAfterMs },
    }),
  );
};

/** Marks the message done: `sent`, or `suppressed` when the address refused it for good. */
export const finishDelivery = async (messageKey: string, state: 'sent' | 'suppressed', now: Date): Promise<void> => {
  await runtime().ddb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: deliveryKey(messageKey),
      UpdateExpression: 'SET #s = :state, finishedAt = :at',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':state': state, ':at': now.toISOString() },
    }),
  );
};

/** Gives the claim back so that the queue's retry can send it. */
export const releaseDelivery = async (messageKey: string): Promise<void> => {
  await runtime().ddb.send(new DeleteCommand({ TableName: tableName(), Key: deliveryKey(messageKey) }));
};

/** Records an address that is invalid or opted out, so that it is not tried again. */
export const suppressAddress = async (channel: string, address: string, reason: string, now: Date): Promise<void> => {
  await runtime().ddb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { pk: 'SUPPRESSED', sk: `${channel}#${address}`, channel, address, reason, at: now.toISOString() },
    }),
  );
};

export const isSuppressed = async (channel: string, address: string): Promise<boolean> => {
  const out = await runtime().ddb.send(
    new GetCommand({ TableName: tableName(), Key: { pk: 'SUPPRESSED', sk: `${channel}#${address}` } }),
  );
  return !!out.Item;
};

/** A person who enters an address again vouches for it: it may be tried once more. */
export const unsuppressAddress = async (channel: string, address: string): Promise<void> => {
  await runtime().ddb.send(
    new DeleteCommand({ TableName: tableName(), Key: { pk: 'SUPPRESSED', sk: `${channel}#${address}` } }),
  );
};
