import { contextSlot } from '../requestContext.ts';

const context = contextSlot<string>('commandId');

/**
 * Runs one keyed command with its id (derived from the caller, the route, the path and the
 * Idempotency-Key), so that every history event it writes carries that id and a re-run
 * after a crash can recognise its own effect.
 */
export const withCommandId = <T>(commandId: string, run: () => Promise<T>): Promise<T> => context.run(commandId, run);

/** The id of the keyed command running now, if any. */
export const currentCommandId = (): string | undefined => context.get();
