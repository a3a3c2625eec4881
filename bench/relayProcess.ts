import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentSender } from '../functions/documentClient.ts';
import { TABLE_NAME, localStoreClient } from '../infra/local/dynamo.ts';
import { answerParentAsks } from '../infra/local/command.ts';

/*
 * The least any product of this design does per read: an HTTP server that answers
 * `GET /items/{n}` with one consistent GetItem through the product's own store client,
 * as JSON. No token, no validation, no rule. The bench runs its closed loop against it
 * to measure how much of the store's throughput an HTTP front can keep at all.
 */
const [endpoint, link] = process.argv.slice(2);
const ddb = documentSender(localStoreClient({ endpoint, link }));

const server = createServer((req, res) => {
  const n = Number((req.url ?? '').split('/').pop());
  ddb
    .send(
      new GetCommand({
        TableName: TABLE_NAME,
        Key: { pk: `PROJECT#floor-${1_000_000 + n}`, sk: 'PROJECT' },
        ConsistentRead: true,
      }),
    )
    .then(
      (out) => {
        const body = JSON.stringify(out.Item ?? null);
        res.writeHead(out.Item ? 200 : 404, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      },
      () => {
        res.writeHead(500).end();
      },
    );
});
server.listen(0, '127.0.0.1', () => console.log(`relay listening on ${(server.address() as AddressInfo).port}`));
process.on('disconnect', () => process.exit(0));
answerParentAsks();
