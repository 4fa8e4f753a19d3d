import { describe, expect, it } from 'vitest';
import { FUNCTION_VARIABLES } from '../../functions/config/runtime-config';
import { OUTBOUND_MAX_ATTEMPTS } from '../../functions/domain/outbound-schedule';
import {
  logicalIdOf,
  type ReadableStatement,
  readable,
  statementsOfRole,
  synthesizeCertReminders,
} from './cert-reminders-fixture';

/**
 * SPEC §7–§8 on AWS: with `outboundWebhookUrl` set, an outbound function drains a queue (with a
 * dead-letter queue and an alarm) that sender, ses-events and unsubscribe feed; without it,
 * nothing of it exists.
 */

const URL = 'https://receiver.example/hooks';
const secretArn = (name: string) =>
  expect.stringMatching(new RegExp(`^<cert-reminders-dev-stateful:PublishOutputRef${name}\\w*>$`));
const allow = (actions: string[], resources: unknown[]): ReadableStatement => ({
  effect: 'Allow',
  actions: [...actions].sort(),
  resources: resources as string[],
});
const isAbout = (service: string) => (statement: ReadableStatement) =>
  statement.actions.some((action) => action.startsWith(`${service}:`));

describe('outbound webhooks, off (the default)', () => {
  // Prepare
  const { statelessTemplate: template, statefulTemplate } = synthesizeCertReminders();

  it('create no function, queue, alarm or secret, and give the publishers nothing', () => {
    // Act
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    const secrets = Object.keys(statefulTemplate.findResources('AWS::SecretsManager::Secret'));

    // Assess
    for (const ids of [functions, queues, alarms, secrets])
      expect(ids.filter((id) => id.startsWith('Outbound'))).toEqual([]);
    for (const role of ['SenderRole', 'UnsubscribeRole', 'SesEventsRole']) {
      const sqs = statementsOfRole(template, role).filter(isAbout('sqs'));
      expect(sqs.flatMap((statement) => statement.resources).join()).not.toMatch(/Outbound/);
    }
  });
});

describe('outbound webhooks, on', () => {
  // Prepare
  const { statelessTemplate: template, statefulTemplate } = synthesizeCertReminders({
    outboundWebhookUrl: URL,
  });
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'OutboundWebhooksQueue');
  const deadLetterId = logicalIdOf(template, 'AWS::SQS::Queue', 'OutboundWebhooksDeadLetterQueue');
  const environmentOf = (name: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(
        template.toJSON().Resources[
          logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`)
        ].Properties.Environment.Variables as Record<string, unknown>,
      ).map(([key, value]) => [key, readable(value)]),
    );

  it('keep the outbound secret with the other shared secrets, retained', () => {
    // Assess
    statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 3);
    const [secret] = Object.entries(
      statefulTemplate.findResources('AWS::SecretsManager::Secret'),
    ).filter(([id]) => id.startsWith('OutboundWebhookSecret'));
    expect(secret?.[1]).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it('queue events for 4 days and dead-letter them only after every attempt of the schedule', () => {
    // Assess
    expect(template.toJSON().Resources[queueId].Properties).toMatchObject({
      MessageRetentionPeriod: 4 * 24 * 3600,
      VisibilityTimeout: 180,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
        maxReceiveCount: OUTBOUND_MAX_ATTEMPTS,
      },
    });
  });

  it('alarm on the first dead letter and on the function’s errors', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterId, 'QueueName'] } }],
      Threshold: 0,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [
        {
          Name: 'FunctionName',
          Value: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'OutboundFunction') },
        },
      ],
    });
  });

  it('drain the queue with the outbound function, reporting failed records one by one', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'OutboundFunction') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    expect(
      Object.keys(environmentOf('Outbound')).filter((key) => key.startsWith('OUTBOUND_')),
    ).toEqual([...FUNCTION_VARIABLES.outbound]);
    expect(environmentOf('Outbound').OUTBOUND_WEBHOOK_URL).toBe(URL);
  });

  it('let the outbound function read its secret and consume its queue, nothing more', () => {
    // Act
    const statements = statementsOfRole(template, 'OutboundRole').filter(
      (statement) => !isAbout('logs')(statement),
    );

    // Assess
    expect(statements).toEqual([
      allow(['secretsmanager:GetSecretValue'], [secretArn('OutboundWebhookSecret')]),
      allow(
        [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        [`<${queueId}.Arn>`],
      ),
    ]);
    expect(statementsOfRole(template, 'OutboundRole').some(isAbout('dynamodb'))).toBe(false);
  });

  it.each([
    ['SenderRole', 'Sender', []],
    ['UnsubscribeRole', 'Unsubscribe', []],
    // CDK merges the statement with the one that dead-letters its failed invocations.
    ['SesEventsRole', 'SesEvents', ['SesEventsDeadLetterQueue']],
  ])('let %s send to the outbound queue only, and tell it the queue', (role, name, others) => {
    // Act
    const publishing = statementsOfRole(template, role).filter((statement) =>
      statement.resources.includes(`<${queueId}.Arn>`),
    );

    // Assess
    expect(publishing).toEqual([
      allow(
        ['sqs:SendMessage'],
        [
          `<${queueId}.Arn>`,
          ...others.map((prefix) => `<${logicalIdOf(template, 'AWS::SQS::Queue', prefix)}.Arn>`),
        ].sort(),
      ),
    ]);
    expect(environmentOf(name).OUTBOUND_QUEUE_URL).toBe(`<${queueId}>`);
  });

  it('let ses-events read the unsubscribe key, to name the candidate of a bounced email', () => {
    // Act
    const secrets = statementsOfRole(template, 'SesEventsRole').filter(isAbout('secretsmanager'));

    // Assess
    expect(secrets).toEqual([
      allow(['secretsmanager:GetSecretValue'], [secretArn('UnsubscribeSecret')]),
    ]);
    expect(environmentOf('SesEvents').UNSUBSCRIBE_SECRET_ARN).toEqual(
      secretArn('UnsubscribeSecret'),
    );
  });

  it('refuse a receiver that is not https', () => {
    // Act & Assess
    expect(() =>
      synthesizeCertReminders({ outboundWebhookUrl: 'http://receiver.example/' }),
    ).toThrow('context outboundWebhookUrl must be an https:// URL');
  });
});
