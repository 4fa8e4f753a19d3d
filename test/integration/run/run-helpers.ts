import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import type { Temporal } from 'temporal-polyfill';
import { expect } from 'vitest';
import type { RunReport } from '../../../bin/local/local-app';
import { TABLE_DESIGN } from '../../../functions/adapters/dynamodb/table-design';
import { createInProcessQueue } from '../../../functions/adapters/in-process-queue';
import { classifySesError, createSesMailer } from '../../../functions/adapters/ses-mailer';
import { makeSender } from '../../../functions/handlers/sender';
import type { ReminderRecord } from '../../../functions/use-cases/candidate-record';
import { planRun } from '../../../functions/use-cases/plan-run';
import type { Mailer, SendRequest } from '../../../functions/use-cases/ports';
import type { CandidateRunReport } from '../../../functions/use-cases/send-candidate-reminders';
import {
  attemptEvent,
  emailsTo,
  postEvent,
  type StoredEmail,
  type TestApp,
  UNSUBSCRIBE_SECRET,
  uniqueId,
} from '../support/harness';

/**
 * Small helpers shared by the run tests: a candidate with a unique id and address, posting
 * attempts, reading one candidate's part of a run report, the ledger, and SES notifications as
 * SNS delivers them.
 */

export interface TestCandidate {
  readonly candidateId: string;
  readonly email: string;
}

/** A candidate with a unique id and address (the SES emulator's store is shared). */
export const newCandidate = (prefix = 'cand'): TestCandidate => {
  const candidateId = uniqueId(prefix);
  return { candidateId, email: `${candidateId}@example.com` };
};

/** Posts one attempt through the signed webhook and checks it was accepted. */
export const postAttempt = async (
  app: TestApp['app'],
  candidate: TestCandidate,
  attempt: {
    readonly outcome: 'pass' | 'fail';
    readonly takenAt: string;
    readonly timeZone?: string;
    readonly credentialId?: string;
    readonly credentialName?: string;
    readonly guardianEmail?: string;
    readonly attemptId?: string;
  },
) => {
  const posted = await postEvent(
    app,
    attemptEvent({ candidateId: candidate.candidateId, email: candidate.email, ...attempt }),
  );
  expect(posted.statusCode, posted.body).toBe(202);
  return posted;
};

/** Posts any event through the signed webhook and checks it was accepted. */
export const postAccepted = async (app: TestApp['app'], event: unknown) => {
  const posted = await postEvent(app, event);
  expect(posted.statusCode, posted.body).toBe(202);
  return posted;
};

/** The part of a run report that concerns one candidate. */
export const reportFor = (report: RunReport, candidateId: string) => ({
  emails: report.emails.filter((email) => email.candidateId === candidateId),
  skipped: report.skipped.filter((skip) => skip.candidateId === candidateId),
  failed: report.failed.filter((failure) => failure.candidateId === candidateId),
});

/** Reminders of one candidate's emails in a report, as `{credentialId, kind, dueOn}`. */
export const emailedReminders = (report: RunReport, candidateId: string) =>
  reportFor(report, candidateId).emails.flatMap((email) =>
    email.reminders.map(({ credentialId, kind, dueOn }) => ({ credentialId, kind, dueOn })),
  );

/** Skipped reminders of one candidate, as `{credentialId, kind, dueOn, reason}`, sorted. */
export const skippedReminders = (report: RunReport, candidateId: string) =>
  reportFor(report, candidateId)
    .skipped.map(({ credentialId, kind, dueOn, reason }) => ({ credentialId, kind, dueOn, reason }))
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.kind < b.kind ? -1 : 1));

/** The reminder items (ledger and pending ones) stored for a candidate. */
export const ledgerOf = async (
  app: TestApp['app'],
  candidateId: string,
): Promise<readonly ReminderRecord[]> => (await app.store.loadCandidate(candidateId)).reminders;

/** How many emails the SES emulator holds for an address (To or Cc). */
export const countEmailsTo = async (address: string) => (await emailsTo(address)).length;

/** The value of a header of a stored email. */
export const headerOf = (email: StoredEmail | undefined, name: string) =>
  email?.headers?.find((header) => header.name.toLowerCase() === name.toLowerCase())?.value;

/** The raw query string (`token=…`) of the `List-Unsubscribe` URL of a stored email. */
export const unsubscribeQueryOf = (email: StoredEmail | undefined): string => {
  const value = headerOf(email, 'List-Unsubscribe');
  const match = /^<(.+)>$/.exec(value ?? '');
  expect(match, `List-Unsubscribe header: ${value}`).not.toBeNull();
  const url = new URL((match as RegExpExecArray)[1] as string);
  expect(url.pathname).toBe('/unsubscribe');
  return url.search.slice(1);
};

