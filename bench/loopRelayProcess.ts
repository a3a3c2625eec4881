import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRecordedCalls } from '../infra/local/callRecord.ts';
import { answerParentAsks } from '../infra/local/command.ts';
import { localStoreClient } from '../infra/local/dynamo.ts';
import { configuredConcurrency, invocationGate } from '../infra/local/invocationGate.ts';
import { replayUnitsOf, sendUnit, sendersOf, type ReplayTally } from './replay.ts';

/*
 * The closed loop's own store calls behind a bare HTTP server. The bench sends each of the
 * loop's requests again as it sent it to the product (method, token, body), under
 * `/units/{n}` + its path: the server reads it, makes the calls of the loop's request n
 * (replay.ts cuts the record into the same units as the bench does) through the product's
 * store client, and answers with the product's own answer to that request (status,
 * headers, body), from `answers`. No routing, no token check, no validation, no rule, no
 * view made: what any HTTP front of this store must do for these requests, and nothing more.
 * Like the product, it makes the calls of a bounded number of requests at once (16 unless
 * LOCAL_CONCURRENCY says otherwise), the rest in arrival order.
 * `GET /tally` answers the calls sent so far, and the refusals and differing answers among them.
 */
const [endpoint, link, file, from, to, answersFile] = process.argv.slice(2);
const recorded = readRecordedCalls(readFileSync(file).subarray(Number(from), Number(to)).toString());
const units = replayUnitsOf(recorded, sendersOf(localStoreClient({ endpoint, link })), true);
/** The product's answers by request number, their bodies left in the file's buffer (floor.ts writes it). */
const answersIn = (file: Buffer) => {
  const byTag = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
  for (let at = 0; at < file.length; ) {
    const end = file.indexOf(0x0a, at);
    const [tag, status, headers, bytes] = JSON.parse(file.subarray(at, end).toString());
    byTag.set(tag, { status, headers, body: file.subarray(end + 1, end + 1 + bytes) });
    at = end + 1 + bytes;
  }
  return byTag;
};
const answers = answersIn(readFileSync(answersFile));
const inTurn = invocationGate(configuredConcurrency());
const tally: ReplayTally = { sent: 0, refused: 0, differing: 0 };

const answerJson = (res: ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

const bodyOf = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const server = createServer(async (req, res) => {
  const url = req.url ?? '';
  if (url === '/tally') return answerJson(res, 200, tally);
  const unit = units[Number(url.split('/')[2])];
  if (!unit) return answerJson(res, 404, null);
  try {
    await bodyOf(req);
    const outputs = await inTurn(() => sendUnit(unit, tally));
    const answer = answers.get(unit.request);
    if (!answer) return answerJson(res, 200, { calls: outputs.length });
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  } catch {
    answerJson(res, 500, null);
  }
});
server.listen(0, '127.0.0.1', () =>
  console.log(`loop relay of ${units.length} requests listening on ${(server.address() as AddressInfo).port}`),
);
process.on('disconnect', () => process.exit(0));
answerParentAsks();
