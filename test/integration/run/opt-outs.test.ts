import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import { makeSesEvents } from '../../../functions/handlers/ses-events';
import { createTestApp, httpEvent, runAt, UNSUBSCRIBE_SECRET } from '../support/harness';
import {
  bounceNotification,
  complaintNotification,
  countEmailsTo,
  deliverToSender,
  emailedReminders,
  newCandidate,
  planOnly,
  postAccepted,
  postAttempt,
  reportFor,
  skippedReminders,
  snsEventOf,
} from './run-helpers';

/**
 * SPEC §1–§4: an unsubscribed candidate is skipped (`unsubscribed`); an erased one gets nothing,
 * ever, and is not even reported; a hard bounce or a complaint (SES notifications via SNS)
 * suppresses that address; a transient bounce does not.
 */

/** Everyone here passed on 2026-02-12 (UTC): renewal windows open 2026-11-12. */
const PASSED_AT = '2026-02-12T09:00:00Z';
const RENEWAL_RUN = '2026-11-12T13:00:00Z';
const RENEWAL = {
  credentialId: 'aws-serverless',
  kind: 'renewal_window_open',
  dueOn: '2026-11-12',
} as const;

describe('opt-outs and erasure', () => {
  it('an unsubscribed candidate gets nothing; the run reports the reminder as unsubscribed', async () => {
    // Prepare
    const { app } = await createTestApp();
    const candidate = newCandidate('unsub');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });
    const token = createUnsubscribeToken(candidate.candidateId, UNSUBSCRIBE_SECRET);
    const answer = await app.unsubscribe(
      httpEvent('POST', '/unsubscribe', {
        query: new URLSearchParams({ token }).toString(),
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(answer.statusCode).toBe(200);

    // Act
    const run = await runAt(app, RENEWAL_RUN);
    const again = await runAt(app, '2026-11-13T13:00:00Z');

    // Assess
    expect(reportFor(run, candidate.candidateId).emails).toEqual([]);
    expect(skippedReminders(run, candidate.candidateId)).toEqual([
      { ...RENEWAL, reason: 'unsubscribed' },
    ]);
    expect(reportFor(again, candidate.candidateId)).toEqual({
      emails: [],
      skipped: [],
      failed: [],
    });
    expect(await countEmailsTo(candidate.email)).toBe(0);
  });

  it('an erased candidate gets nothing, ever, and is not even reported', async () => {
    // Prepare: a renewal due, then the erasure, then a late attempt for the erased id
    const { app } = await createTestApp();
    const candidate = newCandidate('erased');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });
    await postAccepted(app, {
      type: 'candidate.erased',
      timestamp: '2026-11-01T08:00:00Z',
      data: { candidateId: candidate.candidateId },
    });
    await postAttempt(app, candidate, { outcome: 'fail', takenAt: '2026-11-02T08:00:00Z' });

    // Act: the renewal date, and the would-be retake date
    const run = await runAt(app, RENEWAL_RUN);
    const retakeDay = await runAt(app, '2026-11-27T13:00:00Z');

    // Assess
    for (const report of [run, retakeDay]) {
      expect(reportFor(report, candidate.candidateId)).toEqual({
        emails: [],
        skipped: [],
        failed: [],
      });
    }
    expect(await countEmailsTo(candidate.email)).toBe(0);
    const record = await app.store.loadCandidate(candidate.candidateId);
    expect(record.profile).toBeUndefined();
    expect(record.states).toEqual([]);
  });

  it('a permanent bounce and a complaint suppress the address; a transient bounce does not', async () => {
    // Prepare
    const { app } = await createTestApp();
    const bounced = newCandidate('hard-bounce');
    const complained = newCandidate('complaint');
    const mailboxFull = newCandidate('soft-bounce');
    for (const candidate of [bounced, complained, mailboxFull]) {
      await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });
    }
    const sesEvents = makeSesEvents({ stores: app.stores, clock: app.clock });

    // Act: SNS delivers the SES notifications (the bounce in the address's other case)
    const outcome = await sesEvents(
      snsEventOf(
        bounceNotification(bounced.email.toUpperCase(), 'Permanent'),
        complaintNotification(complained.email),
        bounceNotification(mailboxFull.email, 'Transient'),
      ),
    );
    const run = await runAt(app, RENEWAL_RUN);

    // Assess
    expect(outcome).toEqual({ suppressed: 2 });
    for (const candidate of [bounced, complained]) {
      expect(reportFor(run, candidate.candidateId).emails).toEqual([]);
      for (const skip of reportFor(run, candidate.candidateId).skipped)
        expect(skip.reason).toBe('unsubscribed');
      expect(await countEmailsTo(candidate.email)).toBe(0);
    }
    expect(skippedReminders(run, bounced.candidateId)).toEqual([
      { ...RENEWAL, reason: 'unsubscribed' },
    ]);
    expect(emailedReminders(run, mailboxFull.candidateId)).toEqual([RENEWAL]);
    expect(await countEmailsTo(mailboxFull.email)).toBe(1);
  });

  it('erased or unsubscribed after planning but before sending: nothing is sent', async () => {
    // Prepare: two candidates with a renewal due, planned
    const testApp = await createTestApp();
    const { app } = testApp;
    const erased = newCandidate('erased-late');
    const unsubscribed = newCandidate('unsub-late');
    for (const candidate of [erased, unsubscribed])
      await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT });
    const planned = (await planOnly(testApp, Temporal.Instant.from(RENEWAL_RUN))).filter(
      (request) => [erased.candidateId, unsubscribed.candidateId].includes(request.candidateId),
    );
    expect(planned).toHaveLength(2);

    // Act: one is erased, the other unsubscribes; then the sender receives the messages
    await postAccepted(app, {
      type: 'candidate.erased',
      timestamp: '2026-11-12T13:00:30Z',
      data: { candidateId: erased.candidateId },
    });
    const token = createUnsubscribeToken(unsubscribed.candidateId, UNSUBSCRIBE_SECRET);
    const oneClick = httpEvent('POST', '/unsubscribe', {
      query: `token=${token}`,
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect((await app.unsubscribe(oneClick)).statusCode).toBe(200);
    const { reports, mailerCalls } = await deliverToSender(testApp, planned);

    // Assess
    expect(mailerCalls).toBe(0);
    expect(reports.flatMap((report) => (report.email ? [report.email] : []))).toEqual([]);
    expect(
      reports.flatMap((report) =>
        report.skipped.filter((skip) => skip.candidateId === erased.candidateId),
      ),
    ).toEqual([]);
    expect(
      reports.flatMap((report) =>
        report.skipped.map(({ candidateId, kind, reason }) => ({ candidateId, kind, reason })),
      ),
    ).toEqual([
      {
        candidateId: unsubscribed.candidateId,
        kind: 'renewal_window_open',
        reason: 'unsubscribed',
      },
    ]);
    expect(await countEmailsTo(erased.email)).toBe(0);
    expect(await countEmailsTo(unsubscribed.email)).toBe(0);
  });

  it("a guardian's suppressed address is never mailed again", async () => {
    // Prepare: a teen account; the guardian's address hard-bounced
    const { app } = await createTestApp();
    const candidate = newCandidate('teen');
    const guardian = `guardian-${candidate.candidateId}@example.net`;
    await postAttempt(app, candidate, {
      outcome: 'pass',
      takenAt: PASSED_AT,
      guardianEmail: guardian,
    });
    await makeSesEvents({ stores: app.stores, clock: app.clock })(
      snsEventOf(bounceNotification(guardian, 'Permanent')),
    );

    // Act
    const run = await runAt(app, RENEWAL_RUN);

    // Assess: whatever happens to the candidate's own email, the suppressed address gets nothing
    expect(reportFor(run, candidate.candidateId).emails.flatMap((email) => email.cc)).not.toContain(
      guardian,
    );
    expect(await countEmailsTo(guardian)).toBe(0);
  });
});
