/** Runs `call` once a place is free; settles as it settles. */
export type InvocationGate = <T>(call: () => Promise<T>) => Promise<T>;

/**
 * Runs at most `limit` calls at once; the rest wait in the order they came.
 *
 * The local server runs every API handler on one event loop, where requests in flight
 * share the CPU turn by turn: under a flood each of them takes as long as all of them,
 * so a request that needs two store round trips waits through twice as many turns as
 * one that needs one, and the slowest answers stretch far past the mean. With a bounded
 * number at once, the wait is mostly a place in the queue, which every request shares
 * alike. (In AWS each request has an execution environment of its own.)
 *
 * @param limit - how many calls may run at once (at least 1)
 * @returns a function that runs `call` once a place is free and settles as it settles
 */
export const invocationGate = (limit: number): InvocationGate => {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`--concurrency (LOCAL_CONCURRENCY) must be a whole number ≥ 1, not ${limit}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(call: () => Promise<T>): Promise<T> => {
    if (running < limit) running++;
    else await new Promise<void>((enter) => waiting.push(enter));
    try {
      return await call();
    } finally {
      // The place passes straight to the next in line, so no later arrival can take it first.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
};

/**
 * At 50 clients without pause (300 projects, four quick bench runs each way), 16 at once
 * kept the throughput (0.171-0.179 of the store's, against 0.133-0.187 unbounded), brought
 * the p99 from 3.41-4.16x the store's to 3.23-3.53x and the slowest answer from 301-427
 * ms to 129-187 ms. 4 and 8 at once cut the tail further but a quarter to a third of the
 * throughput, as fewer requests share each write to a socket; 20, 24 and 32 did no better.
 */
export const DEFAULT_CONCURRENCY = 16;

/** The limit as configured: the `--concurrency` flag when given, else LOCAL_CONCURRENCY, else the default. */
export const configuredConcurrency = (flag?: string): number =>
  Number(flag ?? process.env.LOCAL_CONCURRENCY ?? DEFAULT_CONCURRENCY);
