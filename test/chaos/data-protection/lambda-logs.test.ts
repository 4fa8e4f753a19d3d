import { randomUUID } from 'node:crypto';
import { MessageRejected, SESv2Client } from '@aws-sdk/client-sesv2';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { connectTable, localClients } from '../../../bin/local/local-app';
import { localConfigFromEnv } from '../../../bin/local/local-config';
import { signWebhook } from '../../../functions/adapters/webhook-signature';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import { attemptEvent, httpEvent, WEBHOOK_SECRET } from '../../integration/support/harness';
import { captureOutput, leaksIn, type PiiMarkers, piiMarkers, snsEventOf } from './pii-support';

/**
 * SPEC §11 "Logs carry candidate ids and counts, never an email address, a name or a credential
 * name a candidate supplied", for the Lambda entry points themselves (`handler` of each module:
 * middy, Powertools Logger and Metrics, configuration from the environment) on the emulators:
 * every handler is driven with events full of distinctive personal data, on its success and its
 * failure paths, at the most verbose log level, and everything written to stdout, stderr and the
 * console is searched for that data and for any email address.
 */

const context = {
  functionName: 'dp-logs',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:dp-logs',
  memoryLimitInMB: '128',
  awsRequestId: randomUUID(),
  logGroupName: 'dp-logs',
  logStreamName: 'dp-logs',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} as unknown as Context;

// Before any import builds the shared Powertools Logger: the most verbose level an operator may
// set, so whatever it would log is searched too.
const saved = vi.hoisted(() => {
  const before = { ...process.env };
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  delete process.env.POWERTOOLS_DEV;
  delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
  return before;
});

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/dp-send-queue';
const UNSUBSCRIBE_SECRET = 'dp-logs-unsubscribe-secret';
const sqs = mockClient(SQSClient);

beforeAll(async () => {
  const tableName = `dp-logs-${randomUUID()}`;
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    AWS_ENDPOINT_URL_SESV2: inject('sesEndpoint'),
    WEBHOOK_SECRET,
    UNSUBSCRIBE_SECRET,
    EMAIL_FROM: 'Certification Reminders <reminders@example.com>',
    PUBLIC_URL: 'https://reminders.example.com',
    SEND_QUEUE_URL: QUEUE_URL,
    SES_MAX_SEND_RATE: '50',
    POWERTOOLS_METRICS_NAMESPACE: 'CertRemindersDataProtection',
  });
  const config = localConfigFromEnv({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
  });
  await connectTable(localClients(config).dynamodb, tableName, { label: 'test', create: true });
});

afterAll(() => {
  process.env = saved;
  sqs.restore();
});

const signed = (event: unknown, id = `msg_${randomUUID()}`) => {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return httpEvent('POST', '/v1/events', {
    body,
    headers: {
      'content-type': 'application/json',
      ...signWebhook(WEBHOOK_SECRET, id, new Date(), body),
    },
  });
};

/** A person's attempt with every personal field set. */
const attemptOf = (
  m: PiiMarkers,
  candidateId: string,
  options: {
    attemptId?: string;
    credentialId?: string;
    outcome?: 'pass' | 'fail';
    takenAt?: string;
  } = {},
) => {
  const event = attemptEvent({
    candidateId,
    attemptId: options.attemptId ?? `${candidateId}-a-${randomUUID().slice(0, 8)}`,
    email: m.email,
    name: m.name,
    guardianEmail: m.guardianEmail,
    timeZone: 'Europe/Lisbon',
    credentialId: options.credentialId ?? 'dp-cred',
    credentialName: m.credentialName,
    outcome: options.outcome ?? 'pass',
    takenAt: options.takenAt ?? '2026-01-15T10:00:00Z',
  });
  return event;
};

const sqsEventOf = (): SQSEvent => {
  const entries = sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries ?? []);
  sqs.resetHistory();
  return {
    Records: entries.map((entry) => ({
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
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:dp-send-queue',
      awsRegion: 'us-east-1',
    })),
  };
};

