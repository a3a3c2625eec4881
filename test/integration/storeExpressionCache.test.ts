import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtime } from '../../functions/runtime.ts';
import { embeddedStore } from '../support/embeddedStore.ts';

/*
 * The embedded store keeps the trees of the expressions it parsed (patches/dynalite…):
 * the product sends the same expressions again and again with other values. A kept tree
 * must never carry one request's values into another, nor hide an error that the
 * second request's names or value types make.
 */
let store: Awaited<ReturnType<typeof embeddedStore>>;
beforeAll(async () => {
  store = await embeddedStore();
});
afterAll(async () => store?.stop());

const TABLE = () => runtime().tableName;
const keyOf = (id: string) => ({ pk: `CACHE#${id}`, sk: 'ITEM' });
const ddb = () => runtime().ddb;
const read = async (id: string) =>
  (await ddb().send(new GetCommand({ TableName: TABLE(), Key: keyOf(id), ConsistentRead: true }))).Item;

const NAMES = { '#t': 'title', '#n': 'count', '#v': 'version' };

/** One update with the same expressions every time, and the names and values given. */
const update = (id: string, values: Record<string, unknown>, names: Record<string, string> = NAMES) =>
  ddb().send(
    new UpdateCommand({
      TableName: TABLE(),
      Key: keyOf(id),
      UpdateExpression: 'SET #t = :t, #n = if_not_exists(#n, :zero) + :n, #v = :next',
      ConditionExpression: 'attribute_not_exists(#v) OR #v = :v',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );

const setTitle = (id: string, title: string, count: number, version: number) =>
  update(id, { ':t': title, ':n': count, ':zero': 0, ':v': version, ':next': version + 1 });

const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as Error & { name: string };
  }
  throw new Error('the store accepted a request it should have refused');
};

