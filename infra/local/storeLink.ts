import { EventEmitter } from 'node:events';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import type { HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/*
 * The local store's link: DynamoDB's own requests and answers (the SDK's headers and JSON
 * bodies, dynalite's answers byte for byte), framed on one socket instead of an HTTP
 * exchange each. Node's HTTP client, and a socket write for every call, were about a
 * quarter of the product's CPU; over the link a 1,000-project district year took 46 s of
 * the product's CPU instead of 53-55 s, and 36 s of the store's instead of 40-41 s.
 *
 * A frame: u32 length of the rest, u32 call id, u32 length of the head, the head (JSON),
 * the body. A call's head is its method, path and headers; an answer's its status and
 * headers.
 */

interface CallHead {
  method: string;
  path: string;
  headers: Record<string, string>;
}

interface AnswerHead {
  status: number;
  headers: Record<string, string>;
}

const frameOf = (id: number, head: object, body: Uint8Array | string | undefined): Buffer => {
  const headBytes = Buffer.from(JSON.stringify(head));
  const bodyBytes = body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body) : body;
  const frame = Buffer.allocUnsafe(12 + headBytes.length + bodyBytes.length);
  frame.writeUInt32BE(8 + headBytes.length + bodyBytes.length, 0);
  frame.writeUInt32BE(id, 4);
  frame.writeUInt32BE(headBytes.length, 8);
  headBytes.copy(frame, 12);
  frame.set(bodyBytes, 12 + headBytes.length);
  return frame;
};

/** Calls `onFrame` for each whole frame that arrives on `socket`, however the bytes were split. */
const readFrames = (socket: Socket, onFrame: (id: number, head: unknown, body: Buffer) => void): void => {
  // A long answer comes in many reads: they are joined once it is whole, not at every read.
  let parts: Buffer[] = [];
  let buffered = 0;
  socket.on('data', (chunk: Buffer) => {
    parts.push(chunk);
    buffered += chunk.length;
    if (buffered < 4) return;
    const first = parts[0].length >= 4 ? parts[0] : Buffer.concat(parts, buffered);
    if (buffered < 4 + first.readUInt32BE(0)) return;
    const data = parts.length === 1 ? parts[0] : Buffer.concat(parts, buffered);
    let at = 0;
    while (data.length - at >= 4) {
      const length = data.readUInt32BE(at);
      if (data.length - at - 4 < length) break;
      const id = data.readUInt32BE(at + 4);
      const headLength = data.readUInt32BE(at + 8);
      const head = JSON.parse(data.toString('utf8', at + 12, at + 12 + headLength));
      onFrame(id, head, data.subarray(at + 12 + headLength, at + 4 + length));
      at += 4 + length;
    }
    parts = at === data.length ? [] : [data.subarray(at)];
    buffered = data.length - at;
  });
};

/** How many frames a link gathers at most before it writes them. */
export const FLUSH_AT = 4;

/**
 * Gathers the frames written until the event loop next checks (setImmediate), or until
 * `FLUSH_AT` wait, into one socket write. Flushed at the end of the running tick instead,
 * each request's calls left alone, 50 clients without pause got 917 answers a second
 * against 1,154. Waiting for the check alone left each side idle while the other worked
 * through a whole turn's batch: the store alone answered 7,179–7,321 GetItems a second
 * (the store 73 % busy), against 9,723–10,134 flushing at 4 frames (93 %), 8,009–8,812 at
 * 8, 8,668 at 2 and 9,424 at 1 (100 projects, 10-s loops; the product's loop 1,558–1,662,
 * 1,646–1,695, 1,272–1,357, 1,649 and 1,592 requests a second).
 */
export class Batcher {
  private frames: Buffer[] = [];
  private scheduled = false;
  constructor(private readonly socket: Pick<Socket, 'write' | 'destroyed'>) {}

