import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { AwsCredentialIdentity, HttpAuthScheme, HttpRequest } from '@smithy/types';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { LmdbLevel } from './lmdbLevel.ts';
import { askChild, cpuMsOfChild, firstSaid, storeNodeArgs } from './command.ts';
import { StoreLinkHandler, serveStoreLink, type RequestListener } from './storeLink.ts';
import { recordingCalls } from './callRecord.ts';
import { TABLE_INDEXES, createTableIndexes } from '../../functions/store/indexes.ts';
import { withPlainConfig } from '../../functions/plainClientConfig.ts';
import { withLightSerde } from '../../functions/lightSerde.ts';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: {
  db: LmdbLevel;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

export const TABLE_NAME = 'community-fund';

export interface LocalDynamo {
  client: DynamoDBClient;
  /** dynalite's HTTP endpoint, for any DynamoDB client (the functions run as deployed use it). */
  endpoint: string;
  /** Where the store's link listens (storeLink.ts): the product's own client uses it. */
  link: string;
  close(): Promise<void>;
  /** CPU time the store has used, in ms (user and system), when it runs in a process of its own. */
  cpuMs?(): Promise<number>;
  /**
   * Pauses (false) or resumes (true) the record of calls the bench asked for
   * (LOCAL_STORE_RECORD_CALLS); resolves once the store has taken it. Without a record, nothing.
   */
  setRecording(on: boolean): Promise<void>;
}

/**
 * dynalite: DynamoDB's API, here on LMDB in one file under the data dir (patched on install:
 * see patches/ and the README). Reached through the real AWS SDK (over its link, storeLink.ts), so the
 * handlers run unchanged. Without a data dir the store lives in a temporary file that
 * goes with close().
 */
export const startLocalDynamo = async (
  dataDir: string | undefined,
  opts: { ownProcess?: boolean } = {},
): Promise<LocalDynamo> => {
  if (opts.ownProcess && dataDir) return startStoreProcess(dataDir);
  const scratch = dataDir ? undefined : mkdtempSync(join(tmpdir(), 'cf-store-'));
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir ?? scratch!, 'store.mdb');
  const db = new LmdbLevel(file, { valueEncoding: 'json' });
  await db.open();
  if (dataDir) await adoptLevelDbStore(join(dataDir, 'db'), db);
  await addMissingIndexes(db);
  const server = dynalite({ db, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const answer = server.listeners('request')[0] as RequestListener;
  // The bench records the calls of the product it measures, to replay them (callRecord.ts).
  const recordTo = process.env.LOCAL_STORE_RECORD_CALLS;
  let recording = true;
  const link = await serveStoreLink(recordTo ? recordingCalls(answer, recordTo, () => recording) : answer);
  const client = localStoreClient({ endpoint, link: link.address });
  await ensureTable(client);
  return {
    client,
    endpoint,
    link: link.address,
    setRecording: async (on) => {
      recording = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        link.server.close();
        server.close(() => resolve());
      }).then(async () => {
        await db.close();
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }),
  };
};

/**
 * dynalite checks that a request carries a SigV4 header, not the signature itself: a fixed
 * header spares the HMAC of every call (about a fifth of a store call's client-side cost).
 */
const fixedSignature: HttpAuthScheme = {
  schemeId: 'aws.auth#sigv4',
  identityProvider: () => async (): Promise<AwsCredentialIdentity> => ({
    accessKeyId: 'local',
    secretAccessKey: 'local',
  }),
  signer: {
    sign: async (request) => {
      const r = request as HttpRequest;
      r.headers['x-amz-date'] = '20000101T000000Z';
      r.headers.authorization =
        'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0';
      return r;
    },
  },
};

export interface StoreAddress {
  endpoint: string;
  link: string;
}

/** What the store's process says once it listens (storeProcess.ts). */
export const storeListening = (at: StoreAddress): string => `store listening on ${at.endpoint} link ${at.link}`;

/** The addresses in the store's `storeListening` line, once `out` holds it whole. */
export const storeAddressIn = (out: string): StoreAddress | undefined => {
  const m = /store listening on (\S+) link (\S+)\n/.exec(out);
  return m ? { endpoint: m[1], link: m[2] } : undefined;
};

/**
 * The user agent is for AWS's side of a call, and dynalite never reads it; the SDK rebuilds
 * and escapes it on every call (~3 % of the product's CPU under the bench's closed loop).
 * Here it passes each call through as it is, keeping its name and place in the stack,
 * where Powertools adds its own part of the agent (the idempotency layer's client).
 */
const USER_AGENT_PASS_THROUGH = {
  name: 'getUserAgentMiddleware',
  step: 'build',
  priority: 'low',
  override: true,
} as const;

/** A client of the local store, as the product and the bench's floor use it: over the store's link. */
export const localStoreClient = (at: StoreAddress): DynamoDBClient => {
  const client = withLightSerde(
    withPlainConfig(
      new DynamoDBClient({
        endpoint: at.endpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 3,
        requestHandler: new StoreLinkHandler(at.link),
        httpAuthSchemes: [fixedSignature],
        cacheMiddleware: true,
      }),
    ),
  );
  client.middlewareStack.add((next) => next, USER_AGENT_PASS_THROUGH);
  // Only Lambda sets a trace header for this middleware to pass on.
  client.middlewareStack.remove('recursionDetectionMiddleware');
  return client;
};

/**
 * The store in a process of its own (infra/local/storeProcess.ts), so that dynalite and
 * LMDB do not share the product's event loop; it ends with its parent, also when the
 * parent is killed.
 */
const startStoreProcess = async (dataDir: string): Promise<LocalDynamo> => {
  const child = spawn(
    process.execPath,
    // e.g. LOCAL_STORE_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the store process
    storeNodeArgs(dataDir, process.env.LOCAL_STORE_NODE_ARGS?.split(' ').filter(Boolean)),
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const at = await firstSaid(child, storeAddressIn, 'the local store');
  const client = localStoreClient(at);
  return {
    client,
    ...at,
    cpuMs: () => cpuMsOfChild(child),
    setRecording: (on) => askChild(child, { record: on }, 'recording').then(() => undefined),
    close: async () => {
      client.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
};

/**
 * A data dir written before the store moved to LMDB keeps its records in LevelDB under
 * `db/`: they are copied over once, byte for byte, and the old directory is renamed so
 * that it is never read again.
 */
const adoptLevelDbStore = async (levelDir: string, into: LmdbLevel): Promise<void> => {
  if (!existsSync(levelDir)) return;
  const { ClassicLevel } = require('classic-level') as typeof import('classic-level');
  const old = new ClassicLevel<Buffer, Buffer>(levelDir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await old.open();
  let batch: { type: 'put'; key: Buffer; value: Buffer }[] = [];
  for await (const [key, value] of old.iterator()) {
    batch.push({ type: 'put', key, value });
    if (batch.length === 1000)
      await into.batch(batch, { keyEncoding: 'buffer', valueEncoding: 'buffer' }), (batch = []);
  }
  if (batch.length) await into.batch(batch, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await old.close();
  renameSync(levelDir, `${levelDir}.adopted-into-store.mdb`);
};

interface StoredIndex {
  IndexName: string;
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
}
interface StoredTable {
  TableName: string;
  TableArn: string;
  KeySchema: StoredIndex['KeySchema'];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: StoredIndex[];
}

/**
 * A table made before one of TABLE_INDEXES existed gets that index here, before the store
 * answers anything (dynalite's UpdateTable cannot add one, DynamoDB's can): the entries of
 * every item that has its keys first, then the table's definition. A start killed
 * midway writes the same entries again.
 */
const addMissingIndexes = async (db: LmdbLevel): Promise<void> => {
  const tableKey = `table~${TABLE_NAME}`;
  const table = (await db.get(tableKey)) as StoredTable | undefined;
  if (!table) return;
  const have = new Set((table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const added = createTableIndexes()
    .filter((i) => !have.has(i.IndexName))
    .map((i) => ({
      ...i,
      IndexArn: `${table.TableArn}/index/${i.IndexName}`,
      IndexStatus: 'ACTIVE',
      IndexSizeBytes: 0,
      ItemCount: 0,
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
    }));
  if (!added.length) return;
  const { getIndexActions } = require('dynalite/db') as {
    getIndexActions(
      indexes: object[],
      existing: undefined,
      item: object,
      table: StoredTable,
    ): {
      puts: { index: string; key: string; item: object }[];
    };
  };
  const items = `item-${TABLE_NAME}~`;
  let batch: { type: 'put'; key: string; value: object }[] = [];
  for await (const [, item] of db.iterator({ gt: items, lt: `item-${TABLE_NAME}\u007f` })) {
    for (const put of getIndexActions(added, undefined, item, table).puts)
      batch.push({ type: 'put', key: `index-global~${TABLE_NAME}~${put.index}~${put.key}`, value: put.item });
    if (batch.length >= 1000) await db.batch(batch), (batch = []);
  }
  if (batch.length) await db.batch(batch);
  const defined = new Set(table.AttributeDefinitions.map((a) => a.AttributeName));
  const keys = added.flatMap((i) => i.KeySchema.map((k) => k.AttributeName)).filter((a) => !defined.has(a));
  await db.put(tableKey, {
    ...table,
    AttributeDefinitions: [
      ...table.AttributeDefinitions,
      ...keys.map((a) => ({ AttributeName: a, AttributeType: 'S' })),
    ],
    GlobalSecondaryIndexes: [...(table.GlobalSecondaryIndexes ?? []), ...added],
  });
};

const ensureTable = async (client: DynamoDBClient): Promise<void> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: TABLE_NAME }));
    return;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException) && (e as Error).name !== 'ResourceNotFoundException') throw e;
  }
  await client.send(
    new CreateTableCommand({
      TableName: TABLE_NAME,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        ...TABLE_INDEXES.flatMap((i) => [
          { AttributeName: i.partitionKey, AttributeType: 'S' as const },
          { AttributeName: i.sortKey, AttributeType: 'S' as const },
        ]),
      ],
      // The same indexes as the deployed table (infra/stacks/data-stack.ts builds them from the same list).
      GlobalSecondaryIndexes: createTableIndexes(),
    }),
  );
  // dynalite answers CreateTable while the table is CREATING; writes before ACTIVE are refused.
  while ((await client.send(new DescribeTableCommand({ TableName: TABLE_NAME }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