/** What SES publishes for a bounce or a complaint, with the message's headers in `mail`. */
const sesNotifications = (m: PiiMarkers) => {
  const mail = {
    timestamp: new Date().toISOString(),
    source: 'Certification Reminders <reminders@example.com>',
    messageId: randomUUID(),
    destination: [m.email, m.guardianEmail],
    commonHeaders: {
      from: ['Certification Reminders <reminders@example.com>'],
      to: [`"${m.name}" <${m.email}>`],
      cc: [m.guardianEmail],
      subject: `You can renew ${m.credentialName}`,
    },
  };
  return [
    JSON.stringify({
      notificationType: 'Bounce',
      mail,
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          {
            emailAddress: `"${m.name}" <${m.email.toUpperCase()}>`,
            diagnosticCode: `smtp; 550 5.1.1 <${m.email}>: unknown`,
          },
        ],
      },
    }),
    JSON.stringify({
      eventType: 'Complaint',
      mail,
      complaint: {
        complainedRecipients: [{ emailAddress: m.guardianEmail }],
        complaintFeedbackType: 'abuse',
      },
    }),
    JSON.stringify({
      notificationType: 'Bounce',
      mail,
      bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: m.otherEmail }] },
    }),
    JSON.stringify({ notificationType: 'Delivery', mail, delivery: { recipients: [m.email] } }),
    `Bounce for "${m.name}" <${m.email}>: not JSON at all`,
  ];
};

