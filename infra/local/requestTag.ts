import { contextSlot } from '../../functions/requestContext.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/*
 * While the bench records the store's calls (LOCAL_STORE_RECORD_CALLS), each call carries
 * the number of the HTTP request it was made for, so that the replay (bench/replay.ts) can
 * send a request's calls together, as the product sent them, and the relay of the loop
 * (bench/loopRelayProcess.ts) can answer each with the product's answer. Without the
 * variable nothing is wrapped or added.
 */

/** The header a store call carries its request's number in. */
export const REQUEST_TAG_HEADER = 'x-local-request';

const recording = () => !!process.env.LOCAL_STORE_RECORD_CALLS;
const current = contextSlot<string>('requestTag');
let served = 0;
let tagging = true;

/**
 * Pauses (false) or resumes (true) the numbering while the store's record is paused: the
 * bench measures the product without it, then records the same loop again for its floors.
 */
export const setRequestTagging = (on: boolean): void => {
  tagging = on;
};

/** `handle`, numbering each request it serves while calls are recorded. */
export const taggingRequests = <A extends unknown[], R>(handle: (...args: A) => R): ((...args: A) => R) =>
  recording()
    ? (...args: A) => (tagging ? current.run(String(++served), () => handle(...args)) : handle(...args))
    : handle;

/**
 * The number of the request being served, while calls are recorded: the server sends it
 * back in REQUEST_TAG_HEADER, so the bench can pair each answer with the calls it took.
 */
export const currentRequestTag = (): string | undefined => current.get();

/** Makes each store call of `client` carry the number of the request it serves, while calls are recorded. */
export const tagStoreCalls = (client: DynamoDBClient): void => {
  if (!recording()) return;
  client.middlewareStack.add(
    // Not async: an untagged call passes with no promise of its own.
    (next) => (args) => {
      const tag = current.get();
      if (tag) (args.request as { headers: Record<string, string> }).headers[REQUEST_TAG_HEADER] = tag;
      return next(args);
    },
    { step: 'build', name: 'localRequestTag' },
  );
};
