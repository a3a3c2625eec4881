/*
 * A child process for the store's crash test: it opens the local store on the data dir it is
 * given and, until it is killed, moves every item of a fixed set on by one conditional
 * update that also moves the item between index partitions, printing `ack <key> <v>` only
 * after the store has answered. What is printed has been acknowledged.
 */
import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo, TABLE_NAME } from '../../infra/local/dynamo.ts';

const [dataDir, items, workers] = [process.argv[2], Number(process.argv[3] ?? 20), Number(process.argv[4] ?? 8)];
const store = await startLocalDynamo(dataDir);
const body = 'x'.repeat(3000);
const key = (i: number) => ({ pk: { S: `ITEM#${i}` }, sk: { S: 'A' } });

const current = async (i: number): Promise<number> => {
  const got = await store.client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: key(i), ConsistentRead: true }));
  return Number(got.Item?.v?.N ?? 0);
};

const work = async (w: number) => {
  for (let n = 0; ; n++) {
    const i = (w + n * workers) % items;
    const v = await current(i);
    try {
      await store.client.send(
        new UpdateItemCommand({
          TableName: TABLE_NAME,
          Key: key(i),
          // `year` mirrors the version in an attribute gsi1 projects, so the index entry's copy can be compared.
          UpdateExpression: 'SET v = :next, #year = :next, gsi1pk = :part, gsi1sk = :sk, body = :body',
          ExpressionAttributeNames: { '#year': 'year' },
          ConditionExpression: 'attribute_not_exists(v) OR v = :v',
          ExpressionAttributeValues: {
            ':v': { N: String(v) },
            ':next': { N: String(v + 1) },
            ':part': { S: `PART#${(v + 1) % 3}` },
            ':sk': { S: `ITEM#${i}` },
            ':body': { S: body },
          },
        }),
      );
      process.stdout.write(`ack ${i} ${v + 1}\n`);
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }
};
process.stdout.write('ready\n');
await Promise.all(Array.from({ length: workers }, (_, w) => work(w)));
