import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Context that skips esbuild: tests check the templates, not the bundles. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] as string[] };

export const testApp = (context: Record<string, unknown> = {}): App =>
  new App({ context: { ...NO_BUNDLING, ...context }, outdir: mkdtempSync(join(tmpdir(), 'cf-infra-')) });

export interface Finding {
  plugin: string;
  rule: string;
  severity: string;
  paths: string[];
}

/**
 * Synthesises `app` and returns every validation finding left after acknowledgements,
 * warnings included. cdk-nag 3 is a policy validation plugin: an unacknowledged error
 * makes synth throw, and every finding lands in the assembly's validation report.
 */
export const synthFindings = (app: App): { findings: Finding[]; error?: Error } => {
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const outdir = app.outdir;
  let report: {
    pluginReports?: {
      pluginName: string;
      violations?: { ruleName: string; severity: string; violatingConstructs?: { constructPath: string }[] }[];
    }[];
  };
  try {
    report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  } catch {
    report = {};
  }
  const findings = (report.pluginReports ?? []).flatMap((p) =>
    (p.violations ?? []).map((v) => ({
      plugin: p.pluginName,
      rule: v.ruleName,
      severity: v.severity,
      paths: (v.violatingConstructs ?? []).map((c) => c.constructPath),
    })),
  );
  return { findings, error };
};

export interface Acknowledgement {
  path: string;
  id: string;
  reason: unknown;
}

/** Every `Validations.of(x).acknowledge(...)` in the tree, read back from construct metadata. */
export const acknowledgements = (root: IConstruct): Acknowledgement[] =>
  root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules' && m.data)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, unknown>).map(([id, reason]) => ({ path: c.node.path, id, reason })),
        ),
    );

export const stackById = (app: App, id: string): Stack => {
  const stack = app.node.findChild(id);
  if (!Stack.isStack(stack)) throw new Error(`${id} is not a stack`);
  return stack;
};

type Json = unknown;

/** Every IAM-style statement in a template: role and managed policies, key, queue and topic policies. */
export const statements = (template: Json): { resource: string; statement: Record<string, unknown> }[] => {
  const out: { resource: string; statement: Record<string, unknown> }[] = [];
  const resources = (template as { Resources: Record<string, Json> }).Resources;
  const walk = (node: Json, resource: string) => {
    if (Array.isArray(node)) node.forEach((n) => walk(n, resource));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'Statement' && Array.isArray(v))
          v.forEach((s) => out.push({ resource, statement: s as Record<string, unknown> }));
        else walk(v, resource);
      }
    }
  };
  for (const [id, r] of Object.entries(resources)) walk(r, id);
  return out;
};

export const actionsOf = (statement: Record<string, unknown>): string[] => {
  const a = statement.Action ?? statement.NotAction;
  return a === undefined ? [] : Array.isArray(a) ? (a as string[]) : [a as string];
};

/**
 * A template string value with its intrinsics written out as `{Ref:X}`, `{Import:X}` or
 * `{GetAtt:X.Y}`, so a Fn::Join can be read (or parsed as JSON) like the deployed string.
 */
export const joined = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(joined).join(v['Fn::Join'][0]);
  if (v.Ref) return `{Ref:${v.Ref}}`;
  if (v['Fn::ImportValue']) return `{Import:${v['Fn::ImportValue']}}`;
  if (v['Fn::GetAtt']) return `{GetAtt:${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  throw new Error(`cannot read ${JSON.stringify(value)}`);
};
