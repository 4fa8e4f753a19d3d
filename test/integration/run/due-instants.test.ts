import { describe, expect, it } from 'vitest';
import type { ReminderKind } from '../../../functions/domain/reminder-rules';
import { createTestApp, emailsTo, runAt, type TestApp } from '../support/harness';
import {
  countEmailsTo,
  emailedReminders,
  newCandidate,
  postAttempt,
  reportFor,
  type TestCandidate,
} from './run-helpers';

/**
 * SPEC §1: a reminder's due instant is 00:00 of its local due date in the candidate's zone plus
 * `SEND_HOUR` hours. A run one second before it sends nothing; a run at it sends the reminder.
 * The expected instants below are worked out by hand, not by the code under test.
 */

interface Expected {
  readonly kind: ReminderKind;
  readonly dueOn: string;
  /** The due instant, in UTC. */
  readonly dueAt: string;
  /** The date the email text must show as `(YYYY-MM-DD)`. */
  readonly shownDate: string;
}

const oneSecondBefore = (instant: string) => new Date(Date.parse(instant) - 1000).toISOString();

/**
 * For each expected reminder, in order: a run at (due instant − 1 s) sends the candidate
 * nothing, and a run at the due instant sends exactly that reminder, in one email.
 */
const expectEachDueExactlyAtItsInstant = async (
  app: TestApp['app'],
  candidate: TestCandidate,
  credentialName: string,
  expected: readonly Expected[],
) => {
  let delivered = 0;
  for (const reminder of expected) {
    // Act: the second before the due instant
    const before = await runAt(app, oneSecondBefore(reminder.dueAt));

    // Assess: nothing yet, in the report or in the mailbox
    expect(reportFor(before, candidate.candidateId), `${reminder.kind} one second early`).toEqual({
      emails: [],
      skipped: [],
      failed: [],
    });
    expect(await countEmailsTo(candidate.email)).toBe(delivered);

    // Act: the due instant itself
    const onTime = await runAt(app, reminder.dueAt);

    // Assess: exactly this reminder, in one email, nothing skipped
    expect(
      emailedReminders(onTime, candidate.candidateId),
      `${reminder.kind} at ${reminder.dueAt}`,
    ).toEqual([{ credentialId: 'aws-serverless', kind: reminder.kind, dueOn: reminder.dueOn }]);
    expect(reportFor(onTime, candidate.candidateId).skipped).toEqual([]);
    delivered += 1;
    const mailbox = await emailsTo(candidate.email);
    expect(mailbox).toHaveLength(delivered);
    const latest = mailbox.find(
      (email) => email.messageId === reportFor(onTime, candidate.candidateId).emails[0]?.messageId,
    );
    expect(latest?.subject).toContain(credentialName);
    expect(latest?.body.text).toContain(`(${reminder.shownDate})`);
  }
};

