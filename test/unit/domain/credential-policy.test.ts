import { describe, expect, it } from 'vitest';
import {
  type CredentialPolicies,
  policiesOf,
  policyFor,
} from '../../../functions/domain/credential-policy';
import { credentialStatusOn } from '../../../functions/domain/credential-status';
import { parsePolicyDocument } from '../../../functions/domain/policy-schema';
import {
  type Attempt,
  deriveReminders,
  type Reminder,
} from '../../../functions/domain/reminder-rules';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../functions/domain/rule-settings';
import { decideRun } from '../../../functions/domain/run-decisions';
import { fail, pass } from '../support/attempts';

/**
 * SPEC §9 on hand-computed cases: which version governs which attempt, the dates and the why
 * they give, `renewable: false`, and the stages of a version's own warnings.
 */

const policiesFrom = (document: unknown, expiryWarningDays: readonly number[] = [30]) => {
  const parsed = parsePolicyDocument(document, { expiryWarningDays });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.policies;
};

const PROFESSIONAL = {
  validityMonths: 36,
  renewalOpensAfterMonths: 30,
  retakeWaitDays: 14,
  expiryWarningDays: [90, 30, 7],
};

const POLICIES: CredentialPolicies = policiesFrom({
  default: { validityMonths: 12, renewalOpensAfterMonths: 9, retakeWaitDays: 25 },
  credentials: {
    'aws-pro': [{ effectiveFrom: '2000-01-01', ...PROFESSIONAL }],
    // From 2027-07-01 the wait is 21 days and the validity 24 months (warnings stay 90, 30, 7).
    'aws-versioned': [
      { effectiveFrom: '2026-01-01', ...PROFESSIONAL },
      { effectiveFrom: '2027-07-01', validityMonths: 24, retakeWaitDays: 21 },
    ],
    'aws-legacy': [{ effectiveFrom: '2000-01-01', renewable: false }],
  },
});

const SETTINGS: RuleSettings = { ...DEFAULT_RULE_SETTINGS, policies: POLICIES };

const derive = (credentialId: string, attempts: readonly Attempt[], settings = SETTINGS) =>
  deriveReminders({ candidateId: 'cand-1', credentialId, timeZone: 'UTC', attempts }, settings);

const rows = (reminders: readonly Reminder[]) =>
  reminders.map(
    (reminder) =>
      `${reminder.dueOn} ${reminder.kind}${reminder.daysBefore ? `(${reminder.daysBefore})` : ''}`,
  );

describe('policyFor: the version in force on a local date', () => {
  it.each([
    ['aws-versioned', '2025-12-31', undefined, 12],
    ['aws-versioned', '2026-01-01', '2026-01-01', 36],
    ['aws-versioned', '2027-06-30', '2026-01-01', 36],
    ['aws-versioned', '2027-07-01', '2027-07-01', 24],
    ['aws-versioned', '2099-01-01', '2027-07-01', 24],
    ['aws-unknown', '2027-07-01', undefined, 12],
    ['toString', '2027-07-01', undefined, 12],
  ])('%s on %s: the version from %s (%i months)', (credentialId, on, effectiveFrom, months) => {
    // Act
    const version = policyFor(POLICIES, credentialId, on);

    // Assess
    expect(version.effectiveFrom).toBe(effectiveFrom);
    expect(version.validityMonths).toBe(months);
  });

  it('fills a version’s missing fields from the default, then SPEC §1', () => {
    // Act
    const version = policyFor(POLICIES, 'aws-versioned', '2028-01-01');

    // Assess
    expect(version).toEqual({
      effectiveFrom: '2027-07-01',
      validityMonths: 24,
      renewalOpensAfterMonths: 9,
      renewable: true,
      retakeWaitDays: 21,
      expiryWarningDays: [30],
    });
  });

  it('without a policy file every credential follows SPEC §1 with EXPIRY_WARNING_DAYS', () => {
    // Act
    const version = policyFor(
      policiesOf({ ...DEFAULT_RULE_SETTINGS, expiryWarningDays: [60, 7] }),
      'aws-pro',
      '2027-01-01',
    );

    // Assess
    expect(version).toEqual({
      validityMonths: 12,
      renewalOpensAfterMonths: 9,
      renewable: true,
      retakeWaitDays: 25,
      expiryWarningDays: [60, 7],
    });
  });
});

