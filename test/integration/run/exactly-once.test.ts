import { describe, expect, it } from 'vitest';
import { createTestApp, emailsTo, runAt } from '../support/harness';
import {
  countEmailsTo,
  emailedReminders,
  ledgerOf,
  newCandidate,
  postAccepted,
  postAttempt,
  reportFor,
  skippedReminders,
} from './run-helpers';

/**
 * SPEC §1 "A run": each reminder is emailed at most once, ever; running the same T again sends
 * nothing; two runs at the same time never send the same reminder twice; missed runs heal
 * themselves (up to `MAX_LATENESS_DAYS`, default 14, late).
 */

describe('exactly once', () => {
  it('running the same instant twice sends nothing the second time', async () => {
    // Prepare
    const { app } = await createTestApp();
    const candidate = newCandidate('twice');
    await postAttempt(app, candidate, { outcome: 'fail', takenAt: '2026-10-01T10:00:00Z' });
    const first = await runAt(app, '2026-10-26T13:00:00Z');
    expect(emailedReminders(first, candidate.candidateId)).toEqual([
      { credentialId: 'aws-serverless', kind: 'retake_available', dueOn: '2026-10-26' },
    ]);

    // Act
    const second = await runAt(app, '2026-10-26T13:00:00Z');
    const nextDay = await runAt(app, '2026-10-27T13:00:00Z');

    // Assess
    expect(reportFor(second, candidate.candidateId)).toEqual({
      emails: [],
      skipped: [],
      failed: [],
    });
    expect(reportFor(nextDay, candidate.candidateId)).toEqual({
      emails: [],
      skipped: [],
      failed: [],
    });
    expect(await countEmailsTo(candidate.email)).toBe(1);
    const ledger = await ledgerOf(app, candidate.candidateId);
    expect(
      ledger.filter((entry) => entry.kind === 'retake_available').map((entry) => entry.status),
    ).toEqual(['sent']);
  });

  it('two concurrent runs at the same instant never send a reminder twice', async () => {
    // Prepare: six candidates, each with one reminder due, one of them a digest of two
    const { app } = await createTestApp();
    const candidates = Array.from({ length: 6 }, () => newCandidate('concurrent'));
    for (const candidate of candidates) {
      await postAttempt(app, candidate, { outcome: 'pass', takenAt: '2026-02-12T09:00:00Z' });
    }
    const digest = candidates[0] as (typeof candidates)[number];
    await postAttempt(app, digest, {
      outcome: 'pass',
      takenAt: '2026-02-12T10:00:00Z',
      credentialId: 'gcp-ace',
    });

    // Act: renewals open on 2026-11-12
    const runs = await Promise.all([
      runAt(app, '2026-11-12T13:00:00Z'),
      runAt(app, '2026-11-12T13:00:00Z'),
    ]);

    // Assess: across both runs, each reminder reported sent once; each address holds one email
    // per reminder at most, and every reminder reached its candidate exactly once
    for (const candidate of candidates) {
      const sent = runs.flatMap((run) => emailedReminders(run, candidate.candidateId));
      const expected = candidate === digest ? 2 : 1;
      expect(sent, candidate.candidateId).toHaveLength(expected);
      expect(new Set(sent.map((reminder) => reminder.credentialId)).size).toBe(expected);
      const mailbox = await emailsTo(candidate.email);
      expect(mailbox.length).toBeGreaterThanOrEqual(1);
      expect(mailbox.length).toBeLessThanOrEqual(expected);
      expect(runs.flatMap((run) => reportFor(run, candidate.candidateId).failed)).toEqual([]);
      const ledger = await ledgerOf(app, candidate.candidateId);
      expect(
        ledger.filter((entry) => entry.kind === 'renewal_window_open').map((entry) => entry.status),
      ).toEqual(Array.from({ length: expected }, () => 'sent'));
    }

    // Act: and a third run afterwards
    const after = await runAt(app, '2026-11-12T13:00:00Z');

    // Assess
    for (const candidate of candidates)
      expect(reportFor(after, candidate.candidateId).emails).toEqual([]);
  });

  it('catches up after five missed days: every reminder due in them is sent once, in one run', async () => {
    // Prepare: renewals due on 2026-12-01 .. 2026-12-05 (UTC), the last run was on 2026-11-30
    const { app } = await createTestApp();
    const candidates = [1, 2, 3, 4, 5].map((day) => ({ day, ...newCandidate(`catchup-${day}`) }));
    for (const candidate of candidates) {
      await postAttempt(app, candidate, {
        outcome: 'pass',
        takenAt: `2026-03-0${candidate.day}T09:00:00Z`,
      });
    }
    const lastRun = await runAt(app, '2026-11-30T13:00:00Z');
    for (const candidate of candidates)
      expect(reportFor(lastRun, candidate.candidateId).emails).toEqual([]);

    // Act: the system comes back on 2026-12-06
    const catchUp = await runAt(app, '2026-12-06T13:00:00Z');
    const again = await runAt(app, '2026-12-07T13:00:00Z');

    // Assess
    for (const candidate of candidates) {
      expect(emailedReminders(catchUp, candidate.candidateId)).toEqual([
        {
          credentialId: 'aws-serverless',
          kind: 'renewal_window_open',
          dueOn: `2026-12-0${candidate.day}`,
        },
      ]);
      expect(reportFor(catchUp, candidate.candidateId).skipped).toEqual([]);
      expect(reportFor(again, candidate.candidateId)).toEqual({
        emails: [],
        skipped: [],
        failed: [],
      });
      expect(await countEmailsTo(candidate.email)).toBe(1);
    }
  });

  it('a reminder exactly 14 days late is still sent; one second more and it is stale', async () => {
    // Prepare: two stores, the same history: a renewal due 2026-11-22T00:00:00Z (UTC)
    const onTime = await createTestApp();
    const late = await createTestApp();
    const a = newCandidate('late-14d');
    const b = newCandidate('late-14d1s');
    await postAttempt(onTime.app, a, { outcome: 'pass', takenAt: '2026-02-22T09:00:00Z' });
    await postAttempt(late.app, b, { outcome: 'pass', takenAt: '2026-02-22T09:00:00Z' });

    // Act
    const exactly = await runAt(onTime.app, '2026-12-06T00:00:00Z');
    const tooLate = await runAt(late.app, '2026-12-06T00:00:01Z');

    // Assess
    expect(emailedReminders(exactly, a.candidateId)).toEqual([
      { credentialId: 'aws-serverless', kind: 'renewal_window_open', dueOn: '2026-11-22' },
    ]);
    expect(reportFor(tooLate, b.candidateId).emails).toEqual([]);
    expect(skippedReminders(tooLate, b.candidateId)).toEqual([
      {
        credentialId: 'aws-serverless',
        kind: 'renewal_window_open',
        dueOn: '2026-11-22',
        reason: 'stale',
      },
    ]);
    expect(await countEmailsTo(a.email)).toBe(1);
    expect(await countEmailsTo(b.email)).toBe(0);
  });

  it('a time-zone change after a reminder was emailed does not email it again', async () => {
    // Prepare: passed 23:30 UTC on 2026-02-12; the renewal (due 2026-11-12 in UTC) went out
    const { app } = await createTestApp();
    const candidate = newCandidate('zone-change');
    await postAttempt(app, candidate, {
      outcome: 'pass',
      takenAt: '2026-02-12T23:30:00Z',
      timeZone: 'UTC',
    });
    const first = await runAt(app, '2026-11-12T13:00:00Z');
    expect(emailedReminders(first, candidate.candidateId)).toHaveLength(1);

    // Act: the candidate moves to Kiritimati, where the pass was on 2026-02-13 (renewal 2026-11-13)
    await postAccepted(app, {
      type: 'candidate.updated',
      timestamp: '2026-11-13T08:00:00Z',
      data: { candidateId: candidate.candidateId, timeZone: 'Pacific/Kiritimati' },
    });
    const next = await runAt(app, '2026-11-13T13:00:00Z');

    // Assess
    expect(reportFor(next, candidate.candidateId).emails).toEqual([]);
    expect(await countEmailsTo(candidate.email)).toBe(1);
  });

  it('after a merge, a reminder already emailed to the source account counts as emailed for the target', async () => {
    // Prepare: the source account (UTC) got its renewal on 2026-11-12; the target lives in Tokyo,
    // where the same pass falls on 2026-02-13
    const { app } = await createTestApp();
    const source = newCandidate('merge-from');
    const target = newCandidate('merge-to');
    await postAttempt(app, source, {
      outcome: 'pass',
      takenAt: '2026-02-12T23:30:00Z',
      timeZone: 'UTC',
    });
    await postAttempt(app, target, {
      outcome: 'pass',
      takenAt: '2026-06-01T03:00:00Z',
      timeZone: 'Asia/Tokyo',
      credentialId: 'gcp-ace',
    });
    const first = await runAt(app, '2026-11-12T13:00:00Z');
    expect(emailedReminders(first, source.candidateId)).toHaveLength(1);

    // Act
    await postAccepted(app, {
      type: 'account.merged',
      timestamp: '2026-11-12T14:00:00Z',
      data: { fromCandidateId: source.candidateId, toCandidateId: target.candidateId },
    });
    const next = await runAt(app, '2026-11-13T13:00:00Z');

    // Assess
    expect(reportFor(next, target.candidateId).emails).toEqual([]);
    expect(reportFor(next, source.candidateId).emails).toEqual([]);
    expect(await countEmailsTo(target.email)).toBe(0);
    expect(await countEmailsTo(source.email)).toBe(1);
  });
});
