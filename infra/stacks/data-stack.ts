import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLE_INDEXES } from '../../functions/store/indexes.ts';
import { keyPolicy, type TableRef } from './access.ts';

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
    // The same definitions as the local table (functions/store/indexes.ts): each index carries only what its queries return.
    for (const index of TABLE_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(index.projection.type === 'KEYS_ONLY'
          ? { projectionType: ProjectionType.KEYS_ONLY }
          : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.attributes] }),
      });
    }
  }

  get tableRef(): TableRef {
    return { table: this.table, key: this.key };
  }
}
