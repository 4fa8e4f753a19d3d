import { describe, expect, it } from 'vitest';
import {
  attemptEvent,
  createRaceApp,
  emailsToAny,
  newCandidate,
  oneClickUnsubscribe,
  PASS_TAKEN_AT,
  postEvent,
  RENEWAL_RUN_AT,
  runAt,
} from './race-support';

/**
 * SPEC §3 `POST /unsubscribe`: the candidate receives no further reminders, whatever else is
 * written about them at the same moment. Here a profile change (`candidate.updated`) has read the
 * candidate before the unsubscribe and writes after it: the opt-out must survive that write.
 */
describe('race: an unsubscribe and a profile write that read the candidate before it', () => {
  it('keeps the opt-out: the next run emails nothing to the candidate', async () => {
    const { app, gateCandidateWrite } = await createRaceApp();
    const candidate = newCandidate('race-unsub');
    const recorded = await postEvent(
      app,
      attemptEvent(candidate, { outcome: 'pass', takenAt: PASS_TAKEN_AT }),
    );
    expect(recorded.statusCode, recorded.body).toBe(202);

    // The profile write is held after it read the candidate, before it writes.
    const gate = gateCandidateWrite(
      candidate.candidateId,
      'the profile write of candidate.updated',
    );
    const update = postEvent(app, {
      type: 'candidate.updated',
      timestamp: new Date().toISOString(),
      data: { candidateId: candidate.candidateId, name: 'Renamed Meanwhile' },
    });
    await gate.hit;

    // Meanwhile the candidate unsubscribes, and it is confirmed.
    const unsubscribed = await oneClickUnsubscribe(app, candidate.candidateId);
    expect(unsubscribed.statusCode, unsubscribed.body).toBe(200);

    // The held profile write lands after the unsubscribe.
    gate.release();
    const updated = await update;
    expect(updated.statusCode, updated.body).toBe(202);

    // The renewal reminder falls due: an opted-out candidate gets no email.
    const report = await runAt(app, RENEWAL_RUN_AT);
    expect(
      (await emailsToAny(candidate.email)).map((email) => email.subject),
      'emails to a candidate who unsubscribed',
    ).toEqual([]);
    expect(report.emails.filter((email) => email.candidateId === candidate.candidateId)).toEqual(
      [],
    );
    expect(
      report.skipped
        .filter((skip) => skip.candidateId === candidate.candidateId)
        .map((skip) => [skip.kind, skip.reason]),
    ).toEqual([['renewal_window_open', 'unsubscribed']]);

    // Both writes are kept: the opt-out and the new name.
    const stored = await app.store.loadCandidate(candidate.candidateId);
    expect(stored.profile?.unsubscribedAt, 'the stored opt-out').toEqual(expect.any(String));
    expect(stored.profile?.profile.name).toBe('Renamed Meanwhile');
  });
});
