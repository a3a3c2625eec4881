import { AbstractIterator, AbstractLevel, AbstractSnapshot } from 'abstract-level';
import { open, type Database, type RangeOptions } from 'lmdb';

type Key = Buffer;
type Entry = [Key, Buffer];
interface ReadTxn {
  done(): void;
}
interface LevelRange {
  gt?: Key;
  gte?: Key;
  lt?: Key;
  lte?: Key;
  reverse: boolean;
  limit: number;
  snapshot?: LmdbSnapshot;
}

const txnOf = new WeakMap<object, ReadTxn>();

/**
 * LMDB reads are synchronous: without a turn of the event loop between them, a reader in a
 * loop would starve the callbacks that complete writes (as LevelDB's thread pool never does).
 */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A consistent read view: one LMDB read transaction, held until the snapshot closes. */
class LmdbSnapshot extends AbstractSnapshot {
  constructor(txn: ReadTxn, options: object) {
    // The owner option is untyped in abstract-level but required at run time.
    super(...([options] as unknown as []));
    txnOf.set(this, txn);
  }

  async _close(): Promise<void> {
    txnOf.get(this)?.done();
  }
}

/**
 * A bytewise range of LMDB keys as abstract-level expresses it (gt/gte/lt/lte, reverse,
 * limit): LMDB's getRange takes an inclusive start and an exclusive end, so the exclusive
 * lower bound and the inclusive upper bound are applied here.
 */
const lmdbRange = (o: LevelRange): RangeOptions & { transaction?: ReadTxn } => {
  const low = o.gte ?? o.gt;
  const high = o.lte ?? o.lt;
  const transaction = o.snapshot ? txnOf.get(o.snapshot) : undefined;
  return o.reverse
    ? {
        start: high,
        end: low,
        reverse: true,
        inclusiveEnd: o.gte !== undefined,
        exclusiveStart: o.lt !== undefined,
        transaction,
      }
    : { start: low, end: high, inclusiveEnd: o.lte !== undefined, exclusiveStart: o.gt !== undefined, transaction };
};

/**
 * Reads a range in chunks, each one taken synchronously from a fresh LMDB cursor that is
 * closed before the chunk is returned: no cursor or read transaction ever outlives one turn
 * of the event loop, so a slow reader (a paused Query stream) pins nothing, and the next
 * chunk starts just after the last key returned.
 */
class LmdbIterator extends AbstractIterator<LmdbLevel, Key, Buffer> {
  private buffered: Entry[] = [];
  private last: Key | undefined;
  private ended = false;

  constructor(
    db: LmdbLevel,
    private readonly store: Database<Buffer, Key>,
    private readonly range: LevelRange,
  ) {
    super(db, range as never);
  }

  private read(size: number): void {
    const from: LevelRange =
      this.last === undefined
        ? this.range
        : this.range.reverse
          ? { ...this.range, lt: this.last, lte: undefined }
          : { ...this.range, gt: this.last, gte: undefined };
    const chunk = [...this.store.getRange({ ...lmdbRange(from), limit: size })].map((e) => [e.key, e.value] as Entry);
    if (chunk.length < size) this.ended = true;
    if (chunk.length) this.last = chunk[chunk.length - 1][0];
    this.buffered.push(...chunk);
  }

  /**
   * `wanted` entries, or fewer when the range's limit leaves fewer to deliver: every entry
   * read is copied out of LMDB (~4 µs each), and a Query of Limit 20 asks for 21.
   */
  private capped(wanted: number): number {
    if (this.range.limit < 0) return wanted;
    return Math.max(1, Math.min(wanted, this.range.limit - this.count - this.buffered.length));
  }

  async _next(): Promise<Entry | undefined> {
    if (!this.buffered.length && !this.ended) {
      await breathe();
      this.read(this.capped(CHUNK));
    }
    return this.buffered.shift();
  }

