import { describe, expect, it } from 'vitest';
import {
  allStatements,
  logicalIdOf,
  type ReadableStatement,
  statementsOfRole,
  synthesizeCertReminders,
} from './cert-reminders-fixture';

/** How the resources of the policies read once flattened (see `readable`). */
const TABLE = '<cert-reminders-dev-stateful:PublishOutputRefRemindersTable';
const tableArn = expect.stringMatching(
  new RegExp(`^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${TABLE}\\w*>$`),
);
const dueIndexArn = expect.stringMatching(
  new RegExp(
    `^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${TABLE}\\w*>/index/due-index$`,
  ),
);
const secretArn = (name: string) =>
  expect.stringMatching(new RegExp(`^<cert-reminders-dev-stateful:PublishOutputRef${name}\\w*>$`));
const allow = (actions: string[], resources: unknown[]): ReadableStatement => ({
  effect: 'Allow',
  actions: [...actions].sort(),
  resources: resources as string[],
});

describe('the IAM policies of the functions', () => {
  // Prepare: the default deployment (no SES domain), as `cdk synth` builds it.
  const { statelessTemplate: template, statefulTemplate } = synthesizeCertReminders();
  const logsOf = (name: string) =>
    allow(
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [`<${logicalIdOf(template, 'AWS::Logs::LogGroup', `${name}LogGroup`)}.Arn>`],
    );
  const queueArn = (prefix: string) => `<${logicalIdOf(template, 'AWS::SQS::Queue', prefix)}.Arn>`;
  const configurationSetArn = `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'EmailConfigurationSet')}>`;

  it('give ingest the item actions on the table and the webhook secret, nothing else', () => {
    // Act
    const statements = statementsOfRole(template, 'IngestRole');

    // Assess
    expect(statements).toEqual([
      logsOf('Ingest'),
      allow(
        [
          'dynamodb:BatchWriteItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        [tableArn],
      ),
      allow(['secretsmanager:GetSecretValue'], [secretArn('WebhookSecret')]),
    ]);
  });

  it('let the planner query the due index only, keep its run marker and queue sends, nothing else', () => {
    // Act
    const statements = statementsOfRole(template, 'PlannerRole');

    // Assess
    expect(statements).toEqual([
      logsOf('Planner'),
      allow(['dynamodb:Query'], [dueIndexArn]),
      allow(['dynamodb:GetItem', 'dynamodb:PutItem'], [tableArn]),
      allow(['sqs:SendMessage'], [queueArn('SendQueue4')]),
    ]);
  });

  it('let the sender update the table, send with SES, read the unsubscribe key and consume the queue', () => {
    // Act
    const statements = statementsOfRole(template, 'SenderRole');

    // Assess
    expect(statements).toEqual([
      logsOf('Sender'),
      allow(
        [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        [tableArn],
      ),
      allow(
        ['ses:SendEmail'],
        [
          configurationSetArn,
          'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*',
        ].sort(),
      ),
      allow(['secretsmanager:GetSecretValue'], [secretArn('UnsubscribeSecret')]),
      allow(
        [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        [queueArn('SendQueue4')],
      ),
    ]);
  });

  it('let ses-events read and write items, and dead-letter what it cannot record', () => {
    // Act
    const statements = statementsOfRole(template, 'SesEventsRole');

    // Assess
    expect(statements).toEqual([
      logsOf('SesEvents'),
      allow(['sqs:SendMessage'], [queueArn('SesEventsDeadLetterQueue')]),
      allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [tableArn]),
    ]);
  });

  it('let unsubscribe read and write items and read the unsubscribe key, nothing else', () => {
    // Act
    const statements = statementsOfRole(template, 'UnsubscribeRole');

    // Assess
    expect(statements).toEqual([
      logsOf('Unsubscribe'),
      allow(
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        [tableArn],
      ),
      allow(['secretsmanager:GetSecretValue'], [secretArn('UnsubscribeSecret')]),
    ]);
  });

  it('let the scheduler invoke the planner by its unqualified ARN and dead-letter, nothing else', () => {
    // Act
    const statements = statementsOfRole(template, 'SchedulerRoleForTarget');

    // Assess
    expect(statements).toEqual([
      allow(
        ['lambda:InvokeFunction'],
        [`<${logicalIdOf(template, 'AWS::Lambda::Function', 'PlannerFunction')}.Arn>`],
      ),
      allow(['sqs:SendMessage'], [queueArn('PlannerScheduleDeadLetterQueue')]),
    ]);
  });

  it('attach no managed policy to any role', () => {
    // Act
    const roles = Object.values(template.findResources('AWS::IAM::Role'));

    // Assess
    expect(roles).toHaveLength(6);
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('never allow dynamodb:Scan, nor a DynamoDB wildcard, in either stack', () => {
    // Act
    const actions = [template, statefulTemplate]
      .flatMap(allStatements)
      .flatMap((statement) => statement.actions);

    // Assess
    expect(actions.length).toBeGreaterThan(0);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => /^dynamodb:.*\*/.test(action) || action === '*')).toEqual([]);
  });

  it('never allow DynamoDB actions on the due index except the planner Query', () => {
    // Act
    const onIndex = allStatements(template).filter((statement) =>
      statement.resources.some((resource) => resource.includes('/index/')),
    );

    // Assess
    expect(onIndex).toEqual([allow(['dynamodb:Query'], [dueIndexArn])]);
  });
});

describe('the IAM policy of the sender with an SES domain', () => {
  // Prepare
  const { statelessTemplate: template } = synthesizeCertReminders({
    domain: 'example.org',
    fromAddress: 'reminders@example.org',
  });

  it('allows ses:SendEmail on the domain identity and the configuration set only', () => {
    // Act
    const sesStatements = statementsOfRole(template, 'SenderRole').filter((statement) =>
      statement.actions.some((action) => action.startsWith('ses:')),
    );

    // Assess
    expect(sesStatements).toEqual([
      allow(
        ['ses:SendEmail'],
        [
          `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'EmailConfigurationSet')}>`,
          `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/<${logicalIdOf(template, 'AWS::SES::EmailIdentity', 'EmailDomainIdentity')}>`,
        ],
      ),
    ]);
  });
});