describe('each kind is emailed on its local due date, at its due instant', () => {
  it('west of UTC (America/Los_Angeles, across a DST change): renewal, expiring soon and expired', async () => {
    // Prepare: passed on 15 March 2026 in Los Angeles, which is already 16 March in UTC
    const { app } = await createTestApp();
    const candidate = newCandidate('la-pass');
    await postAttempt(app, candidate, {
      outcome: 'pass',
      takenAt: '2026-03-15T20:00:00-07:00',
      timeZone: 'America/Los_Angeles',
    });

    // Act + Assess
    await expectEachDueExactlyAtItsInstant(app, candidate, 'AWS Serverless Microcredential', [
      // 2026-12-15 00:00 PST (UTC−8)
      {
        kind: 'renewal_window_open',
        dueOn: '2026-12-15',
        dueAt: '2026-12-15T08:00:00Z',
        shownDate: '2026-12-15',
      },
      // expires 2027-03-15; 30 days before is 2027-02-13, 00:00 PST
      {
        kind: 'expiring_soon',
        dueOn: '2027-02-13',
        dueAt: '2027-02-13T08:00:00Z',
        shownDate: '2027-03-15',
      },
      // 2027-03-15 00:00 PDT (UTC−7: DST began on 14 March 2027)
      {
        kind: 'expired',
        dueOn: '2027-03-15',
        dueAt: '2027-03-15T07:00:00Z',
        shownDate: '2027-03-15',
      },
    ]);
  });

  it('west of UTC (Pacific/Honolulu): retake available 25 days after a failure', async () => {
    // Prepare: failed on 1 November 2026 in Honolulu (2 November in UTC)
    const { app } = await createTestApp();
    const candidate = newCandidate('hnl-fail');
    await postAttempt(app, candidate, {
      outcome: 'fail',
      takenAt: '2026-11-01T20:00:00-10:00',
      timeZone: 'Pacific/Honolulu',
    });

    // Act + Assess: 2026-11-26 00:00 HST (UTC−10)
    await expectEachDueExactlyAtItsInstant(app, candidate, 'AWS Serverless Microcredential', [
      {
        kind: 'retake_available',
        dueOn: '2026-11-26',
        dueAt: '2026-11-26T10:00:00Z',
        shownDate: '2026-11-26',
      },
    ]);
  });

  it('east of UTC (Pacific/Kiritimati, UTC+14): renewal, expiring soon and expired', async () => {
    // Prepare: passed at 12:00 UTC on 27 February 2026, which is 28 February in Kiritimati
    const { app } = await createTestApp();
    const candidate = newCandidate('kiri-pass');
    await postAttempt(app, candidate, {
      outcome: 'pass',
      takenAt: '2026-02-27T12:00:00Z',
      timeZone: 'Pacific/Kiritimati',
    });

    // Act + Assess: each due date begins at 10:00 UTC the day before
    await expectEachDueExactlyAtItsInstant(app, candidate, 'AWS Serverless Microcredential', [
      {
        kind: 'renewal_window_open',
        dueOn: '2026-11-28',
        dueAt: '2026-11-27T10:00:00Z',
        shownDate: '2026-11-28',
      },
      // expires 2027-02-28; 30 days before is 2027-01-29
      {
        kind: 'expiring_soon',
        dueOn: '2027-01-29',
        dueAt: '2027-01-28T10:00:00Z',
        shownDate: '2027-02-28',
      },
      {
        kind: 'expired',
        dueOn: '2027-02-28',
        dueAt: '2027-02-27T10:00:00Z',
        shownDate: '2027-02-28',
      },
    ]);
  });

  it('east of UTC (Asia/Tokyo): retake available 25 days after a failure', async () => {
    // Prepare: failed at 16:00 UTC on 31 October 2026, which is 1 November in Tokyo
    const { app } = await createTestApp();
    const candidate = newCandidate('tyo-fail');
    await postAttempt(app, candidate, {
      outcome: 'fail',
      takenAt: '2026-10-31T16:00:00Z',
      timeZone: 'Asia/Tokyo',
    });

    // Act + Assess: 2026-11-26 00:00 JST (UTC+9)
    await expectEachDueExactlyAtItsInstant(app, candidate, 'AWS Serverless Microcredential', [
      {
        kind: 'retake_available',
        dueOn: '2026-11-26',
        dueAt: '2026-11-25T15:00:00Z',
        shownDate: '2026-11-26',
      },
    ]);
  });

  it('with SEND_HOUR 9 the due instant is 09:00 local, west and east', async () => {
    // Prepare
    const { app } = await createTestApp({ settings: { sendHour: 9 } });
    const west = newCandidate('la-hour9');
    const east = newCandidate('tyo-hour9');
    await postAttempt(app, west, {
      outcome: 'pass',
      takenAt: '2026-03-15T20:00:00-07:00',
      timeZone: 'America/Los_Angeles',
    });
    await postAttempt(app, east, {
      outcome: 'fail',
      takenAt: '2026-10-31T16:00:00Z',
      timeZone: 'Asia/Tokyo',
    });

    // Act + Assess: 2026-11-26 09:00 JST, then 2026-12-15 09:00 PST
    await expectEachDueExactlyAtItsInstant(app, east, 'AWS Serverless Microcredential', [
      {
        kind: 'retake_available',
        dueOn: '2026-11-26',
        dueAt: '2026-11-26T00:00:00Z',
        shownDate: '2026-11-26',
      },
    ]);
    await expectEachDueExactlyAtItsInstant(app, west, 'AWS Serverless Microcredential', [
      {
        kind: 'renewal_window_open',
        dueOn: '2026-12-15',
        dueAt: '2026-12-15T17:00:00Z',
        shownDate: '2026-12-15',
      },
    ]);
  });

  it('a candidate without a zone is judged in DEFAULT_TIME_ZONE', async () => {
    // Prepare: DEFAULT_TIME_ZONE Asia/Tokyo; failed at 16:00 UTC on 31 October 2026 (1 November in Tokyo)
    const { app } = await createTestApp({ settings: { defaultTimeZone: 'Asia/Tokyo' } });
    const candidate = newCandidate('default-zone');
    await postAttempt(app, candidate, { outcome: 'fail', takenAt: '2026-10-31T16:00:00Z' });

    // Act + Assess
    await expectEachDueExactlyAtItsInstant(app, candidate, 'AWS Serverless Microcredential', [
      {
        kind: 'retake_available',
        dueOn: '2026-11-26',
        dueAt: '2026-11-25T15:00:00Z',
        shownDate: '2026-11-26',
      },
    ]);
  });
});
