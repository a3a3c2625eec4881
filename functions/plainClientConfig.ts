import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Gives `client` a copy of its resolved config that V8 keeps as an ordinary object.
 *
 * The SDK resolves a client's config by `Object.assign`-ing onto one object in ten steps,
 * which leaves V8 holding it as a hash table: copying it (`{ ...config }`, as the endpoint
 * middleware does on every call) takes ~9 µs on this machine against ~1 µs for the same
 * 51 keys in an ordinary object, and every read of it is a hash lookup. The endpoint
 * middleware is given `client.config` when a command's handler is built (once per command
 * class with `cacheMiddleware`), so after this it works on the copy: a GetItem through
 * the local store's client costs ~12 µs less CPU (~93 µs against ~105–110 µs, measured
 * in alternating runs). The values are the same ones; the credentials' getter returns the
 * same memoised provider every time, so it is read once. Middleware that kept the first
 * object (serde, signing, retry) go on using it: giving the serde middleware the copy as
 * well made calls slower, not faster.
 *
 * Call it on a new client, before its first command.
 */
export const withPlainConfig = <C extends DynamoDBClient>(client: C): C => {
  (client as { config: C['config'] }).config = { ...client.config };
  return client;
};
