import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * What a request carries down to the code it calls without passing it along: its audit
 * entry, its command's id, the reads its command decides on, the runtime of the function
 * serving it. All of them share one AsyncLocalStorage: while a storage is in use, Node 20
 * copies it onto every promise made, so each further storage costs every await of every
 * request, and a request makes hundreds.
 */
const storage = new AsyncLocalStorage<Readonly<Record<symbol, unknown>>>();

/** One value a request carries: set for the duration of `run`, read with `get`. */
export interface ContextSlot<T> {
  /** Runs `fn` with this slot set to `value`; the other slots keep what the caller had. */
  run<R>(value: T, fn: () => R): R;
  /** The value of the innermost `run` around the caller, if any. */
  get(): T | undefined;
}

/** A slot of the request's context, named for debugging. */
export const contextSlot = <T>(name: string): ContextSlot<T> => {
  const key = Symbol(name);
  return {
    run: (value, fn) => storage.run({ ...storage.getStore(), [key]: value }, fn),
    get: () => storage.getStore()?.[key] as T | undefined,
  };
};
