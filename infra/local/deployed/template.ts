import { ENTRY_METADATA } from '../../stacks/function.ts';

/*
 * The synthesized templates read as CloudFormation would deploy them, with made-up but
 * consistent physical names: the table is the local one, every other resource is named
 * after its stack and logical id, in one fixed account and region.
 */

export const REGION = 'cn-north-1';
export const ACCOUNT = '111122223333';
export const PARTITION = 'aws-cn';

type Json = any;
export interface Template {
  Resources: Record<string, { Type: string; Properties?: Json; Metadata?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: Json; Export?: { Name: string } }>;
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** One Lambda function as deployed: its handler file, its environment, its role's statements. */
export interface DeployedFunction {
  /** `Stack/LogicalId`, the name every failure gives. */
  name: string;
  arn: string;
  roleArn: string;
  entry: string;
  env: Record<string, string>;
  statements: Statement[];
}

export interface Deployment {
  functions: DeployedFunction[];
  stateMachine: { arn: string; roleStatements: Statement[]; substitutions: Record<string, string> };
  /** Queue ARN → the function its event source mapping feeds. */
  consumers: Record<string, string>;
}

const arn = (service: string, resource: string) => `arn:${PARTITION}:${service}:${REGION}:${ACCOUNT}:${resource}`;

export const tableArn = (name: string): string => arn('dynamodb', `table/${name}`);
export const queueUrlToArn = (url: string): string => {
  const [, account, name] = new URL(url).pathname.split('/');
  return `arn:${PARTITION}:sqs:${REGION}:${account}:${name}`;
};

/** Reads the deployment from the templates of every stack (by stack name). */
export const readDeployment = (templates: Record<string, Template>, tableName: string): Deployment => {
  const exports = new Map<string, { stack: string; value: Json }>();
  for (const [stack, t] of Object.entries(templates))
    for (const o of Object.values(t.Outputs ?? {})) if (o.Export) exports.set(o.Export.Name, { stack, value: o.Value });

  const physical = (stack: string, id: string): string => {
    const r = templates[stack].Resources[id];
    if (!r) throw new Error(`${stack}: no resource ${id}`);
    const name = `${stack}-${id}`;
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
        return tableName;
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.amazonaws.com.cn/${ACCOUNT}/${name}`;
      case 'AWS::StepFunctions::StateMachine':
        return arn('states', `stateMachine:${resolve(stack, r.Properties.StateMachineName)}`);
      default:
        return name;
    }
  };
  const attribute = (stack: string, id: string, attr: string): string => {
    const r = templates[stack].Resources[id];
    if (!r) throw new Error(`${stack}: no resource ${id}`);
    const name = physical(stack, id);
    const key = `${r.Type}.${attr}`;
    switch (key) {
      case 'AWS::DynamoDB::Table.Arn':
        return tableArn(name);
      case 'AWS::SQS::Queue.Arn':
        return queueUrlToArn(name);
      case 'AWS::SQS::Queue.QueueUrl':
        return name;
      case 'AWS::Lambda::Function.Arn':
        return arn('lambda', `function:${name}`);
      case 'AWS::IAM::Role.Arn':
        return `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::Logs::LogGroup.Arn':
        return arn('logs', `log-group:${name}:*`);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return name;
      case 'AWS::KMS::Key.Arn':
        return arn('kms', `key/${name}`);
      default:
        return `${name}.${attr}`;
    }
  };
  const resolve = (stack: string, v: Json): Json => {
    if (Array.isArray(v)) return v.map((x) => resolve(stack, x));
    if (!v || typeof v !== 'object') return v;
    const [key] = Object.keys(v);
    const arg = v[key];
    switch (key) {
      case 'Ref':
        if (arg === 'AWS::Partition') return PARTITION;
        if (arg === 'AWS::Region') return REGION;
        if (arg === 'AWS::AccountId') return ACCOUNT;
        if (arg === 'AWS::URLSuffix') return 'amazonaws.com.cn';
        if (arg === 'AWS::StackName') return stack;
        return physical(stack, arg);
      case 'Fn::GetAtt':
        return attribute(stack, arg[0], arg[1]);
      case 'Fn::Join':
        return (resolve(stack, arg[1]) as string[]).join(arg[0]);
      case 'Fn::Select':
        return (resolve(stack, arg[1]) as string[])[Number(arg[0])];
      case 'Fn::Split':
        return String(resolve(stack, arg[1])).split(arg[0]);
      case 'Fn::ImportValue': {
        const e = exports.get(resolve(stack, arg));
        if (!e) throw new Error(`${stack}: no export ${JSON.stringify(arg)}`);
        return resolve(e.stack, e.value);
      }
      default:
        if (key.startsWith('Fn::')) throw new Error(`${stack}: ${key} is not read by the as-deployed runner`);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(stack, x)]));
    }
  };

  const statementsOf = (stack: string, roleId: string): Statement[] =>
    Object.values(templates[stack].Resources)
      .filter(
        (r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref: string }[]).some((x) => x.Ref === roleId),
      )
      .flatMap((r) => resolve(stack, r.Properties.PolicyDocument.Statement) as Statement[]);

  const functions: DeployedFunction[] = [];
  const consumers: Record<string, string> = {};
  let stateMachine: Deployment['stateMachine'] | undefined;
  for (const [stack, t] of Object.entries(templates)) {
    for (const [id, r] of Object.entries(t.Resources)) {
      if (r.Type === 'AWS::Lambda::Function') {
        const entry = r.Metadata?.[ENTRY_METADATA];
        if (typeof entry !== 'string') continue; // CDK's own helper functions (none run a product handler)
        const roleId = r.Properties.Role['Fn::GetAtt'][0] as string;
        functions.push({
          name: `${stack}/${id}`,
          arn: attribute(stack, id, 'Arn'),
          roleArn: attribute(stack, roleId, 'Arn'),
          entry,
          env: resolve(stack, r.Properties.Environment?.Variables ?? {}),
          statements: statementsOf(stack, roleId),
        });
      } else if (r.Type === 'AWS::Lambda::EventSourceMapping') {
        consumers[resolve(stack, r.Properties.EventSourceArn)] = arn(
          'lambda',
          `function:${resolve(stack, r.Properties.FunctionName)}`,
        );
      } else if (r.Type === 'AWS::StepFunctions::StateMachine') {
        stateMachine = {
          arn: physical(stack, id),
          roleStatements: statementsOf(stack, r.Properties.RoleArn['Fn::GetAtt'][0]),
          substitutions: resolve(stack, r.Properties.DefinitionSubstitutions ?? {}),
        };
      }
    }
  }
  if (!stateMachine) throw new Error('the templates hold no state machine');
  return { functions, stateMachine, consumers };
};
