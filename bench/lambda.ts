import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { apiModules, moduleEntry } from '../functions/api/routes.ts';
import { median, round } from './client.ts';
import { scratchDir } from './product.ts';
import type { Progress } from './progress.ts';

const root = resolve(import.meta.dirname, '..');

/** The same banner infra/stacks/function.ts gives NodejsFunction. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __cfCreateRequire } from 'node:module'; const require = __cfCreateRequire(import.meta.url);";

/** Every function the stacks deploy: one per API module (routes.ts), the workflow tasks, the jobs, the sender. */
export const lambdaEntries = (): string[] => [
  ...apiModules().map(moduleEntry),
  'functions/tasks/park.ts',
  'functions/tasks/step.ts',
  'functions/jobs/reminderSweep.ts',
  'functions/jobs/yearEnd.ts',
  'functions/notify/sender.ts',
];

/** As NodejsFunction bundles (esbuild, ESM with the require banner, minified, the AWS SDK inside). */
const bundle = async (entry: { file?: string; contents?: string }, outfile: string): Promise<Metafile> => {
  const out = await build({
    ...(entry.file
      ? { entryPoints: [join(root, entry.file)] }
      : { stdin: { contents: entry.contents!, resolveDir: root, loader: 'ts' } }),
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    // As BUNDLE_DEFINE in infra/stacks/function.ts: the deployed profile is a file beside the bundle.
    define: { 'process.env.CF_PROFILES_FROM_FILES': '"true"' },
    minify: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
  });
  return out.metafile;
};

/** The SDK packages (clients and the document client) a bundle pulled in, with the commands it kept. */
const sdkUseOf = (meta: Metafile): Map<string, Set<string>> => {
  const found = new Map<string, Set<string>>();
  // What the output kept, not every file esbuild read: tree-shaken commands leave no bytes.
  const kept = Object.values(meta.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([k]) => k),
  );
  for (const input of kept) {
    const m = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)\/(?:.*\/commands\/(\w+Command)\.js)?/.exec(
      input,
    );
    if (!m) continue;
    const commands = found.get(m[1]) ?? new Set<string>();
    if (m[2]) commands.add(m[2]);
    found.set(m[1], commands);
  }
  return found;
};

/** The client class of each SDK package the product uses. */
const CLIENT_CLASS: Record<string, string> = {
  'client-dynamodb': 'DynamoDBClient',
  'lib-dynamodb': 'DynamoDBDocumentClient',
  'client-sfn': 'SFNClient',
  'client-sqs': 'SQSClient',
  'client-sesv2': 'SESv2Client',
  'client-pinpoint-sms-voice-v2': 'PinpointSMSVoiceV2Client',
};

/**
 * A bundle of only the SDK code the function uses: each client class and the commands
 * the function's bundle kept, all loaded at import.
 */
const floorSource = (use: Map<string, Set<string>>): string =>
  [...use]
    .map(
      ([p, commands], i) =>
        `export { ${[CLIENT_CLASS[p] ?? 'default', ...[...commands].sort()].map((n) => `${n} as p${i}_${n}`).join(', ')} } from '@aws-sdk/${p}';`,
    )
    .join('\n');

/**
 * Import (and module init) time of a bundle in one fresh node process. The profiles and
 * calendars sit next to it as CDK's afterBundling hook puts them.
 */
const importOnce = (file: string): number => {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});process.stdout.write(String(performance.now()-t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'cn-north-1',
      TABLE_NAME: 'bench',
      POLICY_PROFILE: 'guandu',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  return Number(out);
};

/**
 * The function's and its floor's import times, alternating one fresh process of each, so
 * that whatever else the machine does at that moment weighs on both alike.
 */
const importPair = (file: string, floorFile: string, runs: number): { initMs: number; floorInitMs: number } => {
  const own: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    own.push(importOnce(file));
    floor.push(importOnce(floorFile));
  }
  return { initMs: median(own), floorInitMs: median(floor) };
};

export interface LambdaFigure {
  entry: string;
  sdk: string[];
  bytes: number;
  floorBytes: number;
  sizeRatio: number;
  initMs: number;
  floorInitMs: number;
  initRatio: number;
}

export const runLambdaPackages = async (runs: number, progress: Progress): Promise<LambdaFigure[]> => {
  const dir = scratchDir('cf-bench-lambda-');
  const entries = lambdaEntries();
  const floors = new Map<string, { bytes: number; file: string }>();
  const figures: LambdaFigure[] = [];
  progress.phase('Lambda packages: bundle and cold import', entries.length);
  for (const entry of entries) {
    const out = join(dir, entry.replace(/[/.]/g, '_'));
    mkdirSync(out, { recursive: true });
    const file = join(out, 'index.mjs');
    const meta = await bundle({ file: entry }, file);
    cpSync(join(root, 'functions/policies/profiles'), join(out, 'profiles'), { recursive: true });
    cpSync(join(root, 'functions/policies/calendars'), join(out, 'calendars'), { recursive: true });
    const use = sdkUseOf(meta);
    const sdk = [...use.keys()].sort();
    const key = floorSource(use);
    let floor = floors.get(key);
    if (!floor) {
      const fdir = join(dir, `floor-${floors.size}`);
      mkdirSync(fdir, { recursive: true });
      const ffile = join(fdir, 'index.mjs');
      await bundle({ contents: key }, ffile);
      floor = { bytes: statSync(ffile).size, file: ffile };
      floors.set(key, floor);
    }
    const bytes = statSync(file).size;
    const { initMs, floorInitMs } = importPair(file, floor.file, runs);
    figures.push({
      entry,
      sdk,
      bytes,
      floorBytes: floor.bytes,
      sizeRatio: round(bytes / floor.bytes, 2),
      initMs,
      floorInitMs,
      initRatio: round(initMs / floorInitMs, 2),
    });
    progress.tick();
  }
  writeFileSync(join(dir, 'done'), '');
  return figures;
};
