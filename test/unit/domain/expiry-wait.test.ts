import { describe, expect, it } from 'vitest';
import { renderReminderEmail } from '../../../functions/email/render-reminder-email';
import { deriveReminders } from '../../../functions/domain/reminder-rules';
import { DEFAULT_RULE_SETTINGS } from '../../../functions/domain/rule-settings';

const expiredOf = (
  attempts: Array<{ attemptId: string; outcome: 'pass' | 'fail'; takenAt: string }>,
) =>
  deriveReminders(
    { candidateId: 'c-1', credentialId: 'aws-serverless', timeZone: 'UTC', attempts },
    DEFAULT_RULE_SETTINGS,
  ).find((reminder) => reminder.kind === 'expired');

describe('the expiry reminder after a failed renewal attempt', () => {
  it('carries the end of a 25-day wait that runs past the expiry date', () => {
    // Prepare: passed 2026-01-10 (expires 2027-01-10), failed a renewal attempt on 2027-01-01
    const attempts = [
      { attemptId: 'p', outcome: 'pass' as const, takenAt: '2026-01-10T09:00:00Z' },
      { attemptId: 'f', outcome: 'fail' as const, takenAt: '2027-01-01T09:00:00Z' },
    ];

    // Act
    const expired = expiredOf(attempts);

    // Assess
    expect(expired?.dueOn).toBe('2027-01-10');
    expect(expired?.dates.retakeFrom).toBe('2027-01-26');
  });

  it('carries nothing when the wait ends before the expiry date', () => {
    // Prepare: the failure on 2026-11-01 may be retaken from 2026-11-26, before 2027-01-10
    const attempts = [
      { attemptId: 'p', outcome: 'pass' as const, takenAt: '2026-01-10T09:00:00Z' },
      { attemptId: 'f', outcome: 'fail' as const, takenAt: '2026-11-01T09:00:00Z' },
    ];

    // Act
    const expired = expiredOf(attempts);

    // Assess
    expect(expired?.dates.retakeFrom).toBeUndefined();
  });

  it('tells the candidate when they may retake instead of "at any time"', () => {
    // Prepare
    const expired = expiredOf([
      { attemptId: 'p', outcome: 'pass', takenAt: '2026-01-10T09:00:00Z' },
      { attemptId: 'f', outcome: 'fail', takenAt: '2027-01-01T09:00:00Z' },
    ]);
    if (expired === undefined) throw new Error('expected an expiry reminder');

    // Act
    const email = renderReminderEmail({
      profile: {},
      reminders: [{ ...expired, credentialName: 'AWS Serverless Microcredential' }],
      unsubscribeUrl: 'https://reminders.example.com/unsubscribe?token=t',
    });

    // Assess
    expect(email.text).toContain(
      'you can retake the exam from Tuesday 26 January 2027 (2027-01-26)',
    );
    expect(email.text).not.toContain('at any time');
  });
});
