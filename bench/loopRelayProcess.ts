import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRecordedCalls } from '../infra/local/callRecord.ts';
import { answerCpuAsks } from '../infra/local/command.ts';
import { localStoreClient } from '../infra/local/dynamo.ts';
import { replayUnitsOf, sendUnit, sendersOf, type ReplayTally } from './replay.ts';

/*
 * The closed loop's own store calls behind a bare HTTP server: `GET /units/{n}` makes the
 * calls of the loop's request n (replay.ts cuts the record into the same units as the
 * bench does) through the product's store client, and answers with how many it made.
 * No token, no validation, no rule, and not even the data: less than any HTTP front
 * does for these requests.
 * `GET /tally` answers the calls sent so far, and the refusals and differing answers among them.
 */
const [endpoint, link, file, from, to] = process.argv.slice(2);
const recorded = readRecordedCalls(readFileSync(file).subarray(Number(from), Number(to)).toString());
const units = replayUnitsOf(recorded, sendersOf(localStoreClient({ endpoint, link })), true);
const tally: ReplayTally = { sent: 0, refused: 0, differing: 0 };

const answer = (res: import('node:http').ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

const server = createServer((req, res) => {
  const url = req.url ?? '';
  if (url === '/tally') return answer(res, 200, tally);
  const unit = units[Number(url.split('/').pop())];
  if (!unit) return answer(res, 404, null);
  sendUnit(unit, tally).then(
    (outputs) => answer(res, 200, { calls: outputs.length }),
    () => answer(res, 500, null),
  );
});
server.listen(0, '127.0.0.1', () =>
  console.log(`loop relay of ${units.length} requests listening on ${(server.address() as AddressInfo).port}`),
);
process.on('disconnect', () => process.exit(0));
answerCpuAsks();