describe('the Lambda entry points log no personal data', () => {
  it('on every path of ingest, planner, sender, ses-events and unsubscribe', async () => {
    // Prepare
    const { handler: ingest } = await import('../../../functions/handlers/ingest');
    const { handler: planner } = await import('../../../functions/handlers/planner');
    const { handler: sender } = await import('../../../functions/handlers/sender');
    const { handler: sesEvents } = await import('../../../functions/handlers/ses-events');
    const { handler: unsubscribe } = await import('../../../functions/handlers/unsubscribe');
    const m = piiMarkers('lambda');
    const ana = `dp-ana-${randomUUID().slice(0, 8)}`;
    const bo = `dp-bo-${randomUUID().slice(0, 8)}`;
    const cy = `dp-cy-${randomUUID().slice(0, 8)}`;
    const dee = `dp-dee-${randomUUID().slice(0, 8)}`;
    const first = attemptOf(m, ana);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const capture = captureOutput();
    const answers: number[] = [];

    // Act
    try {
      // ingest: accepted, duplicate, conflict, invalid payloads naming the person, merge, erase
      const sendIngest = async (event: ReturnType<typeof signed>) =>
        answers.push((await ingest(event, context)).statusCode);
      await sendIngest(signed(first, 'msg_dp_first'));
      await sendIngest(signed(first, 'msg_dp_first'));
      await sendIngest(
        signed(
          attemptOf(m, ana, {
            credentialId: 'dp-other',
            outcome: 'fail',
            takenAt: '2026-09-20T10:00:00Z',
          }),
        ),
      );
      await sendIngest(
        signed({
          ...first,
          data: {
            ...first.data,
            credential: { credentialId: 'dp-cred', name: `${m.credentialName} changed` },
          },
        }),
      );
      await sendIngest(
        signed({
          ...first,
          data: {
            ...first.data,
            candidate: { ...first.data.candidate, email: `${m.email}@@broken` },
          },
        }),
      );
      await sendIngest(
        signed({
          ...first,
          data: { ...first.data, candidate: { ...first.data.candidate, name: `${m.name}\u0007` } },
        }),
      );
      await sendIngest(signed(`{"type":"attempt.recorded","data":{"email":"${m.email}"`));
      await sendIngest(
        signed({
          type: 'candidate.updated',
          timestamp: '2026-02-01T00:00:00Z',
          data: { candidateId: ana, name: m.otherName, guardianEmail: m.guardianEmail },
        }),
      );
      await sendIngest(signed(attemptOf(m, bo, { takenAt: '2026-01-16T10:00:00Z' })));
      await sendIngest(
        signed({
          type: 'account.merged',
          timestamp: '2026-02-02T00:00:00Z',
          data: { fromCandidateId: bo, toCandidateId: ana },
        }),
      );
      await sendIngest(
        signed({
          type: 'account.merged',
          timestamp: '2026-02-03T00:00:00Z',
          data: { fromCandidateId: ana, toCandidateId: bo },
        }),
      );
      await sendIngest(signed(attemptOf(m, cy)));
      await sendIngest(
        signed({
          type: 'candidate.erased',
          timestamp: '2026-02-04T00:00:00Z',
          data: { candidateId: cy },
        }),
      );
      const unsigned = signed(attemptOf(m, ana));
      answers.push(
        (
          await ingest(
            { ...unsigned, headers: { ...unsigned.headers, 'webhook-signature': 'v1,forged' } },
            context,
          )
        ).statusCode,
      );

      // ingest's own failure path: the store fails under it
      const dynamo = mockClient(DynamoDBDocumentClient);
      dynamo.onAnyCommand().rejects(
        Object.assign(new Error('Throughput exceeds the current capacity'), {
          name: 'ProvisionedThroughputExceededException',
        }),
      );
      try {
        await sendIngest(signed(attemptOf(m, `dp-fail-${randomUUID().slice(0, 8)}`)));
      } finally {
        dynamo.restore();
      }

      // planner and sender: a real run through SQS (mocked) and the SES emulator
      await planner({ runAt: '2026-10-16T13:00:00Z' }, context);
      const sent = await sender(sqsEventOf(), context);
      expect(sent.batchItemFailures).toEqual([]);

      // the sender when SES refuses: the account (unverified identity) and the message (recipient)
      await sendIngest(signed(attemptOf(m, dee, { takenAt: '2026-01-20T10:00:00Z' })));
      const ses = mockClient(SESv2Client);
      try {
        ses.rejects(
          new MessageRejected({
            message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${m.email}, "${m.name}" <${m.guardianEmail}>`,
            $metadata: { httpStatusCode: 400 },
          }),
        );
        await planner({ runAt: '2026-10-21T13:00:00Z' }, context);
        const accountFailure = await sender(sqsEventOf(), context);
        expect(accountFailure.batchItemFailures.length).toBeGreaterThan(0);
        ses.reset();
        ses.rejects(
          new MessageRejected({
            message: `Illegal address: "${m.name}" <${m.email}> (${m.credentialName})`,
            $metadata: { httpStatusCode: 400 },
          }),
        );
        await planner({ runAt: '2026-10-21T13:00:00Z' }, context);
        await sender(sqsEventOf(), context);
      } finally {
        ses.restore();
      }

      // ses-events: a hard bounce, a complaint, a soft bounce, a delivery, a message that is not JSON
      const suppressed = await sesEvents(snsEventOf(sesNotifications(m)), context);
      expect(suppressed).toEqual({ suppressed: 2 });

      // unsubscribe: the confirmation page, the one-click POST, a forged token
      const token = createUnsubscribeToken(ana, UNSUBSCRIBE_SECRET);
      answers.push(
        (await unsubscribe(httpEvent('GET', '/unsubscribe', { query: `token=${token}` }), context))
          .statusCode,
      );
      answers.push(
        (
          await unsubscribe(
            httpEvent('POST', '/unsubscribe', {
              query: `token=${token}`,
              body: 'List-Unsubscribe=One-Click',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            }),
            context,
          )
        ).statusCode,
      );
      answers.push(
        (
          await unsubscribe(
            httpEvent('POST', '/unsubscribe', { query: `token=${token.slice(0, -2)}` }),
            context,
          )
        ).statusCode,
      );
    } finally {
      capture.stop();
    }

    // Assess: the paths ran and logged (the capture sees the logger), and nothing personal leaked
    expect(answers).toEqual([
      202, 202, 202, 409, 400, 400, 400, 202, 202, 202, 409, 202, 202, 401, 500, 202, 200, 200, 400,
    ]);
    const logged = capture.lines.join('\n');
    for (const message of [
      'event recorded',
      'event could not be recorded',
      'run planned',
      'candidate processed',
      'address suppressed',
      'ignored an SNS message that is not JSON',
      'candidate unsubscribed',
    ])
      expect(logged, message).toContain(message);
    expect(leaksIn(capture.lines, m.all)).toEqual([]);
  }, 60_000);
});
