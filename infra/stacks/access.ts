import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { TableAccess } from '../../functions/ports.ts';

import { TABLE_INDEXES } from '../../functions/store/indexes.ts';

export const GSI_NAMES = TABLE_INDEXES.map((i) => i.name);

/*
 * Explicit action lists instead of Table.grantReadData/grantReadWriteData: those also
 * grant `kms:ReEncrypt*` and `kms:GenerateDataKey*` on a customer managed key, and every
 * action the product grants is spelled out.
 */
const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export type { TableAccess };

const ACTIONS: Record<TableAccess, string[]> = {
  read: READ_ACTIONS,
  readAppend: [...READ_ACTIONS, 'dynamodb:PutItem'],
  readWrite: [...READ_ACTIONS, ...WRITE_ACTIONS],
};

export interface TableRef {
  table: ITable;
  /** Present when the table is encrypted with a customer managed key. */
  key?: IKey;
}

/** Grants item access on the table and its three indexes, named one by one (no `index/*`). */
export const grantTableAccess = (grantee: IGrantable, ref: TableRef, mode: TableAccess): void => {
  const { table, key } = ref;
  const actions = ACTIONS[mode];
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions,
      resources: [table.tableArn, ...GSI_NAMES.map((name) => `${table.tableArn}/index/${name}`)],
    }),
  );
  if (key) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions:
          mode === 'read'
            ? ['kms:Decrypt', 'kms:DescribeKey']
            : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
        // The key serves this table only through DynamoDB, never directly.
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(table).region}.amazonaws.com` } },
      }),
    );
  }
};

/*
 * CDK's default key policy grants `kms:*` to the account. This one names the actions:
 * administration and use are delegated to IAM in this account, as the default does.
 */
const KEY_ACCOUNT_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

export const keyPolicy = (extra: PolicyStatement[] = []): PolicyDocument =>
  new PolicyDocument({
    statements: [
      new PolicyStatement({ principals: [new AccountRootPrincipal()], actions: KEY_ACCOUNT_ACTIONS, resources: ['*'] }),
      ...extra,
    ],
  });
