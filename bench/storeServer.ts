import { startLocalDynamo } from '../infra/local/dynamo.ts';

/*
 * The embedded store alone, in its own process as the product has it in its own: the
 * floor the product's figures are compared with.
 */
const store = await startLocalDynamo(process.argv[2]);
console.log(`store listening on ${store.endpoint}`);
process.on('SIGTERM', () => void store.close().then(() => process.exit(0)));