describe('the rules follow the version of each attempt', () => {
  it('a pass under a 36-month policy: renewal after 30 months, warnings at 90, 30 and 7 days, and a why naming the version', () => {
    // Act
    const reminders = derive('aws-pro', [pass('a-1', '2027-02-28T10:00:00Z')]);

    // Assess
    expect(rows(reminders)).toEqual([
      '2029-08-28 renewal_window_open',
      '2029-11-30 expiring_soon(90)',
      '2030-01-29 expiring_soon(30)',
      '2030-02-21 expiring_soon(7)',
      '2030-02-28 expired',
    ]);
    expect(reminders.at(-1)?.why).toBe(
      'passed on 2027-02-28 (UTC); valid for 36 months under the policy from 2000-01-01, expires on 2030-02-28',
    );
    expect(reminders[0]?.why).toBe(
      'passed on 2027-02-28 (UTC); renewal opens 30 months later under the policy from 2000-01-01',
    );
    expect(reminders[1]?.why).toBe(
      'passed on 2027-02-28 (UTC); expires 36 months later on 2030-02-28 under the policy from 2000-01-01, warned 90 days before',
    );
    expect(reminders[0]?.dates).toEqual({
      passedOn: '2027-02-28',
      renewalOpensOn: '2029-08-28',
      expiresOn: '2030-02-28',
    });
  });

  it('stages come from the warnings of the version of the anchoring pass', () => {
    // Act
    const stages = derive('aws-pro', [pass('a-1', '2027-02-28T10:00:00Z')]).map((r) => r.stage);

    // Assess: renewal 0, warnings 90 → 1, 30 → 2, 7 → 3, expired 4
    expect(stages).toEqual([0, 1, 2, 3, 4]);
  });

  it('a pass before a credential’s first version follows the default, with today’s why', () => {
    // Act
    const reminders = derive('aws-versioned', [pass('a-1', '2025-06-01T10:00:00Z')]);

    // Assess
    expect(rows(reminders)).toEqual([
      '2026-03-01 renewal_window_open',
      '2026-05-02 expiring_soon(30)',
      '2026-06-01 expired',
    ]);
    expect(reminders.at(-1)?.why).toBe(
      'passed on 2025-06-01 (UTC); valid for 12 months, expires on 2026-06-01',
    );
  });

  it('a failure waits as its own version says, floored by the renewal window of the pass before it under that pass’s version', () => {
    // Prepare: passed under the 2026 version (renewal after 30 months), failed under the 2027 one
    const attempts = [pass('a-1', '2026-03-10T10:00:00Z'), fail('a-2', '2027-08-01T10:00:00Z')];

    // Act
    const retake = derive('aws-versioned', attempts).find((r) => r.kind === 'retake_available');

    // Assess: 21 days would be 2027-08-22, but renewal opens on 2028-09-10
    expect(retake?.dueOn).toBe('2028-09-10');
    expect(retake?.why).toBe(
      'failed on 2027-08-01 (UTC); the 21-day wait under the policy from 2027-07-01 ends 2027-08-22 but renewal opens only on 2028-09-10, 30 months after passing on 2026-03-10 under the policy from 2026-01-01',
    );
  });

  it('a first failure under a version waits its retakeWaitDays', () => {
    // Act
    const [retake] = derive('aws-pro', [fail('a-1', '2027-03-01T10:00:00Z')]);

    // Assess
    expect(retake?.dueOn).toBe('2027-03-15');
    expect(retake?.why).toBe(
      'failed on 2027-03-01 (UTC); may retake after the 14-day wait under the policy from 2000-01-01',
    );
  });
});

describe('renewable: false', () => {
  it('drops the renewal reminder and the renewalOpensOn date', () => {
    // Act
    const reminders = derive('aws-legacy', [pass('a-1', '2027-02-28T10:00:00Z')]);

    // Assess
    expect(rows(reminders)).toEqual(['2028-01-29 expiring_soon(30)', '2028-02-28 expired']);
    expect(reminders[0]?.dates).toEqual({ passedOn: '2027-02-28', expiresOn: '2028-02-28' });
  });

  it('a failure while still valid waits only retakeWaitDays: there is no renewal window to wait for', () => {
    // Prepare
    const attempts = [pass('a-1', '2027-02-28T10:00:00Z'), fail('a-2', '2027-04-01T10:00:00Z')];

    // Act
    const retake = derive('aws-legacy', attempts).find((r) => r.kind === 'retake_available');

    // Assess: 25 days, not the 9 months of a renewable credential
    expect(retake?.dueOn).toBe('2027-04-26');
    expect(retake?.dates).toEqual({
      failedOn: '2027-04-01',
      retakeFrom: '2027-04-26',
      passedOn: '2027-02-28',
      expiresOn: '2028-02-28',
    });
  });

  it('the status has no renewal date and no wait for one', () => {
    // Act
    const status = credentialStatusOn(
      [pass('a-1', '2027-02-28T10:00:00Z')],
      'UTC',
      '2027-06-01',
      (on) => policyFor(POLICIES, 'aws-legacy', on),
    );

    // Assess
    expect(status).toEqual({ status: 'valid', passedOn: '2027-02-28', expiresOn: '2028-02-28' });
  });
});

describe('a run judges staleness by the stages of the version', () => {
  it('with the 90- and 30-day warnings both due, only the 30-day one is sent', () => {
    // Prepare: expires 2030-02-28; warnings due 2029-11-30 (90) and 2030-01-29 (30)
    const candidate = {
      profile: { candidateId: 'cand-1', email: 'a@example.com' },
      credentials: [
        { credentialId: 'aws-pro', name: 'Pro', attempts: [pass('a-1', '2027-02-28T10:00:00Z')] },
      ],
      ledger: [],
      optedOut: false,
    };

    // Act
    const decision = decideRun(
      candidate,
      { epochMilliseconds: Date.parse('2030-02-01T13:00:00Z') },
      { ...SETTINGS, maxLatenessDays: 365 },
    );

    // Assess
    expect(decision.send.map((r) => `${r.kind}(${r.daysBefore})`)).toEqual(['expiring_soon(30)']);
    expect(
      decision.skip.map(({ reminder, reason }) => `${reminder.kind} ${reason}`).sort(),
    ).toEqual(['expiring_soon stale', 'renewal_window_open stale']);
  });
});