  push(frame: Buffer): void {
    if (this.frames.push(frame) >= FLUSH_AT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    const frames = this.frames;
    if (!frames.length) return;
    this.frames = [];
    if (!this.socket.destroyed) this.socket.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  }
}

/** dynalite's request listener, as the link calls it: `req` also has `method`, `url` and `headers`. */
export type RequestListener = (req: EventEmitter, res: object) => void;

/**
 * Serves `handler` (dynalite's request listener) on the link: each call reaches it as a
 * request with its method, url, headers and body, and its answer goes back once it ends.
 */
export const serveStoreLink = async (handler: RequestListener): Promise<{ address: string; server: Server }> => {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    const out = new Batcher(socket);
    readFrames(socket, (id, head, body) => {
      const call = head as CallHead;
      const req = Object.assign(new EventEmitter(), { method: call.method, url: call.path, headers: call.headers });
      const headers: Record<string, string> = {};
      const res = {
        statusCode: 200,
        contentType: undefined as string | undefined,
        setHeader(name: string, value: string | number) {
          headers[name.toLowerCase()] = String(value);
        },
        end(answer?: Buffer | string) {
          out.push(frameOf(id, { status: this.statusCode, headers } satisfies AnswerHead, answer));
        },
      };
      handler(req, res);
      if (body.length) req.emit('data', body);
      req.emit('end');
    });
    // A client that went away takes its unanswered calls with it, as a closed HTTP connection does.
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { address: `127.0.0.1:${port}`, server };
};

interface Waiting {
  resolve: (answer: { response: HttpResponse }) => void;
  reject: (e: Error) => void;
}

/** The link broke with calls unanswered: the SDK retries these as it does a reset connection. */
const linkReset = (cause?: Error): Error =>
  Object.assign(new Error(`the local store's link closed${cause ? `: ${cause.message}` : ''}`), { code: 'ECONNRESET' });

interface Link {
  socket: Socket;
  out: Batcher;
  waiting: Map<number, Waiting>;
}

/**
 * The SDK's request handler over the link at `address` (`host:port`): one socket, opened
 * on the first call and again after it breaks.
 */
export class StoreLinkHandler implements RequestHandler<HttpRequest, HttpResponse> {
  private current: Link | undefined;
  private nextId = 1;

  constructor(private readonly address: string) {}

  handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const id = this.nextId;
    this.nextId = this.nextId === 0xffffffff ? 1 : this.nextId + 1;
    const query = Object.keys(request.query ?? {}).length
      ? `?${new URLSearchParams(request.query as Record<string, string>)}`
      : '';
    // As an HTTP server would hand them on: names in lower case.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const head: CallHead = { method: request.method, path: `${request.path}${query}`, headers };
    const link = this.link();
    return new Promise((resolve, reject) => {
      link.waiting.set(id, { resolve, reject });
      link.out.push(frameOf(id, head, request.body as Uint8Array | string | undefined));
    });
  }

  private link(): Link {
    if (this.current && !this.current.socket.destroyed) return this.current;
    const [host, port] = this.address.split(':');
    const socket = connect({ host, port: Number(port), noDelay: true });
    const link: Link = { socket, out: new Batcher(socket), waiting: new Map() };
    this.current = link;
    readFrames(socket, (id, head, body) => {
      const waiting = link.waiting.get(id);
      if (!waiting) return;
      link.waiting.delete(id);
      const { status, headers } = head as AnswerHead;
      waiting.resolve({ response: { statusCode: status, headers, body } });
    });
    const broken = (e?: Error) => {
      if (this.current === link) this.current = undefined;
      const waiting = [...link.waiting.values()];
      link.waiting.clear();
      for (const w of waiting) w.reject(linkReset(e));
    };
    socket.on('error', broken);
    socket.on('close', () => broken());
    return link;
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): object {
    return {};
  }

  destroy(): void {
    this.current?.socket.destroy();
    this.current = undefined;
  }
}
