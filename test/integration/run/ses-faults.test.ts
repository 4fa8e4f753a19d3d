import {
  AccountSuspendedException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  type SendEmailCommandInput,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { claimReminders, remindersOfState } from '../../../functions/domain/candidate-ledger';
import { createTestApp, createTestClock, emailsTo, runAt } from '../support/harness';
import {
  emailedReminders,
  ledgerOf,
  newCandidate,
  postAttempt,
  reportFor,
  skippedReminders,
  type TestCandidate,
} from './run-helpers';

/**
 * SES faults (SPEC §1 "exactly once", §7 partial batch failures): throttling is retried by the
 * queue and the email goes out exactly once; a rejection of the message is recorded as failed
 * and never retried; a failure of the sending account never uses up a reminder; a claim whose
 * holder crashed blocks every run until its lease ends (on the wall clock), then a run sends the
 * email once.
 */

/** Everyone here passed on 2026-02-12 (UTC): renewal windows open 2026-11-12. */
const PASSED_AT = '2026-02-12T09:00:00Z';
const RENEWAL_RUN = '2026-11-12T13:00:00Z';
const RENEWAL = {
  credentialId: 'aws-serverless',
  kind: 'renewal_window_open',
  dueOn: '2026-11-12',
} as const;

const throttlingErrors = {
  TooManyRequestsException: () =>
    new TooManyRequestsException({
      message: 'Too many requests',
      $metadata: { httpStatusCode: 429 },
    }),
  ThrottlingException: () =>
    new SESv2ServiceException({
      name: 'ThrottlingException',
      message: 'Maximum sending rate exceeded.',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    }),
};

const restoreStubs: Array<() => void> = [];
afterEach(() => {
  for (const restore of restoreStubs.splice(0)) restore();
});

/** An SES client whose `SendEmail` is scripted: the first `failures` calls throw, then it accepts. */
const scriptedSes = (failure: () => Error, failures: number) => {
  const client = new SESv2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const stub = mockClient(client);
  restoreStubs.push(() => stub.restore());
  const accepted: Array<{ readonly to: readonly string[]; readonly messageId: string }> = [];
  let calls = 0;
  stub.on(SendEmailCommand).callsFake(async (input: SendEmailCommandInput) => {
    calls += 1;
    if (calls <= failures) throw failure();
    const messageId = `mock-${calls}-${Math.random().toString(36).slice(2)}`;
    accepted.push({ to: input.Destination?.ToAddresses ?? [], messageId });
    return { MessageId: messageId, $metadata: { httpStatusCode: 200 } };
  });
  return { client, accepted, sendCalls: () => stub.commandCalls(SendEmailCommand).length };
};

const acceptedFor = (
  accepted: ReadonlyArray<{ to: readonly string[]; messageId: string }>,
  candidate: TestCandidate,
) => accepted.filter((send) => send.to.includes(candidate.email));

describe('SES throttling', () => {
  for (const [name, failure] of Object.entries(throttlingErrors)) {
    it(`${name} on the first two sends: the email is sent exactly once`, async () => {
      // Prepare
      const ses = scriptedSes(failure, 2);
      const { app } = await createTestApp({ ses: ses.client });
      const candidate = newCandidate(`throttled-${name}`);
      await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });

      // Act: the in-process queue redelivers the failed message
      const run = await runAt(app, RENEWAL_RUN);

      // Assess
      expect(ses.sendCalls()).toBe(3);
      expect(ses.accepted).toHaveLength(1);
      expect(run.failed).toEqual([]);
      expect(emailedReminders(run, candidate.candidateId)).toEqual([RENEWAL]);
      expect(reportFor(run, candidate.candidateId).emails[0]?.messageId).toBe(
        ses.accepted[0]?.messageId,
      );
      const renewal = (await ledgerOf(app, candidate.candidateId)).find(
        (entry) => entry.kind === 'renewal_window_open',
      );
      expect(renewal).toMatchObject({ status: 'sent', messageId: ses.accepted[0]?.messageId });

      // Act + Assess: a further run sends nothing
      const next = await runAt(app, '2026-11-13T13:00:00Z');
      expect(reportFor(next, candidate.candidateId)).toEqual({
        emails: [],
        skipped: [],
        failed: [],
      });
      expect(ses.sendCalls()).toBe(3);
    });
  }

  it('throttled sends among several candidates: nothing lost, nothing doubled', async () => {
    // Prepare: four candidates due the same day; SES throttles the first two sends of the run
    const ses = scriptedSes(throttlingErrors.TooManyRequestsException, 2);
    const { app } = await createTestApp({ ses: ses.client });
    const candidates = [1, 2, 3, 4].map(() => newCandidate('throttled-batch'));
    for (const candidate of candidates)
      await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });

    // Act
    const run = await runAt(app, RENEWAL_RUN);
    const next = await runAt(app, '2026-11-13T13:00:00Z');

    // Assess
    expect(run.failed).toEqual([]);
    expect(ses.sendCalls()).toBe(candidates.length + 2);
    for (const candidate of candidates) {
      expect(acceptedFor(ses.accepted, candidate), candidate.candidateId).toHaveLength(1);
      expect(emailedReminders(run, candidate.candidateId)).toEqual([RENEWAL]);
      expect(reportFor(next, candidate.candidateId).emails).toEqual([]);
      const renewal = (await ledgerOf(app, candidate.candidateId)).find(
        (entry) => entry.kind === 'renewal_window_open',
      );
      expect(renewal).toMatchObject({
        status: 'sent',
        messageId: acceptedFor(ses.accepted, candidate)[0]?.messageId,
      });
    }
  });
  it('SES failing on every delivery of a run: reported failed, and the next run sends it once', async () => {
    // Prepare: the in-process queue delivers a message at most five times (SQS maxReceiveCount)
    const ses = scriptedSes(throttlingErrors.TooManyRequestsException, 5);
    const { app } = await createTestApp({ ses: ses.client });
    const candidate = newCandidate('throttled-out');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });

    // Act
    const run = await runAt(app, RENEWAL_RUN);

    // Assess: nothing sent, the candidate reported as failed
    expect(ses.sendCalls()).toBe(5);
    expect(reportFor(run, candidate.candidateId).emails).toEqual([]);
    expect(reportFor(run, candidate.candidateId).failed).toHaveLength(1);

    // Act: the next day's run
    const next = await runAt(app, '2026-11-13T13:00:00Z');
    const after = await runAt(app, '2026-11-14T13:00:00Z');

    // Assess: sent once, then never again
    expect(emailedReminders(next, candidate.candidateId)).toEqual([RENEWAL]);
    expect(reportFor(after, candidate.candidateId).emails).toEqual([]);
    expect(ses.sendCalls()).toBe(6);
    expect(ses.accepted).toHaveLength(1);
  });

  it('a throttled run still reports the reminders it skipped for that candidate', async () => {
    // Prepare: the credential expired on 2026-12-01; its renewal and warning are stale
    const ses = scriptedSes(throttlingErrors.TooManyRequestsException, 1);
    const { app } = await createTestApp({ ses: ses.client });
    const candidate = newCandidate('throttled-skips');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: '2025-12-01T09:00:00Z' });

    // Act
    const run = await runAt(app, '2026-12-04T13:00:00Z');

    // Assess: the expiry went out once, and the run reports what it skipped
    expect(emailedReminders(run, candidate.candidateId)).toEqual([
      { credentialId: 'aws-serverless', kind: 'expired', dueOn: '2026-12-01' },
    ]);
    expect(ses.accepted).toHaveLength(1);
    expect(skippedReminders(run, candidate.candidateId)).toEqual([
      {
        credentialId: 'aws-serverless',
        kind: 'renewal_window_open',
        dueOn: '2026-09-01',
        reason: 'stale',
      },
      {
        credentialId: 'aws-serverless',
        kind: 'expiring_soon',
        dueOn: '2026-11-01',
        reason: 'stale',
      },
    ]);
  });
});

