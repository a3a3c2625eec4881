import type { DynamoDBClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import { getSmithyContext } from '@smithy/core';
import { toEndpointV1 } from '@smithy/core/endpoints';
import { deserializerMiddlewareOption, serializerMiddlewareOption } from '@smithy/core/schema';
import type { DeserializeMiddleware, HandlerExecutionContext, HttpResponse, SerializeMiddleware } from '@smithy/types';

/*
 * The SDK's schema serde middleware hands its protocol `{ ...config, ...context }` on every
 * call, both ways: a copy of the client's ~50 config keys, which V8 keeps as a hash table.
 * Measured at 300 projects, the two copies were ~6 % of the product's CPU in the bench's
 * closed loop. Middleware of the same names here hand it an object whose prototype is
 * the config and whose own keys are the context's: every key reads the same, and the
 * protocol only reads keys (it never spreads or lists them). Everything else is the SDK's:
 * its protocol, its error parsing, its retries; an error leaves with the raw answer and
 * metadata on it, as the SDK's own middleware leaves it.
 */

interface Protocol {
  serializeRequest(operation: object, input: unknown, context: object): Promise<unknown>;
  deserializeResponse(operation: object, context: object, response: HttpResponse): Promise<object>;
}

interface SerdeConfig {
  protocol: Protocol;
  endpoint?: unknown;
}

type OperationSchema = [unknown, string, string, unknown, unknown, unknown];

/** The operation as the schema serde middleware describes it to the protocol. */
const operationOf = (context: HandlerExecutionContext) => {
  const schema = (getSmithyContext(context) as { operationSchema?: OperationSchema }).operationSchema;
  const [, namespace, name, traits, input, output] = schema ?? [];
  return { name, namespace, traits, input, output };
};

const contextOver = (config: object, context: object, extra?: object): object =>
  Object.assign(Object.create(config), context, extra);

/** The metadata the SDK's middleware gives an error that has none. */
const metadataOf = (response: HttpResponse) => {
  const header = (pattern: RegExp) => Object.entries(response.headers ?? {}).find(([k]) => pattern.test(k))?.[1];
  return {
    httpStatusCode: response.statusCode,
    requestId: header(/^x-[\w-]+-request-?id$/),
    extendedRequestId: header(/^x-[\w-]+-id-2$/),
    cfId: header(/^x-[\w-]+-cf-id$/),
  };
};

type Input = ServiceInputTypes;
type Output = ServiceOutputTypes;

const serializer =
  (config: SerdeConfig): SerializeMiddleware<Input, Output> =>
  (next, context) =>
  async (args) => {
    const endpoint = context.endpointV2 ? async () => toEndpointV1(context.endpointV2!) : config.endpoint;
    const request = await config.protocol.serializeRequest(
      operationOf(context),
      args.input,
      contextOver(config, context, { endpoint }),
    );
    return next({ ...args, request });
  };

const deserializer =
  (config: SerdeConfig): DeserializeMiddleware<Input, Output> =>
  (next, context) =>
  async (args) => {
    const { response } = (await next(args)) as { response: HttpResponse };
    try {
      const output = await config.protocol.deserializeResponse(
        operationOf(context),
        contextOver(config, context),
        response,
      );
      return { response, output: output as Output };
    } catch (e) {
      // As the SDK's middleware: the raw answer hidden on the error, and metadata when the protocol gave none.
      const error = e as Error & { $metadata?: object };
      Object.defineProperty(error, '$response', { value: response, enumerable: false });
      if (!('$metadata' in error)) error.$metadata = metadataOf(response);
      throw error;
    }
  };

/**
 * Gives `client` serde middleware that read the config through a prototype instead of
 * copying it (see above). Call it once, on a new client, after any change to its config.
 */
export const withLightSerde = <C extends DynamoDBClient>(client: C): C => {
  const config = client.config as unknown as SerdeConfig;
  client.middlewareStack.add(serializer(config), serializerMiddlewareOption as { step: 'serialize' });
  client.middlewareStack.add(deserializer(config), deserializerMiddlewareOption as { step: 'deserialize' });
  return client;
};