  async _nextv(size: number): Promise<Entry[]> {
    if (this.buffered.length < size && !this.ended) {
      await breathe();
      this.read(this.capped(Math.max(size - this.buffered.length, CHUNK)));
    }
    return this.buffered.splice(0, size);
  }
}

/** Entries read per chunk: a Query page is usually one or two chunks. */
const CHUNK = 64;

/**
 * An abstract-level database on LMDB, the engine under the local DynamoDB stand-in.
 *
 * It replaces LevelDB because the LevelDB that classic-level bundles (1.20) can return an
 * older version of a key after a compaction (google/leveldb issue 320). LMDB has no
 * compaction: a copy-on-write B+tree whose every commit is one atomic, flushed transaction,
 * so a batch (an item and its index entries) is all or nothing across a crash.
 */
export class LmdbLevel extends AbstractLevel<Buffer, string, any> {
  private store!: Database<Buffer, Key>;

  constructor(
    private readonly location: string,
    options: Record<string, unknown> = {},
  ) {
    super(
      { encodings: { buffer: true }, explicitSnapshots: true, implicitSnapshots: false, permanence: true, seek: false },
      options,
    );
  }

  async _open(): Promise<void> {
    // A write resolves once committed: it is then in the OS's file cache, so a crash of the
    // process (kill -9) cannot lose it; LMDB flushes to disk right after, and a crash of the
    // machine falls back to the last flushed commit, consistent but possibly without the
    // last moments. LOCAL_STORE_SYNC=flush waits for the flush before answering (slower:
    // one fsync per sequential write).
    // Without event-turn batching, the writes of the requests answered in one pass of the
    // event loop share a transaction, committed once on LMDB's writer thread, instead of one
    // commit (and one hop to that thread) per request: district-year-only bench runs took
    // 58.0-58.9 s against 62.9-65.8 s. Each batch (an item and its index entries) is still one transaction, and a
    // write still resolves only once committed.
    const separateFlushed = process.env.LOCAL_STORE_SYNC !== 'flush';
    this.store = open<Buffer, Key>({
      path: this.location,
      keyEncoding: 'binary',
      encoding: 'binary',
      compression: false,
      separateFlushed,
      eventTurnBatching: false,
    });
  }

  async _close(): Promise<void> {
    await this.store.close();
  }

  async _get(key: Key, options: { snapshot?: LmdbSnapshot }): Promise<Buffer | undefined> {
    const transaction = options.snapshot ? txnOf.get(options.snapshot) : undefined;
    await breathe();
    return (transaction ? this.store.get(key, { transaction } as never) : this.store.get(key)) ?? undefined;
  }

  async _getMany(keys: Key[], options: { snapshot?: LmdbSnapshot }): Promise<(Buffer | undefined)[]> {
    return Promise.all(keys.map((k) => this._get(k, options)));
  }

  async _put(key: Key, value: Buffer): Promise<void> {
    await this.store.put(key, value);
  }

  async _del(key: Key): Promise<void> {
    await this.store.remove(key);
  }

  async _batch(operations: { type: 'put' | 'del'; key: Key; value?: Buffer }[]): Promise<void> {
    await this.store.batch(() => {
      for (const op of operations) {
        if (op.type === 'put') void this.store.put(op.key, op.value!);
        else void this.store.remove(op.key);
      }
    });
  }

  async _clear(options: LevelRange): Promise<void> {
    const keys = [...this.store.getKeys(lmdbRange({ ...options, limit: -1 }))] as Key[];
    const limited = options.limit >= 0 ? keys.slice(0, options.limit) : keys;
    await this._batch(limited.map((key) => ({ type: 'del' as const, key })));
  }

  _iterator(options: LevelRange) {
    return new LmdbIterator(this, this.store, options);
  }

  _snapshot(options: object) {
    return new LmdbSnapshot(this.store.useReadTransaction() as ReadTxn, options);
  }
}
