import { createHash, randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectTable, localClients } from '../../bin/local/local-app';
import { localConfigFromEnv } from '../../bin/local/local-config';
import { signWebhook } from '../../functions/adapters/webhook-signature';
import { attemptEvent, emailsTo, httpEvent, uniqueId, WEBHOOK_SECRET } from './support/harness';
import { scanTable } from './support/table';

/**
 * The Lambda entry points themselves (`handler` of each module, with middy, Powertools and their
 * configuration from the environment), against the emulators: what `cdk deploy` ships.
 */
const context = {
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
  memoryLimitInMB: '128',
  awsRequestId: randomUUID(),
  logGroupName: 'test',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} as unknown as Context;

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/send-queue';
const sqs = mockClient(SQSClient);
const saved = { ...process.env };
let table: Parameters<typeof scanTable>[0];

beforeAll(async () => {
  const tableName = `lambda-${randomUUID()}`;
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    AWS_ENDPOINT_URL_SESV2: inject('sesEndpoint'),
    WEBHOOK_SECRET,
    UNSUBSCRIBE_SECRET: 'lambda-unsubscribe-secret',
    EMAIL_FROM: 'Certification Reminders <reminders@example.com>',
    PUBLIC_URL: 'https://reminders.example.com',
    SEND_QUEUE_URL: QUEUE_URL,
    SES_MAX_SEND_RATE: '50',
    POWERTOOLS_METRICS_NAMESPACE: 'CertRemindersTest',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_DEV: 'true',
  });
  const config = localConfigFromEnv({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
  });
  const clients = localClients(config);
  await connectTable(clients.dynamodb, tableName, { label: 'test', create: true });
  table = { clients, tableName };
});

afterAll(() => {
  process.env = saved;
  sqs.restore();
});

describe('the Lambda entry points', () => {
  it('take a signed webhook, plan a run onto SQS and send the email the queue carries', async () => {
    // Prepare
    const { handler: ingest } = await import('../../functions/handlers/ingest');
    const { handler: planner } = await import('../../functions/handlers/planner');
    const { handler: sender } = await import('../../functions/handlers/sender');
    const candidateId = uniqueId('lambda');
    const body = JSON.stringify(
      attemptEvent({
        candidateId,
        timeZone: 'Asia/Tokyo',
        outcome: 'pass',
        takenAt: '2026-01-15T03:00:00Z',
      }),
    );
    const headers = {
      'content-type': 'application/json',
      ...signWebhook(WEBHOOK_SECRET, `msg_${randomUUID()}`, new Date(), body),
    };
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    const accepted = await ingest(httpEvent('POST', '/v1/events', { body, headers }), context);
    const plan = await planner({ runAt: '2026-10-15T13:00:00Z' }, context);
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    const records = batches.flatMap((input) => input.Entries ?? []);
    const sqsEvent: SQSEvent = {
      Records: records.map((entry) => ({
        messageId: entry.Id ?? randomUUID(),
        receiptHandle: 'r',
        body: entry.MessageBody ?? '{}',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 's',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:send-queue',
        awsRegion: 'us-east-1',
      })),
    };
    const sent = await sender(sqsEvent, context);

    // Assess
    expect(accepted.statusCode).toBe(202);
    expect(plan).toMatchObject({ runAt: '2026-10-15T13:00:00Z', candidates: 1 });
    expect(batches[0]?.QueueUrl).toBe(QUEUE_URL);
    expect(sent.batchItemFailures).toEqual([]);
    const emails = await emailsTo(`${candidateId}@example.com`);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toContain('renew');
    const unsubscribe = emails[0]?.headers?.find(
      (header) => header.name === 'List-Unsubscribe',
    )?.value;
    expect(unsubscribe).toMatch(/^<https:\/\/reminders\.example\.com\/unsubscribe\?token=v1\./);
  });

  it('serve the unsubscribe page and take SES bounce notifications', async () => {
    // Prepare
    const { handler: unsubscribe } = await import('../../functions/handlers/unsubscribe');
    const { handler: sesEvents } = await import('../../functions/handlers/ses-events');
    const address = `${uniqueId('gone')}@example.com`;
    const notification = {
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: address }],
      },
    };

    // Act
    const page = await unsubscribe(
      httpEvent('GET', '/unsubscribe', { query: 'token=forged' }),
      context,
    );
    const suppressed = await sesEvents(
      {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:ses:1',
            Sns: {
              Type: 'Notification',
              MessageId: randomUUID(),
              TopicArn: 'arn:aws:sns:us-east-1:000000000000:ses',
              Subject: '',
              Message: JSON.stringify(notification),
              Timestamp: new Date().toISOString(),
              SignatureVersion: '1',
              Signature: '',
              SigningCertUrl: '',
              UnsubscribeUrl: '',
              MessageAttributes: {},
            },
          },
        ],
      },
      context,
    );

    // Assess
    expect(page.statusCode).toBe(400);
    expect(page.headers?.['content-type']).toContain('text/html');
    expect(suppressed).toEqual({ suppressed: 1 });
    const items = await scanTable(table);
    const addressHash = createHash('sha256').update(address).digest('hex');
    expect(
      items.filter((item) => String(item.pk).startsWith('SUPPRESS#')).map((item) => item.pk),
    ).toEqual([`SUPPRESS#${addressHash}`]);
    expect(JSON.stringify(items)).not.toContain(address);
  });
});
