import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { HttpHandlerOptions } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { awsRuntime } from '../../functions/runtime.ts';
import { withPlainConfig } from '../../functions/plainClientConfig.ts';

interface SentRequest {
  hostname: string;
  port?: number;
  headers: Record<string, string>;
}

/** A request handler that answers every call with an empty GetItem and keeps what was sent. */
const recordingHandler = (sent: SentRequest[]) => ({
  handle: async (request: SentRequest, _options?: HttpHandlerOptions) => {
    sent.push(request);
    return {
      response: {
        statusCode: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: new TextEncoder().encode('{}'),
      },
    };
  },
});

const clientWith = (sent: SentRequest[]) =>
  new DynamoDBClient({
    endpoint: 'http://store.test:8123',
    region: 'cn-north-1',
    credentials: { accessKeyId: 'AKIDPLAINCONFIG', secretAccessKey: 'secret' },
    requestHandler: recordingHandler(sent) as never,
    cacheMiddleware: true,
  });

describe('a DynamoDB client given a plain copy of its config', () => {
  it('keeps every setting and middleware, and still sends to its endpoint, signed with its credentials', async () => {
    // Prepare
    const sent: SentRequest[] = [];
    const client = clientWith(sent);
    const before = client.config;
    const settings = Object.keys(before);
    const credentials = before.credentials;
    const stack = client.middlewareStack.identify();

    // Act
    withPlainConfig(client);
    await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
    await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'b' } } }));

    // Assess
    expect(client.config).not.toBe(before);
    expect(Object.keys(client.config)).toEqual(settings);
    for (const key of settings) expect(client.config[key as keyof typeof before], key).toBe(before[key as never]);
    expect(client.config.credentials).toBe(credentials);
    expect(client.middlewareStack.identify()).toEqual(stack);
    expect(sent).toHaveLength(2);
    for (const request of sent) {
      expect(request.hostname).toBe('store.test');
      expect(request.port).toBe(8123);
      expect(request.headers.authorization).toContain('Credential=AKIDPLAINCONFIG/');
      expect(request.headers.authorization).toContain('/cn-north-1/dynamodb/aws4_request');
    }
  });

  it('is what a deployed function gets', () => {
    // Prepare
    const env = { TABLE_NAME: 'table', AWS_REGION: 'cn-north-1' };

    // Act
    const { rawDdb } = awsRuntime({ env });

    // Assess: the copy holds the credentials as a value, where the SDK's own object has a getter
    expect(Object.getOwnPropertyDescriptor(rawDdb.config, 'credentials')?.get).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(clientWith([]).config, 'credentials')?.get).toBeTypeOf('function');
  });
});