describe('SES rejecting the message', () => {
  it('MessageRejected for the recipient is recorded as failed, reported in `failed`, and not retried by a later run', async () => {
    // Prepare
    const ses = scriptedSes(
      () =>
        new MessageRejected({
          message: 'Recipient address rejected: mailbox does not exist.',
          $metadata: { httpStatusCode: 400 },
        }),
      Number.POSITIVE_INFINITY,
    );
    const { app } = await createTestApp({ ses: ses.client });
    const candidate = newCandidate('rejected');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });

    // Act
    const run = await runAt(app, RENEWAL_RUN);
    const same = await runAt(app, RENEWAL_RUN);
    const next = await runAt(app, '2026-11-13T13:00:00Z');

    // Assess
    expect(ses.sendCalls()).toBe(1);
    expect(reportFor(run, candidate.candidateId).emails).toEqual([]);
    expect(reportFor(run, candidate.candidateId).failed).toEqual([
      { candidateId: candidate.candidateId, error: expect.stringContaining('MessageRejected') },
    ]);
    const renewal = (await ledgerOf(app, candidate.candidateId)).find(
      (entry) => entry.kind === 'renewal_window_open',
    );
    expect(renewal?.status).toBe('failed');
    expect(renewal?.error).toContain('Recipient address rejected');
    for (const later of [same, next]) {
      expect(reportFor(later, candidate.candidateId)).toEqual({
        emails: [],
        skipped: [],
        failed: [],
      });
    }
  });
});