describe('expressions the store has parsed before', () => {
  it('apply each request its own values', async () => {
    // Prepare: the first write parses the expressions
    await setTitle('a', 'first', 2, 0);

    // Act: the same expressions with other values, on the same and on another item
    await setTitle('a', 'second', 5, 1);
    await setTitle('b', 'third', 7, 0);

    // Assess
    expect(await read('a')).toMatchObject({ title: 'second', count: 7, version: 2 });
    expect(await read('b')).toMatchObject({ title: 'third', count: 7, version: 1 });
  });

  it("test each request's condition against its own values", async () => {
    // Prepare
    await setTitle('c', 'one', 1, 0);

    // Act: the version named is stale now, as a request racing another would name it
    const refused = await rejection(setTitle('c', 'two', 1, 0));

    // Assess
    expect(refused.name).toBe('ConditionalCheckFailedException');
    expect(await read('c')).toMatchObject({ title: 'one', version: 1 });
  });

  it('still refuse a value of a type the expression cannot take', async () => {
    // Prepare: `+ :n` parsed with a number
    await setTitle('d', 'one', 1, 0);

    // Act: the same expression with a string where the number was
    const refused = await rejection(update('d', { ':t': 'x', ':n': 'two', ':zero': 0, ':v': 1, ':next': 2 }));

    // Assess
    expect(refused.name).toBe('ValidationException');
    expect(refused.message).toMatch(/Incorrect operand type/);
    expect(await read('d')).toMatchObject({ title: 'one', count: 1, version: 1 });
  });

  it('still refuse a value or a name the expressions do not use', async () => {
    // Prepare
    await setTitle('e', 'one', 1, 0);

    // Act
    const unusedValue = await rejection(
      update('e', { ':t': 'x', ':n': 1, ':zero': 0, ':v': 1, ':next': 2, ':spare': 3 }),
    );
    const unusedName = await rejection(
      update('e', { ':t': 'x', ':n': 1, ':zero': 0, ':v': 1, ':next': 2 }, { ...NAMES, '#spare': 'spare' }),
    );

    // Assess
    expect(unusedValue.message).toMatch(/ExpressionAttributeValues unused in expressions: keys: \{:spare\}/);
    expect(unusedName.message).toMatch(/ExpressionAttributeNames unused in expressions: keys: \{#spare\}/);
    expect(await read('e')).toMatchObject({ title: 'one', version: 1 });
  });

  it('check the bounds of each BETWEEN, whose check reads the values themselves', async () => {
    // Prepare
    await ddb().send(new PutCommand({ TableName: TABLE(), Item: { ...keyOf('f'), n: 5 } }));
    const between = (low: number, high: number) =>
      ddb().send(
        new QueryCommand({
          TableName: TABLE(),
          KeyConditionExpression: 'pk = :pk AND sk = :sk',
          FilterExpression: 'n BETWEEN :low AND :high',
          ExpressionAttributeValues: { ':pk': 'CACHE#f', ':sk': 'ITEM', ':low': low, ':high': high },
        }),
      );

    // Act
    const inside = await between(1, 9);
    const outside = await between(6, 9);
    const inverted = await rejection(between(9, 1));

    // Assess
    expect(inside.Items).toHaveLength(1);
    expect(outside.Items).toHaveLength(0);
    expect(inverted.message).toMatch(/upper bound to be greater than or equal to lower bound/);
  });

  it('filter each query by its own values', async () => {
    // Prepare
    await ddb().send(new PutCommand({ TableName: TABLE(), Item: { ...keyOf('g'), status: 'OPEN' } }));
    const withStatus = (status: string) =>
      ddb().send(
        new QueryCommand({
          TableName: TABLE(),
          KeyConditionExpression: 'pk = :pk AND sk = :sk',
          FilterExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':pk': 'CACHE#g', ':sk': 'ITEM', ':s': status },
        }),
      );

    // Act
    const open = await withStatus('OPEN');
    const closed = await withStatus('CLOSED');

    // Assess
    expect(open.Items).toHaveLength(1);
    expect(closed.Items).toHaveLength(0);
  });

  describe('whose names are record ids', () => {
    const ID_A = '01JH0000000000000000000AAA';
    const ID_B = '01JH0000000000000000000BBB';
    /** Adds one record under its id, once, as the product adds a deliberation or a payment. */
    const addRecord = (item: string, ids: [string, string], values: [string, string]) =>
      ddb().send(
        new UpdateCommand({
          TableName: TABLE(),
          Key: keyOf(item),
          UpdateExpression: 'SET #r.#a = :a, #r.#b = :b',
          ConditionExpression: 'attribute_not_exists(#r.#a)',
          ExpressionAttributeNames: { '#r': 'records', '#a': ids[0], '#b': ids[1] },
          ExpressionAttributeValues: { ':a': values[0], ':b': values[1] },
        }),
      );

    it("write each request's records under its own ids", async () => {
      // Prepare
      await ddb().send(new PutCommand({ TableName: TABLE(), Item: { ...keyOf('h'), records: {} } }));
      await addRecord('h', [ID_A, `${ID_A}#2`], ['a', 'a2']);

      // Act: the same expressions, other ids
      await addRecord('h', [ID_B, `${ID_B}#2`], ['b', 'b2']);
      const again = await rejection(addRecord('h', [ID_A, `${ID_B}#3`], ['x', 'x']));

      // Assess
      expect(again.name).toBe('ConditionalCheckFailedException');
      expect((await read('h'))?.records).toEqual({
        [ID_A]: 'a',
        [`${ID_A}#2`]: 'a2',
        [ID_B]: 'b',
        [`${ID_B}#2`]: 'b2',
      });
    });

    it('still refuse two paths that are one when the ids are equal', async () => {
      // Prepare: parsed with two ids
      await ddb().send(new PutCommand({ TableName: TABLE(), Item: { ...keyOf('i'), records: {} } }));
      await addRecord('i', [ID_A, ID_B], ['a', 'b']);

      // Act: the same expressions with one id twice
      const overlap = await rejection(addRecord('i', [ID_B, ID_B], ['x', 'y']));

      // Assess
      expect(overlap.name).toBe('ValidationException');
      expect(overlap.message).toMatch(/overlap/);
      expect((await read('i'))?.records).toEqual({ [ID_A]: 'a', [ID_B]: 'b' });
    });
  });
});
