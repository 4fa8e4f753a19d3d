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
 * SPEC §2 `candidate.erased`: delete the profile, attempts, states and personal data; nothing is
 * ever sent to them again. Here the erasure lands while a run is working on the candidate: the
 * sender has read them and decided to send, and its claim write is held until the erasure is done.
 */
describe('race: an erasure while a run is about to send to the candidate', () => {
  it('sends nothing and leaves nothing but the tombstone', async () => {
    const { app, gateCandidateWrite, scanTable } = await createRaceApp();
    const candidate = newCandidate('race-erase');
    const recorded = await postEvent(
      app,
      attemptEvent(candidate, { outcome: 'pass', takenAt: PASS_TAKEN_AT }),
    );
    expect(recorded.statusCode, recorded.body).toBe(202);

    // The run's first write on the candidate (the sender's claim) is held.
    const gate = gateCandidateWrite(candidate.candidateId, "the sender's claim write");
    const run = runAt(app, RENEWAL_RUN_AT);
    await gate.hit;

    // Meanwhile the person is erased.
    const erased = await postEvent(app, {
      type: 'candidate.erased',
      timestamp: new Date().toISOString(),
      data: { candidateId: candidate.candidateId },
    });
    expect(erased.statusCode, erased.body).toBe(202);

    gate.release();
    await run;

    expect
      .soft(
        (await emailsToAny(candidate.email)).map((email) => email.subject),
        'emails to an erased candidate',
      )
      .toEqual([]);

    // Nothing in the table names them but the tombstone that keeps them erased: the one item
    // of their partition that records the erasure.
    const naming = (await scanTable()).filter((item) => {
      const text = JSON.stringify(item);
      return text.includes(candidate.candidateId) || text.includes(candidate.email);
    });
    const isTombstone = (item: Record<string, unknown>) =>
      item.pk === `CAND#${candidate.candidateId}` &&
      (item.sk === 'ERASED' || JSON.stringify(item).includes('erasedAt'));
    expect(
      naming
        .filter((item) => !isTombstone(item))
        .map((item) => `${String(item.pk)} ${String(item.sk)} ${JSON.stringify(item)}`),
      'items other than the tombstone that name the erased candidate',
    ).toEqual([]);
    const tombstones = naming.filter(isTombstone);
    expect(tombstones).toHaveLength(1);
    expect(JSON.stringify(tombstones[0])).not.toContain(candidate.email);
    expect(await app.store.resolveCandidate(candidate.candidateId)).toEqual({
      candidateId: candidate.candidateId,
      erased: true,
    });
    const stored = await app.store.loadCandidate(candidate.candidateId);
    expect(stored.erased).toBe(true);
    expect(stored.profile).toBeUndefined();
    expect(stored.reminders).toEqual([]);
  });
});
