import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStore, type Store } from '../../bench/floor.ts';
import { TABLE_NAME } from '../../infra/local/dynamo.ts';

/*
 * The stores the bench measures floors on. A floor of fresh writes pays what the product
 * paid per call while it was priced (every call asks for its capacity); a replay sends each
 * recorded call as it was sent, so a call of the loads, which asked for none, asks for none.
 */
let priced: Store;
let asRecorded: Store;
beforeAll(async () => {
  [priced, asRecorded] = await Promise.all([startStore(), startStore({ asRecorded: true })]);
});
afterAll(() => {
  priced?.stop();
  asRecorded?.stop();
});

const item = { pk: { S: 'PROJECT#p-1' }, sk: { S: 'PROJECT' }, title: { S: '楼道照明' } };
const key = { pk: item.pk, sk: item.sk };

describe('a store of the bench', () => {
  it('asks for the capacity of every call when it prices them', async () => {
    // Act
    await priced.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: item }));
    const read = await priced.client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: key }));

    // Assess
    expect(read.Item?.title).toEqual({ S: '楼道照明' });
    expect(read.ConsumedCapacity?.CapacityUnits).toBeGreaterThan(0);
  });

  it('sends each call as given when it replays', async () => {
    // Act
    await asRecorded.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: item }));
    const plain = await asRecorded.client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: key }));
    const asked = await asRecorded.client.send(
      new GetItemCommand({ TableName: TABLE_NAME, Key: key, ReturnConsumedCapacity: 'TOTAL' }),
    );

    // Assess
    expect(plain.Item?.title).toEqual({ S: '楼道照明' });
    expect(plain.ConsumedCapacity).toBeUndefined();
    expect(asked.ConsumedCapacity?.CapacityUnits).toBeGreaterThan(0);
  });
});
