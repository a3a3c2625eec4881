import { createWriteStream } from 'node:fs';
import { WRITE_COMMANDS, operationOf } from './stats.ts';
import type { RequestListener } from './storeLink.ts';

/*
 * The writes the store answered, in the order it answered them, one line each: the
 * operation, the status, then the request's JSON body as the SDK sent it. The bench turns
 * on `LOCAL_STORE_RECORD_WRITES` for the product it measures and replays the file against
 * a fresh store (bench/replay.ts): the floor of the product's own writes.
 */

/** One recorded write. */
export interface RecordedWrite {
  operation: string;
  status: number;
  body: string;
}

/** `handler` that also appends each write it answers to `file`. */
export const recordingWrites = (handler: RequestListener, file: string): RequestListener => {
  const out = createWriteStream(file, { flags: 'a' });
  // Only the operations that change items are recorded.
  const writes = new Set(WRITE_COMMANDS.map(operationOf));
  return (req, res) => {
    const { headers } = req as unknown as { headers: Record<string, string | undefined> };
    const operation = (headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (!writes.has(operation)) return handler(req, res);
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    const answered = res as { statusCode: number; end: (answer?: Buffer | string) => void };
    const end = answered.end;
    answered.end = function (this: typeof answered, answer) {
      // The SDK's JSON has no raw line breaks, so a line holds one write whole.
      out.write(`${operation}\t${this.statusCode}\t${Buffer.concat(body).toString()}\n`);
      return end.call(this, answer);
    };
    handler(req, res);
  };
};

/** The writes of a file `recordingWrites` made. */
export const readRecordedWrites = (text: string): RecordedWrite[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [operation, status, ...rest] = line.split('\t');
      return { operation, status: Number(status), body: rest.join('\t') };
    });
