import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { GSI_NAMES, keyPolicy, type TableRef } from './access.ts';

export interface DataStackProps extends StackProps {
  /** Encrypt with a customer managed key (context `kmsKey: true`) instead of the AWS managed one. */
  customerManagedKey: boolean;
}

/** The one table. Its item shapes are known only to functions/store. */
export class DataStack extends Stack {
  readonly table: Table;
  readonly key?: Key;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    if (props.customerManagedKey) {
      this.key = new Key(this, 'TableKey', {
        description: 'Encrypts the community fund table',
        enableKeyRotation: true,
        // The table is retained; its key must outlive it or the retained data is unreadable.
        removalPolicy: RemovalPolicy.RETAIN,
        policy: keyPolicy(),
      });
    }
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiration',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // The system of record for public money: never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: this.key ? TableEncryption.CUSTOMER_MANAGED : TableEncryption.AWS_MANAGED,
      encryptionKey: this.key,
    });
    for (const name of GSI_NAMES) {
      this.table.addGlobalSecondaryIndex({
        indexName: name,
        partitionKey: { name: `${name}pk`, type: AttributeType.STRING },
        sortKey: { name: `${name}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  get tableRef(): TableRef {
    return { table: this.table, key: this.key };
  }
}
