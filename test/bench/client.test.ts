import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchClient, median } from '../../bench/client.ts';

/*
 * The bench's HTTP client: distinct residents must reach the product from distinct
 * addresses (the public routes limit each client), and a load that reads only statuses
 * must still see each answer's body when it asks for it.
 */

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(req.url === '/text' ? 200 : 201, {
        'content-type': req.url === '/text' ? 'text/plain' : 'application/json',
      });
      res.end(
        req.url === '/text'
          ? 'plain'
          : JSON.stringify({ from: req.socket.remoteAddress, auth: req.headers.authorization ?? null, body }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the bench client', () => {
  it('sends a call from the loopback address it is given, and from 127.0.0.1 otherwise', async () => {
    // Prepare
    const api = new BenchClient('127.0.0.1', port);

    // Act
    const a = await api.call('g', 'POST', '/', { from: '127.0.3.7', body: { n: 1 } });
    const b = await api.call('g', 'POST', '/', { from: '127.0.3.8' });
    const c = await api.call('g', 'POST', '/', { token: 't' });

    // Assess
    expect(a.body).toEqual({ from: '127.0.3.7', auth: null, body: '{"n":1}' });
    expect(b.body.from).toBe('127.0.3.8');
    expect(c.body).toEqual({ from: '127.0.0.1', auth: 'Bearer t', body: '' });
    api.close();
  });

  it('counts each call under its group, with the statuses it expects as successes', async () => {
    // Prepare
    const api = new BenchClient('127.0.0.1', port);

    // Act
    const text = await api.call('reads', 'GET', '/text');
    await api.call('reads', 'GET', '/text', { expect: [201] });
    await api.call('writes', 'POST', '/', { expect: [201] });

    // Assess
    expect(text).toMatchObject({ status: 200, body: 'plain' });
    expect(api.groups.get('reads')?.summary()).toMatchObject({ count: 2, errors: 1 });
    expect(api.groups.get('writes')?.summary()).toMatchObject({ count: 1, errors: 0 });
    expect(api.requests).toBe(3);
    api.close();
  });
});

describe('the median the bench reports', () => {
  it('is the middle value, or the mean of the two in the middle', () => {
    // Prepare, Act, Assess
    expect(median([19.0, 16.1, 17.2])).toBe(17.2);
    expect(median([3, 1, 4, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
  });
});