/** The `mail` object SES puts in every notification. */
const sesMail = (destination: readonly string[]) => ({
  timestamp: '2026-11-26T05:59:58.000Z',
  source: 'Certification Reminders <reminders@example.com>',
  sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
  sourceIp: '203.0.113.10',
  sendingAccountId: '123456789012',
  messageId: `0100019${randomUUID().replaceAll('-', '')}-000000`,
  destination: [...destination],
  headersTruncated: false,
  headers: [{ name: 'From', value: 'Certification Reminders <reminders@example.com>' }],
  commonHeaders: {
    from: ['Certification Reminders <reminders@example.com>'],
    to: [...destination],
    subject: 'You can now renew AWS Serverless Microcredential',
  },
});

/** An SES bounce notification (identity notification format). */
export const bounceNotification = (address: string, bounceType: 'Permanent' | 'Transient') => ({
  notificationType: 'Bounce',
  bounce: {
    bounceType,
    bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
    bouncedRecipients: [
      {
        emailAddress: address,
        action: 'failed',
        status: bounceType === 'Permanent' ? '5.1.1' : '4.2.2',
        diagnosticCode:
          bounceType === 'Permanent'
            ? 'smtp; 550 5.1.1 user unknown'
            : 'smtp; 452 4.2.2 mailbox full',
      },
    ],
    timestamp: '2026-11-26T06:00:00.000Z',
    feedbackId: `0100019-${randomUUID()}`,
    remoteMtaIp: '198.51.100.7',
    reportingMTA: 'dsn; a8-70.smtp-out.amazonses.com',
  },
  mail: sesMail([address]),
});

/** An SES complaint notification (configuration-set event publishing format: `eventType`). */
export const complaintNotification = (address: string) => ({
  eventType: 'Complaint',
  complaint: {
    complainedRecipients: [{ emailAddress: address }],
    timestamp: '2026-11-26T06:00:00.000Z',
    feedbackId: `0100019-${randomUUID()}`,
    userAgent: 'ExampleCorp Feedback Loop (V0.01)',
    complaintFeedbackType: 'abuse',
    arrivalDate: '2026-11-26T05:59:59.000Z',
  },
  mail: sesMail([address]),
});

/** An SNS event as Lambda receives it, carrying one SES notification per record. */
export const snsEventOf = (...notifications: readonly unknown[]): SNSEvent => ({
  Records: notifications.map((notification) => ({
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: `arn:aws:sns:us-east-1:123456789012:ses-notifications:${randomUUID()}`,
    Sns: {
      Type: 'Notification',
      MessageId: randomUUID(),
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-notifications',
      Subject: null as unknown as string,
      Message: JSON.stringify(notification),
      Timestamp: '2026-11-26T06:00:01.000Z',
      SignatureVersion: '1',
      Signature:
        'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
      SigningCertUrl:
        'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
      UnsubscribeUrl:
        'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=example',
      MessageAttributes: {},
    },
  })),
});

/** The planner half of a run: the send requests it queues, captured instead of delivered. */
export const planOnly = async (
  testApp: TestApp,
  runAt: Temporal.Instant,
): Promise<SendRequest[]> => {
  const captured: SendRequest[] = [];
  await planRun(
    {
      candidates: testApp.app.stores.candidates,
      shards: TABLE_DESIGN.dueShards,
      queue: { enqueue: async (requests) => void captured.push(...requests) },
    },
    runAt,
  );
  return captured;
};

/**
 * The sender half of a run: the sender handler (as on Lambda) fed through the in-process queue,
 * with the real SES mailer on the emulator, counting its sends.
 */
export const deliverToSender = async (testApp: TestApp, requests: readonly SendRequest[]) => {
  const reports: CandidateRunReport[] = [];
  const deadLettered: SendRequest[] = [];
  const realMailer = createSesMailer({ client: testApp.clients.ses });
  let mailerCalls = 0;
  const mailer: Mailer = {
    send: (email) => {
      mailerCalls += 1;
      return realMailer.send(email);
    },
  };
  const sender = makeSender({
    stores: testApp.app.stores,
    settings: testApp.settings,
    clock: testApp.app.clock,
    claimLeaseSeconds: testApp.config.claimLeaseSeconds,
    mailer,
    classifyFailure: classifySesError,
    emailFrom: testApp.config.emailFrom,
    publicUrl: testApp.config.publicUrl,
    unsubscribeSecrets: async () => [UNSUBSCRIBE_SECRET],
    onReport: (report) => reports.push(report),
  });
  await createInProcessQueue(sender, {
    onDeadLetter: (request) => deadLettered.push(request),
  }).enqueue(requests);
  return { reports, deadLettered, mailerCalls };
};
