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

/** Lines wait until this many bytes are pending, or `FLUSH_AFTER_MS` have passed since the first. */
const FLUSH_AT_BYTES = 256 * 1024;
const FLUSH_AFTER_MS = 20;

/**
 * `handler` that also appends each call it answers to `file`. The record is there to
 * measure the store under the bench's closed loop, not to add to its work: written a turn
 * of the event loop at a time, as it was, its thousands of small file writes a second were
 * ~15 % of the store's CPU in the loop, a cost neither the relay's store nor the store
 * alone paid. So lines are kept as bytes and go out in writes of up to 256 KB, at most
 * 20 ms after they were answered (the bench reads the file once it has stopped growing).
 */
export const recordingCalls = (
  handler: RequestListener,
  file: string,
  /** Whether calls are recorded now; the bench pauses the record while it measures the product without it. */
  recording: () => boolean = () => true,
): RequestListener => {
  const out = createWriteStream(file, { flags: 'a' });
  let events = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    out.write(Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  const keep = (chunk: Buffer) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
  };
  return (req, res) => {
    if (!recording()) return handler(req, res);
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
      keep(Buffer.from(`${[operation, this.statusCode, request, arrived, events++].join('\t')}\t`));
      for (const chunk of body) keep(chunk);
      keep(LINE_END);
      if (pendingBytes >= FLUSH_AT_BYTES) flush();
      else timer ??= setTimeout(flush, FLUSH_AFTER_MS);
      return end.call(this, answer);
    };
    handler(req, res);
  };
};

const LINE_END = Buffer.from('\n');

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
