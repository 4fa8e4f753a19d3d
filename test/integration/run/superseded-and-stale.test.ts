import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { afterAll, describe, expect, it } from 'vitest';
import { importEvents } from '../../../functions/use-cases/import-events';
import { attemptEvent, createTestApp, runAt } from '../support/harness';
import {
  countEmailsTo,
  deliverToSender,
  emailedReminders,
  ledgerOf,
  newCandidate,
  planOnly,
  postAttempt,
  reportFor,
  skippedReminders,
} from './run-helpers';

/**
 * SPEC §1 "A run": `superseded` (an attempt stored by T, even one taken after the due instant,
 * makes the reminder pointless), `stale` (more than 14 days late, or a later stage of the same
 * credential is also due), a bulk import of old history sends nothing, and a system down for a
 * month sends `expired`, not the old reminders.
 */

const temporaryDirectories: string[] = [];
afterAll(async () => {
  for (const directory of temporaryDirectories)
    await rm(directory, { recursive: true, force: true });
});

describe('stale reminders', () => {
  it('a three-year-old history import sends nothing when run now', async () => {
    // Prepare: a JSONL import of attempts from 2021 to 2023 for two candidates
    const { app, settings } = await createTestApp();
    const renewer = newCandidate('history-renewer');
    const failer = newCandidate('history-failer');
    const lines = [
      attemptEvent({
        candidateId: renewer.candidateId,
        email: renewer.email,
        outcome: 'pass',
        takenAt: '2021-03-10T09:00:00Z',
      }),
      attemptEvent({
        candidateId: renewer.candidateId,
        email: renewer.email,
        outcome: 'pass',
        takenAt: '2022-02-20T09:00:00Z',
      }),
      attemptEvent({
        candidateId: renewer.candidateId,
        email: renewer.email,
        outcome: 'fail',
        takenAt: '2022-12-01T09:00:00Z',
      }),
      attemptEvent({
        candidateId: renewer.candidateId,
        email: renewer.email,
        outcome: 'pass',
        takenAt: '2023-01-10T09:00:00Z',
      }),
      attemptEvent({
        candidateId: failer.candidateId,
        email: failer.email,
        outcome: 'fail',
        takenAt: '2023-11-20T09:00:00Z',
      }),
    ];
    const directory = await mkdtemp(join(tmpdir(), 'history-'));
    temporaryDirectories.push(directory);
    const file = join(directory, 'history.jsonl');
    await writeFile(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    const summary = await importEvents({ stores: app.stores, settings, clock: app.clock }, file);
    expect(summary).toMatchObject({ read: 5, imported: 5, duplicates: 0, rejected: [] });

    // Act
    const run = await runAt(app, Temporal.Now.instant().toString());

    // Assess: nothing emailed; whatever the run reports of these old reminders is stale or superseded
    for (const candidate of [renewer, failer]) {
      expect(reportFor(run, candidate.candidateId).emails).toEqual([]);
      expect(reportFor(run, candidate.candidateId).failed).toEqual([]);
      for (const skip of reportFor(run, candidate.candidateId).skipped)
        expect(['stale', 'superseded']).toContain(skip.reason);
      expect(await countEmailsTo(candidate.email)).toBe(0);
    }
  });

  it('old history next to a fresh credential: only the fresh reminder goes out, the old ones are reported', async () => {
    // Prepare: the 2021–2023 history of one credential, and a pass in 2026 at another
    const { app } = await createTestApp();
    const candidate = newCandidate('history-fresh');
    const old = { credentialId: 'aws-cp', credentialName: 'AWS Cloud Practitioner' };
    await postAttempt(app, candidate, { ...old, outcome: 'pass', takenAt: '2021-03-10T09:00:00Z' });
    await postAttempt(app, candidate, { ...old, outcome: 'pass', takenAt: '2022-02-20T09:00:00Z' });
    await postAttempt(app, candidate, { ...old, outcome: 'fail', takenAt: '2022-12-01T09:00:00Z' });
    await postAttempt(app, candidate, { ...old, outcome: 'pass', takenAt: '2023-01-10T09:00:00Z' });
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: '2026-02-20T09:00:00Z' });

    // Act: "today", six days after the fresh renewal window opened
    const run = await runAt(app, '2026-11-26T13:00:00Z');

    // Assess
    expect(emailedReminders(run, candidate.candidateId)).toEqual([
      { credentialId: 'aws-serverless', kind: 'renewal_window_open', dueOn: '2026-11-20' },
    ]);
    expect(skippedReminders(run, candidate.candidateId)).toEqual([
      // 2021 pass: its renewal and warning were due before the 2022 attempts, which supersede them
      {
        credentialId: 'aws-cp',
        kind: 'renewal_window_open',
        dueOn: '2021-12-10',
        reason: 'superseded',
      },
      { credentialId: 'aws-cp', kind: 'expiring_soon', dueOn: '2022-02-08', reason: 'superseded' },
      // 2022 pass: its renewal was superseded by the failed renewal attempt, whose retake by the 2023 pass
      {
        credentialId: 'aws-cp',
        kind: 'renewal_window_open',
        dueOn: '2022-11-20',
        reason: 'superseded',
      },
      {
        credentialId: 'aws-cp',
        kind: 'retake_available',
        dueOn: '2022-12-26',
        reason: 'superseded',
      },
      // 2023 pass: all three are years late
      { credentialId: 'aws-cp', kind: 'renewal_window_open', dueOn: '2023-10-10', reason: 'stale' },
      { credentialId: 'aws-cp', kind: 'expiring_soon', dueOn: '2023-12-11', reason: 'stale' },
      { credentialId: 'aws-cp', kind: 'expired', dueOn: '2024-01-10', reason: 'stale' },
    ]);
    expect(await countEmailsTo(candidate.email)).toBe(1);
  });

  it('after a month down only the latest stage goes out: expired, not expiring soon', async () => {
    // Prepare: passed 2026-01-20 (UTC); the renewal reminder went out on 2026-10-20
    const { app } = await createTestApp();
    const candidate = newCandidate('month-down');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: '2026-01-20T10:00:00Z' });
    const renewal = await runAt(app, '2026-10-20T13:00:00Z');
    expect(emailedReminders(renewal, candidate.candidateId)).toEqual([
      { credentialId: 'aws-serverless', kind: 'renewal_window_open', dueOn: '2026-10-20' },
    ]);

    // Act: down from then until three days after expiry (expiring soon was due 2026-12-21)
    const back = await runAt(app, '2027-01-23T13:00:00Z');

    // Assess
    expect(emailedReminders(back, candidate.candidateId)).toEqual([
      { credentialId: 'aws-serverless', kind: 'expired', dueOn: '2027-01-20' },
    ]);
    expect(skippedReminders(back, candidate.candidateId)).toEqual([
      {
        credentialId: 'aws-serverless',
        kind: 'expiring_soon',
        dueOn: '2026-12-21',
        reason: 'stale',
      },
    ]);
    expect(await countEmailsTo(candidate.email)).toBe(2);
  });

  it('a reminder only days late is stale when a later stage of the same credential is due too', async () => {
    // Prepare: warnings 10 and 7 days before expiry; passed 2026-01-20, expires 2027-01-20
    const { app } = await createTestApp({ settings: { expiryWarningDays: [10, 7] } });
    const candidate = newCandidate('later-stage');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: '2026-01-20T10:00:00Z' });
    const renewal = await runAt(app, '2026-10-20T13:00:00Z');
    expect(emailedReminders(renewal, candidate.candidateId)).toHaveLength(1);

    // Act: the 10-day warning (due 2027-01-10) and the 7-day one (due 2027-01-13) are both due
    const run = await runAt(app, '2027-01-14T13:00:00Z');

    // Assess: the 10-day warning is only 4 days late, but the 7-day one is a later stage
    expect(emailedReminders(run, candidate.candidateId)).toEqual([
      { credentialId: 'aws-serverless', kind: 'expiring_soon', dueOn: '2027-01-13' },
    ]);
    expect(skippedReminders(run, candidate.candidateId)).toEqual([
      {
        credentialId: 'aws-serverless',
        kind: 'expiring_soon',
        dueOn: '2027-01-10',
        reason: 'stale',
      },
    ]);
  });
});

