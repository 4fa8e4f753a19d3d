import { describe, expect, it } from 'vitest';
import {
  attemptEvent,
  createRaceApp,
  emailsToAny,
  newCandidate,
  PASS_TAKEN_AT,
  postEvent,
  RENEWAL_RUN_AT,
  runAt,
} from './race-support';

/**
 * SPEC §1 "A run": a claim is taken over only once its lease (`CLAIM_LEASE_SECONDS`, default 900)
 * has run out on the WALL clock, so no run, later, manual or replayed, ever takes a claim that is
 * still being worked on. Here the daily run's send is slow (a long, rate-limited backlog) and an
 * operator runs `run --now` with a clock an hour later meanwhile.
 */
describe('race: a run with a later clock while a claim is being sent', () => {
  it('emails the reminder exactly once', async () => {
    const { app, gateSendTo } = await createRaceApp();
    const candidate = newCandidate('race-lease');
    const recorded = await postEvent(
      app,
      attemptEvent(candidate, { outcome: 'pass', takenAt: PASS_TAKEN_AT }),
    );
    expect(recorded.statusCode, recorded.body).toBe(202);

    // The daily run claimed the renewal reminder; its SES call is held.
    const gate = gateSendTo(candidate.email, 'the SES send of the first run');
    const dailyRun = runAt(app, RENEWAL_RUN_AT);
    await gate.hit;

    // A manual run whose clock is an hour later (well past a 15-minute lease on its clock), a few
    // wall-clock seconds after the claim.
    const manualRun = await runAt(app, '2025-10-15T14:00:00Z');

    gate.release();
    const daily = await dailyRun;

    expect
      .soft(
        (await emailsToAny(candidate.email)).map((email) => email.subject),
        'emails of the renewal reminder',
      )
      .toEqual(['You can now renew AWS Serverless Microcredential']);
    expect(
      manualRun.emails.filter((email) => email.candidateId === candidate.candidateId),
      'emails of the manual run, which found the claim still being worked on',
    ).toEqual([]);
    expect(
      daily.emails
        .filter((email) => email.candidateId === candidate.candidateId)
        .map((email) => email.reminders.map((reminder) => reminder.kind)),
    ).toEqual([['renewal_window_open']]);
    const stored = await app.store.loadCandidate(candidate.candidateId);
    expect(
      stored.reminders
        .filter((reminder) => reminder.kind === 'renewal_window_open')
        .map((reminder) => reminder.status),
    ).toEqual(['sent']);
  });
});