/** Failures of the sending account itself (SPEC §1): they never use up a reminder. */
const accountFailures = {
  AccountSuspendedException: () =>
    new AccountSuspendedException({
      message: 'The account has been suspended.',
      $metadata: { httpStatusCode: 400 },
    }),
  SendingPausedException: () =>
    new SendingPausedException({
      message: 'Email sending is disabled for this account.',
      $metadata: { httpStatusCode: 400 },
    }),
  MailFromDomainNotVerifiedException: () =>
    new MailFromDomainNotVerifiedException({
      message: 'The MAIL FROM domain is not verified.',
      $metadata: { httpStatusCode: 400 },
    }),
  'MessageRejected for an unverified sender identity': () =>
    new MessageRejected({
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: reminders@example.com',
      $metadata: { httpStatusCode: 400 },
    }),
};

describe('SES failing for the sending account', () => {
  for (const [name, failure] of Object.entries(accountFailures)) {
    it(`${name} on every delivery of a run never uses up the reminder: it stays due and a later run sends it once`, async () => {
      // Prepare: the in-process queue delivers a message at most five times (SQS maxReceiveCount)
      const ses = scriptedSes(failure, 5);
      const { app } = await createTestApp({ ses: ses.client });
      const candidate = newCandidate('account-failure');
      await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });

      // Act
      const run = await runAt(app, RENEWAL_RUN);

      // Assess: nothing sent, nothing recorded as failed, the claim released
      expect(ses.sendCalls()).toBe(5);
      expect(ses.accepted).toEqual([]);
      expect(reportFor(run, candidate.candidateId).emails).toEqual([]);
      expect(reportFor(run, candidate.candidateId).failed).toHaveLength(1);
      const during = (await ledgerOf(app, candidate.candidateId)).find(
        (entry) => entry.kind === 'renewal_window_open',
      );
      expect(during?.status).toBe('pending');

      // Act: the next day's run, and one after it
      const next = await runAt(app, '2026-11-13T13:00:00Z');
      const after = await runAt(app, '2026-11-14T13:00:00Z');

      // Assess: sent once, then never again
      expect(emailedReminders(next, candidate.candidateId)).toEqual([RENEWAL]);
      expect(reportFor(next, candidate.candidateId).failed).toEqual([]);
      expect(reportFor(after, candidate.candidateId).emails).toEqual([]);
      expect(ses.sendCalls()).toBe(6);
      expect(acceptedFor(ses.accepted, candidate)).toHaveLength(1);
      const renewal = (await ledgerOf(app, candidate.candidateId)).find(
        (entry) => entry.kind === 'renewal_window_open',
      );
      expect(renewal).toMatchObject({ status: 'sent', messageId: ses.accepted[0]?.messageId });
    });
  }
});

