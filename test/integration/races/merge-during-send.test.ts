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
 * SPEC §1: a reminder is emailed at most once, ever; SPEC §2 `account.merged`: reminders already
 * emailed to either account count as emailed for the target. Here the teen account is merged into
 * the adult one while its renewal reminder is being sent (claimed, SES call in flight): the send
 * under way must count for the adult account, so no later run emails it again.
 */
describe('race: a merge while a reminder of the source account is being sent', () => {
  it('emails the reminder exactly once across the teen and the adult account', async () => {
    const { app, gateSendTo } = await createRaceApp();
    const teen = newCandidate('race-teen', { guardian: true });
    const adult = newCandidate('race-adult');
    for (const posted of [
      await postEvent(app, attemptEvent(teen, { outcome: 'pass', takenAt: PASS_TAKEN_AT })),
      // The adult account's own credential has nothing due in these runs.
      await postEvent(
        app,
        attemptEvent(adult, {
          outcome: 'pass',
          takenAt: '2025-10-05T10:00:00Z',
          credentialId: 'aws-security',
          credentialName: 'AWS Security Microcredential',
        }),
      ),
    ])
      expect(posted.statusCode, posted.body).toBe(202);

    // The run sends the teen's reminder; SES's answer is held.
    const gate = gateSendTo(teen.email, "the SES send of the teen's renewal reminder");
    const run = runAt(app, RENEWAL_RUN_AT);
    await gate.hit;

    // Meanwhile the accounts are merged (the Merge Accounts tool).
    const merged = await postEvent(app, {
      type: 'account.merged',
      timestamp: new Date().toISOString(),
      data: { fromCandidateId: teen.candidateId, toCandidateId: adult.candidateId },
    });
    expect(merged.statusCode, merged.body).toBe(202);

    gate.release();
    await run;
    // The next day's run sees the merged account.
    await runAt(app, '2025-10-16T13:00:00Z');

    const emails = await emailsToAny(teen.email, adult.email);
    expect(
      emails.map((email) => ({ to: email.destination.to, subject: email.subject })),
      'emails of the renewal reminder to the teen and the adult account',
    ).toEqual([{ to: [teen.email], subject: 'You can now renew AWS Serverless Microcredential' }]);

    // The surviving account holds the reminder as emailed.
    const survivor = await app.store.loadCandidate(adult.candidateId);
    expect(
      survivor.reminders
        .filter(
          (reminder) =>
            reminder.credentialId === 'aws-serverless' && reminder.kind === 'renewal_window_open',
        )
        .map((reminder) => reminder.status),
    ).toEqual(['sent']);
  });
});
