import { fileURLToPath } from 'node:url';
import { type CfnResource, Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionPorts } from '../../functions/ports.ts';
import { wirePorts, type PortResources } from './ports.ts';

/** The repository root, found from this file so that synth works from any working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const repoPath = (relative: string): string =>
  fileURLToPath(new URL(relative, new URL('../../', import.meta.url)));

/*
 * esbuild's ESM output cannot serve CommonJS `require` calls that bundled dependencies
 * (parts of the AWS SDK among them) make for Node built-ins; a module-scoped `require`
 * made by createRequire satisfies them.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __cfCreateRequire } from 'node:module'; const require = __cfCreateRequire(import.meta.url);";

/** The template metadata key naming a function's handler file (relative to the repository root). */
export const ENTRY_METADATA = 'community-fund:entry';

/** Build-time constants of every bundle: the built-in profiles are read from files, not bundled (see functions/policies). */
export const BUNDLE_DEFINE: Record<string, string> = { 'process.env.CF_PROFILES_FROM_FILES': '"true"' };

/** What every function of the app shares: its environment and the policy data it reads. */
export interface FunctionRuntime {
  environment: Record<string, string>;
  /**
   * A district's own profile file (absolute path), copied into each bundle as
   * BUNDLED_PROFILE_FILE; undefined when a built-in profile is used.
   */
  profileFile?: string;
}

/** Where a district's own profile lands in each bundle, relative to the function's working directory. */
export const BUNDLED_PROFILE_FILE = 'policy-profile.json';

/**
 * What every function runs on, and what bench/cost.ts prices: the model reads these, and
 * test/infra/app.test.ts checks that every synthesized function has them.
 */
export const FUNCTION_MEMORY_MB = 512;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;
/**
 * A function traces a request only when its caller sampled it: the HTTP API has no X-Ray
 * tracing, so API requests are not traced; the lifecycle's tasks are traced with the
 * executions the workflow's sampling rule picks (WORKFLOW_TRACE_SAMPLING). ACTIVE would
 * sample every request at Lambda's fixed rate, which at a district's pace is all of them.
 */
export const FUNCTION_TRACING = Tracing.PASS_THROUGH;

export interface AppFunctionProps {
  /** Handler file relative to the repository root; it exports `handler`. */
  entry: string;
  /** Value of POWERTOOLS_SERVICE_NAME, so logs from every function group by purpose. */
  service: string;
  runtime: FunctionRuntime;
  /** What the handler declares it reaches (its module's `ports` export). */
  ports: FunctionPorts;
  /** What the stack can offer; the function gets the environment and grants of its declared ports only. */
  resources: PortResources;
  description?: string;
  timeout?: Duration;
}

/**
 * One Lambda function with the settings every function of the product shares, its own
 * log group and its own role. The role is created here rather than by NodejsFunction so
 * that it gets no AWS managed policy: logging is granted on this function's log group only.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Function', {
      entry: repoPath(props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: repoPath('package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize: FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(10),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      tracing: FUNCTION_TRACING,
      environment: { ...props.runtime.environment, POWERTOOLS_SERVICE_NAME: props.service },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: false,
        // Bundled SDK clients import faster than the runtime's copy and are the versions we tested.
        externalModules: [],
        define: BUNDLE_DEFINE,
        bundleAwsSDK: true,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          /*
           * functions/policies reads the profiles and calendars from files next to its own
           * module, which after bundling is the bundle's index.mjs: put them there.
           */
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp -R "${inputDir}/functions/policies/profiles" "${outputDir}/profiles"`,
            `cp -R "${inputDir}/functions/policies/calendars" "${outputDir}/calendars"`,
            ...(props.runtime.profileFile
              ? [`cp "${props.runtime.profileFile}" "${outputDir}/${BUNDLED_PROFILE_FILE}"`]
              : []),
          ],
        },
      },
    });
    // The handler file travels with the template, so a test can run each function as deployed.
    (this.fn.node.defaultChild as CfnResource).addMetadata(ENTRY_METADATA, props.entry);
    wirePorts(this, props.entry, props.ports, props.resources);
  }
}
