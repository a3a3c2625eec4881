import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * Layers point one way: domain ← store ← executor ← {api, tasks, jobs, notify}; infra wires.
 * This reads the imports of every file under functions/ (static ones, and dynamic ones
 * with a literal path) and fails on an edge that runs backwards or on any import cycle.
 */

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Edges that run backwards and cycles: none since the lifecycle executor landed (decisions in
 * domain/decisions/, the executor in executor/). Keep both lists empty.
 */
const KNOWN_BACKWARD_EDGES: readonly string[] = [];
const KNOWN_CYCLES: readonly string[] = [];

/** Pure libraries the domain may use besides node's built-ins: zod (through its one entry) and ulid. */
const DOMAIN_MAY_ALSO_IMPORT = new Set(['functions/zod.ts', 'ulid']);

type Graph = ReadonlyMap<string, readonly string[]>;

const filesUnder = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(join(dir, e.name))
      : /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')
        ? [join(dir, e.name).split('\\').join('/')]
        : [],
  );

/** A package's name from a bare specifier (`@aws-sdk/lib-dynamodb/x` → `@aws-sdk/lib-dynamodb`). */
const packageOf = (spec: string): string =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);

const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || builtinModules.includes(spec);

/** Each file's imports: repository paths for relative ones, package names (or `node:x`) for the rest. */
const importGraph = (files: readonly string[]): Graph =>
  new Map(
    files.map((file) => {
      const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
      const targets = info.importedFiles.map(({ fileName: spec }) =>
        spec.startsWith('.')
          ? relative(ROOT, resolve(ROOT, dirname(file), spec))
              .split('\\')
              .join('/')
          : isBuiltin(spec)
            ? `node:${spec.replace(/^node:/, '')}`
            : packageOf(spec),
      );
      return [file, [...new Set(targets)]];
    }),
  );

const layerOf = (path: string): string | undefined => {
  if (!path.startsWith('functions/')) return undefined;
  if (/executor/i.test(path)) return 'executor';
  const [, second] = path.split('/');
  return second?.endsWith('.ts') ? 'root' : second;
};

/** Why an edge runs against the layers, or undefined when it may exist. */
const ruleBroken = (from: string, to: string): string | undefined => {
  const source = layerOf(from);
  const target = layerOf(to);
  if (source === 'domain') {
    if (target === 'domain' || to.startsWith('node:') || DOMAIN_MAY_ALSO_IMPORT.has(to)) return undefined;
    return 'domain/ imports only domain/, node built-ins and pure libraries';
  }
  if (source === 'store' && ['api', 'tasks', 'jobs', 'notify', 'executor'].includes(target ?? ''))
    return 'store/ imports no api/, tasks/, jobs/, notify/ or executor';
  if ((source === 'tasks' || source === 'jobs') && target === 'api') return `${source}/ imports no api/`;
  if (source === 'api' && target === 'jobs') return 'api/ imports no jobs/';
  return undefined;
};

/** Every edge that breaks a layer rule, as `from -> to` with the rule. */
const backwardEdges = (graph: Graph): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [from, targets] of graph)
    for (const to of targets) {
      const rule = ruleBroken(from, to);
      if (rule) out.set(`${from} -> ${to}`, rule);
    }
  return out;
};

/** The import cycles among the graph's own files, each as the files around it (Tarjan's components). */
const cyclesOf = (graph: Graph): string[][] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
};

describe('the layer checker', () => {
  it('finds a backward edge of each rule, and lets the allowed ones pass', () => {
    // Prepare
    const graph: Graph = new Map([
      ['functions/domain/a.ts', ['functions/domain/b.ts', 'node:crypto', 'functions/zod.ts', '@aws-sdk/lib-dynamodb']],
      ['functions/store/s.ts', ['functions/domain/a.ts', 'functions/api/h.ts']],
      ['functions/tasks/t.ts', ['functions/store/s.ts', 'functions/api/h.ts']],
      ['functions/jobs/j.ts', ['functions/api/h.ts']],
      ['functions/api/h.ts', ['functions/store/s.ts', 'functions/jobs/j.ts']],
    ]);

    // Act
    const found = [...backwardEdges(graph).keys()];

    // Assess
    expect(found.sort()).toEqual(
      [
        'functions/domain/a.ts -> @aws-sdk/lib-dynamodb',
        'functions/store/s.ts -> functions/api/h.ts',
        'functions/tasks/t.ts -> functions/api/h.ts',
        'functions/jobs/j.ts -> functions/api/h.ts',
        'functions/api/h.ts -> functions/jobs/j.ts',
      ].sort(),
    );
  });

  it('finds a cycle, and none in a graph without one', () => {
    // Prepare
    const cyclic: Graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    const acyclic: Graph = new Map([
      ['a.ts', ['b.ts', 'c.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', []],
    ]);

    // Act + Assess
    expect(cyclesOf(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cyclesOf(acyclic)).toEqual([]);
  });
});

describe('functions/ imports', () => {
  const graph = importGraph(filesUnder('functions'));

  it('run one way: no backward edge beyond the known ones, and every known one still exists', () => {
    // Act
    const found = backwardEdges(graph);
    const unexpected = [...found].filter(([edge]) => !KNOWN_BACKWARD_EDGES.includes(edge)).map((e) => e.join(': '));
    const gone = KNOWN_BACKWARD_EDGES.filter((edge) => !found.has(edge));

    // Assess
    expect(unexpected, 'imports that run against the layers').toEqual([]);
    expect(gone, 'fixed edges still listed in KNOWN_BACKWARD_EDGES: remove them').toEqual([]);
  });

  it('form no cycle beyond the known ones, and every known one still exists', () => {
    // Act
    const cycles = cyclesOf(graph).map((c) => c.join(', '));
    const unexpected = cycles.filter((c) => !KNOWN_CYCLES.includes(c));
    const gone = KNOWN_CYCLES.filter((c) => !cycles.includes(c));

    // Assess
    expect(unexpected, 'files that import each other, directly or around a loop').toEqual([]);
    expect(gone, 'broken cycles still listed in KNOWN_CYCLES: remove them').toEqual([]);
  });
});
