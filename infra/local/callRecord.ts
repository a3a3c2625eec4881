import { createWriteStream } from 'node:fs';
import { REQUEST_TAG_HEADER } from './requestTag.ts';
import type { RequestListener } from './storeLink.ts';

/*
 * The calls the store answered, in the order it answered them, one line each: the
 * operation, the status, the product's HTTP request it served (requestTag.ts), when it
 * arrived and when it was answered (one count of both), then the request's JSON body as
 * the SDK sent it. The bench turns on `LOCAL_STORE_RECORD_CALLS` for the product it
 * measures and replays the file against a store of its own (bench/replay.ts): the floor
 * of the product's own writes, and of the closed loop's own calls.
 */

/** One recorded call. */
export interface RecordedCall {
  operation: string;
  status: number;
  /** The product's HTTP request the call served, '' for none (the workflow, the clock). */
  request: string;
  arrived: number;
  answered: number;
  body: string;
}

/**
 * `handler` that also appends each call it answers to `file`. The lines of one turn of the
 * event loop go out as one write, not one file write a call: the record is there to measure
 * the store under the bench's closed loop, not to add to its work.
 */
export const recordingCalls = (handler: RequestListener, file: string): RequestListener => {
  const out = createWriteStream(file, { flags: 'a' });
  let events = 0;
  let pending: string[] = [];
  const flush = () => {
    out.write(pending.join(''));
    pending = [];
  };
  return (req, res) => {
    const arrived = events++;
    const { headers } = req as unknown as { headers: Record<string, string | undefined> };
    const operation = (headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const request = headers[REQUEST_TAG_HEADER] ?? '';
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    const answered = res as { statusCode: number; end: (answer?: Buffer | string) => void };
    const end = answered.end;
    answered.end = function (this: typeof answered, answer) {
      // The SDK's JSON has no raw line breaks, so a line holds one call whole.
      const line = [operation, this.statusCode, request, arrived, events++, Buffer.concat(body).toString()];
      if (pending.length === 0) setImmediate(flush);
      pending.push(`${line.join('\t')}\n`);
      return end.call(this, answer);
    };
    handler(req, res);
  };
};

/** The calls of a file `recordingCalls` made. */
export const readRecordedCalls = (text: string): RecordedCall[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [operation, status, request, arrived, answered, ...rest] = line.split('\t');
      return {
        operation,
        status: Number(status),
        request,
        arrived: Number(arrived),
        answered: Number(answered),
        body: rest.join('\t'),
      };
    });
