import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { invocationGate } from '../../infra/local/invocationGate.ts';
import { portOf, startServer, type Handler } from '../../infra/local/server.ts';

const waitUntil = async (ready: () => boolean) => {
  while (!ready()) await new Promise((r) => setTimeout(r, 5));
};

describe('the local server under more requests than it runs at once', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it('runs its handlers two at a time, the rest in arrival order, while its local routes still answer', async () => {
    // Prepare
    const releases: (() => void)[] = [];
    const started: string[] = [];
    let running = 0;
    let most = 0;
    const handler: Handler = async (event) => {
      started.push(event.rawQueryString);
      most = Math.max(most, ++running);
      await new Promise<void>((release) => releases.push(release));
      running--;
      return { statusCode: 200, body: event.rawQueryString };
    };
    server = await startServer(0, {
      verify: async () => undefined,
      local: { '/local/ping': async () => ({ status: 200, body: { pong: true } }) },
      handlerFor: () => handler,
      inTurn: invocationGate(2),
    });
    const base = `http://localhost:${portOf(server)}`;

    // Act
    const answers: Promise<string>[] = [];
    for (const n of ['n=1', 'n=2', 'n=3', 'n=4']) {
      answers.push(fetch(`${base}/v1/public/org?${n}`).then((r) => r.text()));
      await waitUntil(() => started.length >= Math.min(2, answers.length));
      await new Promise((r) => setTimeout(r, 20));
    }
    const whileFull = [...started];
    const ping = await fetch(`${base}/local/ping`).then((r) => r.json());
    while (releases.length || started.length < 4) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }

    // Assess
    expect(whileFull).toEqual(['n=1', 'n=2']);
    expect(ping).toEqual({ pong: true });
    expect(await Promise.all(answers)).toEqual(['n=1', 'n=2', 'n=3', 'n=4']);
    expect(started).toEqual(['n=1', 'n=2', 'n=3', 'n=4']);
    expect(most).toBe(2);
  });
});
