import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLE_DESIGN } from '../../functions/adapters/dynamodb/table-design';
import { synthesizeCertReminders } from './cert-reminders-fixture';

describe('the stateful stack', () => {
  // Prepare: the default deployment, as `cdk synth` builds it.
  const { stateful, statefulTemplate: template } = synthesizeCertReminders();

  it('is named after the stage', () => {
    // Assess
    expect(stateful.stackName).toBe('cert-reminders-dev-stateful');
  });

  it('holds one table, keyed as the shared table design says', () => {
    // Act
    const keySchema = {
      KeySchema: [
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
      ],
    };

    // Assess
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', keySchema);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: TABLE_DESIGN.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_DESIGN.sortKey, AttributeType: 'S' },
        { AttributeName: TABLE_DESIGN.dueIndex.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_DESIGN.dueIndex.sortKey, AttributeType: 'S' },
        { AttributeName: TABLE_DESIGN.emailIndex.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_DESIGN.guardianEmailIndex.partitionKey, AttributeType: 'S' },
      ]),
    });
  });

  it('bills the table on demand', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
  });

  it('gives the table the due index, projecting the keys only, as the design says', () => {
    // Assess
    expect(TABLE_DESIGN.dueIndex.projection).toBe('KEYS_ONLY');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        Match.objectEquals({
          IndexName: TABLE_DESIGN.dueIndex.indexName,
          KeySchema: [
            { AttributeName: TABLE_DESIGN.dueIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_DESIGN.dueIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: Match.objectEquals({ ProjectionType: TABLE_DESIGN.dueIndex.projection }),
        }),
        ...[TABLE_DESIGN.emailIndex, TABLE_DESIGN.guardianEmailIndex].map((index) =>
          Match.objectEquals({
            IndexName: index.indexName,
            KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' }],
            Projection: Match.objectEquals({ ProjectionType: 'KEYS_ONLY' }),
          }),
        ),
      ],
    });
  });

  it('gives the table the sparse keys-only address indexes, keyed by address hashes', () => {
    // Assess
    expect(TABLE_DESIGN.emailIndex).toMatchObject({
      indexName: 'by-email',
      projection: 'KEYS_ONLY',
    });
    expect(TABLE_DESIGN.guardianEmailIndex).toMatchObject({
      indexName: 'by-guardian-email',
      projection: 'KEYS_ONLY',
    });
  });

  it('expires items by the TTL attribute of the design', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.timeToLiveAttribute, Enabled: true },
    });
  });

  it('protects the table: point-in-time recovery, deletion protection, retained on stack deletion', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('encrypts the table with the AWS-managed KMS key, not a key of its own', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: Match.objectEquals({ SSEEnabled: true }),
    });
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  it('keeps the webhook and unsubscribe secrets, generated and retained on stack deletion', () => {
    // Assess
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    for (const description of [
      Match.stringLikeRegexp('Standard Webhooks'),
      Match.stringLikeRegexp('unsubscribe'),
    ]) {
      template.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          Description: description,
          GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
        }),
      });
    }
  });

  it('outputs the table name and the secret ARNs for the runbook', () => {
    // Assess
    template.hasOutput('TableName', {});
    template.hasOutput('WebhookSecretArn', {});
    template.hasOutput('UnsubscribeSecretArn', {});
  });
});
