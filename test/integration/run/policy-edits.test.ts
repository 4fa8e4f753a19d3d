import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { storedCandidates } from '../../../bin/cli/open-store';
import { createLocalApp } from '../../../bin/local/local-app';
import type { CredentialPolicies } from '../../../functions/domain/credential-policy';
import { parsePolicyDocument } from '../../../functions/domain/policy-schema';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import { forecast } from '../../../functions/use-cases/forecast';
import { buildTimeline } from '../../../functions/use-cases/timeline';
import {
  createTestApp,
  OLD_WEBHOOK_SECRET,
  runAt,
  UNSUBSCRIBE_SECRET,
  WEBHOOK_SECRET,
} from '../support/harness';
import {
  countEmailsTo,
  deliverToSender,
  emailedReminders,
  newCandidate,
  postAttempt,
  skippedReminders,
} from './run-helpers';

/**
 * SPEC §9: the runs, the forecast from the store and the timeline follow the policy, and reminder
 * keys do not depend on dates, so editing a policy (which moves the dates of the attempts a
 * version covers) never re-sends a reminder already emailed.
 */

const policies = (validityMonths: number): CredentialPolicies => {
  const parsed = parsePolicyDocument(
    {
      credentials: {
        'aws-pro': [
          {
            effectiveFrom: '2000-01-01',
            validityMonths,
            renewalOpensAfterMonths: 30,
            retakeWaitDays: 14,
            expiryWarningDays: [90],
          },
        ],
      },
    },
    { expiryWarningDays: [30] },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.policies;
};

const PASSED_AT = '2023-03-10T09:00:00Z';

describe('credential policies in runs', () => {
  it('emails a 36-month credential’s 90-day warning; after an edit that moves it, nothing is sent again', async () => {
    // Prepare: valid 36 months, so it expires 2026-03-10 and is warned on 2025-12-10
    const before: RuleSettings = { ...DEFAULT_RULE_SETTINGS, policies: policies(36) };
    const testApp = await createTestApp({ settings: before });
    const { app } = testApp;
    const candidate = newCandidate('policy-edit');
    await postAttempt(app, candidate, {
      outcome: 'pass',
      takenAt: PASSED_AT,
      credentialId: 'aws-pro',
      credentialName: 'AWS Pro',
    });

    const first = await runAt(app, '2025-12-11T13:00:00Z');
    expect(emailedReminders(first, candidate.candidateId)).toEqual([
      { credentialId: 'aws-pro', kind: 'expiring_soon', dueOn: '2025-12-10' },
    ]);
    expect(skippedReminders(first, candidate.candidateId)).toEqual([
      {
        credentialId: 'aws-pro',
        kind: 'renewal_window_open',
        dueOn: '2025-09-10',
        reason: 'stale',
      },
    ]);

    // Act: the version is edited in place to 37 months, which moves the warning to 2026-01-10
    const after: RuleSettings = { ...DEFAULT_RULE_SETTINGS, policies: policies(37) };
    const edited = { ...testApp, settings: after };
    const moved = forecast(await storedCandidates(app, candidate.candidateId), after, {
      from: '2025-01-01',
      to: '2026-12-31',
    });
    const senderAlone = await deliverToSender(edited, [
      { runAt: '2026-01-11T13:00:00Z', candidateId: candidate.candidateId },
    ]);
    const editedApp = createLocalApp({
      config: testApp.config,
      settings: after,
      secrets: {
        webhookSecrets: [WEBHOOK_SECRET, OLD_WEBHOOK_SECRET],
        unsubscribeSecrets: [UNSUBSCRIBE_SECRET],
      },
      clients: testApp.clients,
    });
    const laterRun = await editedApp.run(Temporal.Instant.from('2026-01-11T13:00:00Z'));

    // Assess: the edit moved the date, but the reminder's key is the same: it is not sent again
    expect(moved.map(({ kind, dueOn }) => `${dueOn} ${kind}`)).toEqual([
      '2025-09-10 renewal_window_open',
      '2026-01-10 expiring_soon',
      '2026-04-10 expired',
    ]);
    expect(senderAlone.mailerCalls).toBe(0);
    expect(senderAlone.reports.flatMap((report) => (report.email ? [report.email] : []))).toEqual(
      [],
    );
    expect(emailedReminders(laterRun, candidate.candidateId)).toEqual([]);
    expect(await countEmailsTo(candidate.email)).toBe(1);

    // …and the timeline under the edited policy shows it emailed, not to come
    const timeline = buildTimeline(
      await editedApp.store.loadCandidate(candidate.candidateId),
      after,
      new Date('2026-01-11T13:00:00Z'),
    );
    expect(timeline.reminders.emailed.map(({ kind }) => kind)).toEqual(['expiring_soon']);
    expect(timeline.credentials[0]).toMatchObject({
      status: 'valid',
      expiresOn: '2026-04-10',
      upcoming: [
        {
          kind: 'expired',
          dueOn: '2026-04-10',
          why: 'passed on 2023-03-10 (UTC); valid for 37 months under the policy from 2000-01-01, expires on 2026-04-10',
        },
      ],
    });
  });
});