describe('a crash between claim and send', () => {
  it('a sender claims what it sends for CLAIM_LEASE_SECONDS on the wall clock, and settles the claim once SES accepted', async () => {
    // Prepare: a lease of 60 s; SES answers only after the test has read the claim
    const clock = createTestClock();
    const client = new SESv2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const stub = mockClient(client);
    restoreStubs.push(() => stub.restore());
    const { app } = await createTestApp({ ses: client, clock, claimLeaseSeconds: 60 });
    const candidate = newCandidate('lease-length');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });
    const seenWhileSending: Array<string | undefined> = [];
    stub.on(SendEmailCommand).callsFake(async () => {
      const claim = (await ledgerOf(app, candidate.candidateId)).find(
        (entry) => entry.kind === 'renewal_window_open',
      );
      seenWhileSending.push(claim?.status, claim?.leaseUntil);
      return { MessageId: 'mock-lease', $metadata: { httpStatusCode: 200 } };
    });

    // Act
    const before = clock.now().getTime();
    const run = await runAt(app, RENEWAL_RUN);
    const after = clock.now().getTime();

    // Assess: claimed for 60 s from the wall-clock instant of the claim, then recorded as sent
    expect(emailedReminders(run, candidate.candidateId)).toEqual([RENEWAL]);
    const [status, leaseUntil] = seenWhileSending;
    expect(status).toBe('claimed');
    const lease = Date.parse(leaseUntil ?? '');
    expect(lease).toBeGreaterThanOrEqual(before + 60_000);
    expect(lease).toBeLessThanOrEqual(after + 60_000);
    expect(
      (await ledgerOf(app, candidate.candidateId)).find(
        (entry) => entry.kind === 'renewal_window_open',
      ),
    ).toMatchObject({ status: 'sent', messageId: 'mock-lease' });
  });

  it('a claim left by a dead sender blocks every run, however late its clock, until its lease runs out on the wall clock; then the email goes out once', async () => {
    // Prepare: at 13:00 (wall clock) a sender of the 13:00 run claimed the renewal, with the
    // default lease of 900 s (until 13:15 on the wall clock), and died before sending
    const clock = createTestClock();
    const { app, settings, config } = await createTestApp({ clock });
    expect(config.claimLeaseSeconds).toBe(900);
    const candidate = newCandidate('crashed');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });
    clock.set(RENEWAL_RUN);
    const stored = await app.stores.candidates.load(candidate.candidateId);
    expect(stored).toBeDefined();
    const { state, version, dueAt } = stored as NonNullable<typeof stored>;
    const reminder = remindersOfState(state, settings).find(
      (derived) => derived.kind === 'renewal_window_open',
    );
    expect(reminder?.dueOn).toBe('2026-11-12');
    const leaseUntil = new Date(
      clock.now().getTime() + config.claimLeaseSeconds * 1000,
    ).toISOString();
    const claimedState = claimReminders(state, [reminder as NonNullable<typeof reminder>], {
      token: 'crashed-run',
      leaseUntil,
      runAt: RENEWAL_RUN,
    });
    expect(await app.stores.candidates.save(claimedState, version, dueAt)).toBe(version + 1);
    expect(
      (await ledgerOf(app, candidate.candidateId)).find(
        (entry) => entry.kind === 'renewal_window_open',
      ),
    ).toMatchObject({ status: 'claimed', leaseUntil });

    // Act: while the lease holds on the wall clock: a run at 13:10, a run a day later, and (at
    // 13:14 on the wall clock) a replay a week later, all of them past 13:15 on their own clock
    // but the first
    const sameDay = await runAt(app, '2026-11-12T13:10:00Z');
    const nextDay = await runAt(app, '2026-11-13T13:00:00Z');
    clock.advance(14 * 60_000);
    const weekLater = await runAt(app, '2026-11-19T13:00:00Z');

    // Assess: none of them takes the claim over
    for (const blocked of [sameDay, nextDay, weekLater]) {
      expect(reportFor(blocked, candidate.candidateId)).toEqual({
        emails: [],
        skipped: [],
        failed: [],
      });
    }
    expect(await emailsTo(candidate.email)).toHaveLength(0);
    expect(
      (await ledgerOf(app, candidate.candidateId)).find(
        (entry) => entry.kind === 'renewal_window_open',
      )?.status,
    ).toBe('claimed');

    // Act: the lease runs out on the wall clock; the crashed run is retried, then a later one
    clock.advance(61_000);
    const retried = await runAt(app, RENEWAL_RUN);
    const later = await runAt(app, '2026-11-13T13:00:00Z');

    // Assess
    expect(emailedReminders(retried, candidate.candidateId)).toEqual([RENEWAL]);
    expect(reportFor(later, candidate.candidateId)).toEqual({
      emails: [],
      skipped: [],
      failed: [],
    });
    expect(await emailsTo(candidate.email)).toHaveLength(1);
    const renewal = (await ledgerOf(app, candidate.candidateId)).find(
      (entry) => entry.kind === 'renewal_window_open',
    );
    expect(renewal).toMatchObject({
      status: 'sent',
      messageId: reportFor(retried, candidate.candidateId).emails[0]?.messageId,
    });
  });
});