describe('superseded reminders', () => {
  it('an attempt taken after the due instant but stored before the run supersedes the reminder', async () => {
    // Prepare: a retake due 2026-09-26 and a renewal due 2026-10-05, each followed by an attempt
    // taken a couple of days after it was due, stored before the first run
    const { app } = await createTestApp();
    const retaker = newCandidate('superseded-retake');
    const renewer = newCandidate('superseded-renewal');
    await postAttempt(app, retaker, { outcome: 'fail', takenAt: '2026-09-01T10:00:00Z' });
    await postAttempt(app, retaker, { outcome: 'pass', takenAt: '2026-09-28T10:00:00Z' });
    await postAttempt(app, renewer, { outcome: 'pass', takenAt: '2026-01-05T10:00:00Z' });
    await postAttempt(app, renewer, { outcome: 'pass', takenAt: '2026-10-07T10:00:00Z' });

    // Act
    const run = await runAt(app, '2026-10-08T13:00:00Z');
    const again = await runAt(app, '2026-10-09T13:00:00Z');

    // Assess
    expect(reportFor(run, retaker.candidateId).emails).toEqual([]);
    expect(skippedReminders(run, retaker.candidateId)).toEqual([
      {
        credentialId: 'aws-serverless',
        kind: 'retake_available',
        dueOn: '2026-09-26',
        reason: 'superseded',
      },
    ]);
    expect(reportFor(run, renewer.candidateId).emails).toEqual([]);
    expect(skippedReminders(run, renewer.candidateId)).toEqual([
      {
        credentialId: 'aws-serverless',
        kind: 'renewal_window_open',
        dueOn: '2026-10-05',
        reason: 'superseded',
      },
    ]);
    for (const candidate of [retaker, renewer]) {
      expect(reportFor(again, candidate.candidateId)).toEqual({
        emails: [],
        skipped: [],
        failed: [],
      });
      expect(await countEmailsTo(candidate.email)).toBe(0);
    }
  });

  it('a pass stored after planning but before sending stops the email', async () => {
    // Prepare: failed 2026-10-01 (UTC), retake due 2026-10-26T00:00:00Z
    const testApp = await createTestApp();
    const { app } = testApp;
    const candidate = newCandidate('after-planning');
    await postAttempt(app, candidate, { outcome: 'fail', takenAt: '2026-10-01T10:00:00Z' });

    // Act 1: the planner queues the candidate's due retake
    const captured = await planOnly(testApp, Temporal.Instant.from('2026-10-26T13:00:00Z'));

    // Assess 1
    const planned = captured.filter((request) => request.candidateId === candidate.candidateId);
    expect(planned).toEqual([
      { runAt: '2026-10-26T13:00:00Z', candidateId: candidate.candidateId },
    ]);
    const pending = (await ledgerOf(app, candidate.candidateId)).filter(
      (entry) => entry.status === 'pending' && entry.dueAt <= '2026-10-26T13:00:00Z',
    );
    expect(pending.map(({ kind, dueOn }) => ({ kind, dueOn }))).toEqual([
      { kind: 'retake_available', dueOn: '2026-10-26' },
    ]);

    // Act 2: a pass taken that morning (after the due instant, before T) is stored now
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: '2026-10-26T09:00:00Z' });

    // Act 3: the sender handler receives the queued message
    const { reports, deadLettered, mailerCalls } = await deliverToSender(testApp, planned);

    // Assess 3: skipped as superseded, no email
    expect(deadLettered).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.email).toBeUndefined();
    expect(reports[0]?.failure).toBeUndefined();
    expect(reports[0]?.skipped.map(({ kind, dueOn, reason }) => ({ kind, dueOn, reason }))).toEqual(
      [{ kind: 'retake_available', dueOn: '2026-10-26', reason: 'superseded' }],
    );
    expect(mailerCalls).toBe(0);
    expect(await countEmailsTo(candidate.email)).toBe(0);
    const ledger = await ledgerOf(app, candidate.candidateId);
    expect(ledger.find((entry) => entry.kind === 'retake_available')).toMatchObject({
      status: 'skipped',
      reason: 'superseded',
    });

    // Act 4 + Assess 4: a later run does not bring it back
    const later = await runAt(app, '2026-10-27T13:00:00Z');
    expect(reportFor(later, candidate.candidateId)).toEqual({
      emails: [],
      skipped: [],
      failed: [],
    });
  });
});
