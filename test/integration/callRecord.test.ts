import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordedCalls, recordingCalls } from '../../infra/local/callRecord.ts';
import { REQUEST_TAG_HEADER } from '../../infra/local/requestTag.ts';
import type { RequestListener } from '../../infra/local/storeLink.ts';

/*
 * The store's call record as the bench reads it: every call answered is there, whole and
 * in the order answered, whether it went out with a full buffer or with the timer.
 */

const answeringAtOnce: RequestListener = (req, res) => {
  const answered = res as { statusCode: number; end: (answer?: string) => void };
  req.on('end', () => {
    answered.statusCode = 200;
    answered.end('{}');
  });
};

/** One call through `listener` as the link makes it: the request, its body, its end. */
const call = (listener: RequestListener, operation: string, tag: string, body: string) => {
  const req = Object.assign(new EventEmitter(), {
    method: 'POST',
    url: '/',
    headers: { 'x-amz-target': `DynamoDB_20120810.${operation}`, [REQUEST_TAG_HEADER]: tag },
  });
  listener(req, { statusCode: 200, end() {} });
  req.emit('data', Buffer.from(body));
  req.emit('end');
};

const recordIn = () => join(mkdtempSync(join(tmpdir(), 'cf-call-record-')), 'calls.tsv');

const settled = async (file: string) => {
  let last = -1;
  for (;;) {
    const size = existsSync(file) ? statSync(file).size : 0;
    if (size === last && size > 0) return readRecordedCalls(readFileSync(file, 'utf8'));
    last = size;
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('the store call record', () => {
  it('records a few calls, in the order answered, once the timer flushes them', async () => {
    // Prepare
    const file = recordIn();
    const listener = recordingCalls(answeringAtOnce, file);

    // Act
    call(listener, 'GetItem', '7', '{"Key":{"pk":{"S":"A"}}}');
    call(listener, 'PutItem', '8', '{"Item":{"pk":{"S":"B"},"t":{"S":"a\\tb"}}}');

    // Assess
    const calls = await settled(file);
    expect(calls.map((c) => [c.operation, c.status, c.request, c.body])).toEqual([
      ['GetItem', 200, '7', '{"Key":{"pk":{"S":"A"}}}'],
      ['PutItem', 200, '8', '{"Item":{"pk":{"S":"B"},"t":{"S":"a\\tb"}}}'],
    ]);
    expect(calls[0].answered).toBeLessThan(calls[1].arrived);
  });

  it('keeps every call whole when a burst fills the buffer many times over', async () => {
    // Prepare: 2,000 calls of ~1 KB, several buffers' worth in one turn of the event loop
    const file = recordIn();
    const listener = recordingCalls(answeringAtOnce, file);
    const bodyOf = (i: number) => JSON.stringify({ Item: { pk: { S: `P#${i}` }, pad: { S: 'x'.repeat(1000) } } });

    // Act
    for (let i = 0; i < 2000; i++) call(listener, 'PutItem', String(i), bodyOf(i));

    // Assess
    const calls = await settled(file);
    expect(calls).toHaveLength(2000);
    calls.forEach((c, i) => {
      expect(c.request).toBe(String(i));
      expect(c.body).toBe(bodyOf(i));
    });
  });
});
