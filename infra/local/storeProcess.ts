import { answerParentAsks } from './command.ts';
import { startLocalDynamo, storeListening } from './dynamo.ts';

/*
 * The local store (dynalite on LMDB) in a process of its own: `npm start` starts it on the
 * product's data dir, and the bench measures its floor against the same process. It says
 * where it listens on stdout, closes cleanly on SIGTERM, and ends when its parent does.
 */
// A product gone before the store said where it listens closes the pipe: nothing to tell, just go.
process.stdout.on('error', () => process.exit(0));
const store = await startLocalDynamo(process.argv[2]);
console.log(storeListening(store));
const stop = () => void store.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The product was killed (no SIGTERM came): what was committed stays committed; just go.
process.on('disconnect', () => process.exit(0));
// The product's /local/stats asks how much CPU the store has used, and pauses its record (the bench's accounting).
answerParentAsks(store.setRecording);
