import { aws_dynamodb as dynamodb, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../functions/adapters/dynamodb/table-design';

/**
 * The product's single table, built from the shared {@link TABLE_DESIGN} so that the keys,
 * the due index and the TTL attribute are named in one place for the code and the cloud.
 *
 * On-demand capacity, point-in-time recovery, deletion protection, and kept when its stack is
 * deleted. Encrypted with the AWS-managed key (`aws/dynamodb`): every use of the key is logged
 * in CloudTrail, while there is no key policy to maintain and a point-in-time restore needs
 * no extra key permission.
 *
 * @example
 * const table = new RemindersTable(this, 'Table');
 * table.dueIndexArn; // `${table.tableArn}/index/due-index`
 */
export class RemindersTable extends dynamodb.Table {
  /** ARN of the due index, the only index the planner queries. */
  public readonly dueIndexArn: string;

  public constructor(scope: Construct, id: string) {
    super(scope, id, {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.addGlobalSecondaryIndex({
      indexName: TABLE_DESIGN.dueIndex.indexName,
      partitionKey: {
        name: TABLE_DESIGN.dueIndex.partitionKey,
        type: dynamodb.AttributeType.STRING,
      },
      sortKey: { name: TABLE_DESIGN.dueIndex.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...TABLE_DESIGN.dueIndex.projectedAttributes],
    });
    this.dueIndexArn = `${this.tableArn}/index/${TABLE_DESIGN.dueIndex.indexName}`;
  }
}
