import { describe, expect, it } from 'vitest';
import { createTestApp, runAt } from '../support/harness';
import {
  countEmailsTo,
  emailedReminders,
  ledgerOf,
  newCandidate,
  postAttempt,
  reportFor,
  skippedReminders,
} from './run-helpers';

/**
 * SPEC §5 `run --dry-run`: reports the emails (with `messageId: null`) and the skipped reminders
 * a run would produce, sends nothing and records nothing, so a real run afterwards at the same
 * instant sends them.
 */

describe('a dry run', () => {
  it('reports what a run would do, sends nothing, claims nothing', async () => {
    // Prepare: one renewal due; one credential whose expiry and (stale) warning are both due
    const { app } = await createTestApp();
    const renewer = newCandidate('dry-renewal');
    const lapsed = newCandidate('dry-lapsed');
    await postAttempt(app, renewer, { outcome: 'pass', takenAt: '2026-03-04T09:00:00Z' });
    await postAttempt(app, lapsed, { outcome: 'pass', takenAt: '2025-12-01T09:00:00Z' });
    const T = '2026-12-04T13:00:00Z';
    const expectedEmails = {
      [renewer.candidateId]: [
        { credentialId: 'aws-serverless', kind: 'renewal_window_open', dueOn: '2026-12-04' },
      ],
      [lapsed.candidateId]: [
        { credentialId: 'aws-serverless', kind: 'expired', dueOn: '2026-12-01' },
      ],
    };
    const expectedSkips = [
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
    ];

    // Act
    const dry = await runAt(app, T, { dryRun: true });

    // Assess: the report
    expect(dry.dryRun).toBe(true);
    expect(dry.runAt).toBe(T);
    for (const candidate of [renewer, lapsed]) {
      expect(emailedReminders(dry, candidate.candidateId)).toEqual(
        expectedEmails[candidate.candidateId],
      );
      const [email] = reportFor(dry, candidate.candidateId).emails;
      expect(email?.messageId).toBeNull();
      expect(email?.to).toEqual([candidate.email]);
    }
    expect(skippedReminders(dry, lapsed.candidateId)).toEqual(expectedSkips);
    expect(skippedReminders(dry, renewer.candidateId)).toEqual([]);

    // Assess: nothing sent, nothing recorded
    for (const candidate of [renewer, lapsed]) {
      expect(await countEmailsTo(candidate.email)).toBe(0);
      const statuses = (await ledgerOf(app, candidate.candidateId)).map((entry) => entry.status);
      expect(statuses.filter((status) => status !== 'pending')).toEqual([]);
    }

    // Act: a real run at the same instant
    const real = await runAt(app, T);

    // Assess: the same emails, now sent, and the same skips
    expect(real.dryRun).toBe(false);
    for (const candidate of [renewer, lapsed]) {
      expect(emailedReminders(real, candidate.candidateId)).toEqual(
        expectedEmails[candidate.candidateId],
      );
      expect(reportFor(real, candidate.candidateId).emails[0]?.messageId).toEqual(
        expect.any(String),
      );
      expect(await countEmailsTo(candidate.email)).toBe(1);
    }
    expect(skippedReminders(real, lapsed.candidateId)).toEqual(expectedSkips);

    // Act + Assess: a dry run afterwards has nothing left to do
    const dryAfter = await runAt(app, T, { dryRun: true });
    for (const candidate of [renewer, lapsed]) {
      expect(reportFor(dryAfter, candidate.candidateId)).toEqual({
        emails: [],
        skipped: [],
        failed: [],
      });
    }
  });
});
