import type { Statement } from './template.ts';
import { queueUrlToArn, tableArn, PARTITION, REGION, ACCOUNT } from './template.ts';

/** One authorisation an SDK call needs: the action and the resource IAM evaluates it on. */
export interface Call {
  action: string;
  resource: string;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const glob = (pattern: string, value: string, caseless: boolean): boolean => {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    caseless ? 'i' : '',
  );
  return re.test(value);
};

const matches = (s: Statement, call: Call): boolean => {
  const actionHit = s.Action
    ? list(s.Action).some((a) => glob(a, call.action, true))
    : !list(s.NotAction).some((a) => glob(a, call.action, true));
  if (!actionHit) return false;
  if (!list(s.Resource).some((r) => glob(r, call.resource, false))) return false;
  // No condition the product writes applies to these calls (kms:ViaService is only met inside DynamoDB).
  return s.Condition === undefined;
};

/** IAM's identity-policy evaluation: an explicit Deny wins, else some Allow must match. */
export const isAllowed = (statements: readonly Statement[], call: Call): boolean =>
  !statements.some((s) => s.Effect === 'Deny' && matches(s, call)) &&
  statements.some((s) => s.Effect === 'Allow' && matches(s, call));

type Input = Record<string, any>;
const ddbArn = (table: string, index?: string) => tableArn(table) + (index ? `/index/${index}` : '');
const arn = (service: string, resource: string) => `arn:${PARTITION}:${service}:${REGION}:${ACCOUNT}:${resource}`;

/** The task-token actions have no resource type in the Service Authorization Reference: IAM evaluates them on "*". */
export const TASK_TOKEN_RESOURCE = '*';

/**
 * What IAM checks for one SDK command (Service Authorization Reference): DynamoDB per
 * table and index, and per item kind in a transaction; SQS batches as SendMessage;
 * SES against the sender identity and configuration set; SMS against the origination
 * identity; Step Functions against the state machine, task tokens against "*".
 */
export const callsOf = (service: string, command: string, input: Input): Call[] => {
  const op = command.replace(/Command$/, '');
  switch (service) {
    case 'dynamodb': {
      const a = (name: string) => `dynamodb:${name}`;
      if (op === 'BatchGetItem' || op === 'BatchWriteItem')
        return Object.keys(input.RequestItems ?? {}).map((t) => ({ action: a(op), resource: ddbArn(t) }));
      if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
        const kinds: Record<string, string> = {
          ConditionCheck: 'ConditionCheckItem',
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          Get: 'GetItem',
        };
        return (input.TransactItems as Input[]).flatMap((item) =>
          Object.entries(item).map(([k, v]) => ({ action: a(kinds[k]), resource: ddbArn(v.TableName) })),
        );
      }
      return [{ action: a(op), resource: ddbArn(input.TableName, input.IndexName) }];
    }
    case 'sfn':
      if (/^SendTask(Success|Failure|Heartbeat)$/.test(op))
        return [{ action: `states:${op}`, resource: TASK_TOKEN_RESOURCE }];
      return [{ action: `states:${op}`, resource: input.stateMachineArn ?? input.executionArn }];
    case 'sqs':
      // SendMessageBatch is authorised as SendMessage.
      return [
        {
          action: op === 'SendMessageBatch' ? 'sqs:SendMessage' : `sqs:${op}`,
          resource: queueUrlToArn(input.QueueUrl),
        },
      ];
    case 'ses': {
      const calls = [{ action: `ses:${op}`, resource: arn('ses', `identity/${input.FromEmailAddress}`) }];
      if (input.ConfigurationSetName)
        calls.push({ action: `ses:${op}`, resource: arn('ses', `configuration-set/${input.ConfigurationSetName}`) });
      return calls;
    }
    case 'sms': {
      const id = String(input.OriginationIdentity);
      const resource = id.startsWith('arn:')
        ? id
        : arn('sms-voice', `${/^\+\d+$/.test(id) ? 'phone-number' : 'sender-id'}/${id}`);
      const calls = [{ action: `sms-voice:${op}`, resource }];
      if (input.ConfigurationSetName)
        calls.push({
          action: `sms-voice:${op}`,
          resource: arn('sms-voice', `configuration-set/${input.ConfigurationSetName}`),
        });
      return calls;
    }
    default:
      throw new Error(`no authorisation model for ${service}:${op}`);
  }
};
