import { addDays, compareDates, type LocalDate, localDateOf } from '../domain/calendar';
import { credentialStatusOn, dateAttempts, deriveReminders } from '../domain/reminder-rules';
import type { RuleSettings } from '../domain/rule-settings';
import type { CandidateRecord } from './ports';

/**
 * Everything about one candidate on one day: profile, each credential's status and dates, the
 * attempts, the reminders already dealt with and those still to come.
 *
 * @example
 * const timeline = buildTimeline(await store.loadCandidate('cand-ana'), settings, new Date());
 */
export const buildTimeline = (record: CandidateRecord, settings: RuleSettings, now: Date) => {
  const profile = record.profile?.profile ?? { candidateId: record.candidateId };
  const timeZone = profile.timeZone ?? settings.defaultTimeZone;
  const today: LocalDate = localDateOf(now.toISOString(), timeZone);
  const sendableFrom = addDays(today, -settings.maxLatenessDays);
  const settledKeys = new Set(
    record.reminders.filter((r) => r.status !== 'pending').map((r) => r.key),
  );
  const credentials = record.states.map((state) => {
    const reminders = deriveReminders(
      {
        candidateId: record.candidateId,
        credentialId: state.credentialId,
        attempts: state.attempts,
        timeZone,
      },
      settings,
    );
    return {
      credentialId: state.credentialId,
      name: state.credentialName,
      ...credentialStatusOn(state.attempts, timeZone, today),
      attempts: dateAttempts(state.attempts, timeZone).map((attempt) => ({
        attemptId: attempt.attemptId,
        outcome: attempt.outcome,
        takenAt: attempt.takenAt,
        takenOn: attempt.localDate,
      })),
      upcoming: reminders
        // Still to be sent: not dealt with, and not so late that a run would skip it as stale.
        .filter(
          (reminder) =>
            compareDates(reminder.dueOn, sendableFrom) >= 0 && !settledKeys.has(reminder.key),
        )
        .map(({ kind, dueOn, dueAt, why }) => ({ kind, dueOn, dueAt, why })),
    };
  });
  const settled = (status: string) =>
    record.reminders
      .filter((reminder) => reminder.status === status)
      .map(({ credentialId, kind, dueOn, messageId, reason, resolvedAt }) => ({
        credentialId,
        kind,
        dueOn,
        ...(messageId ? { messageId } : {}),
        ...(reason ? { reason } : {}),
        ...(resolvedAt ? { at: resolvedAt } : {}),
      }))
      .sort((a, b) => compareDates(a.dueOn, b.dueOn));
  return {
    candidateId: record.candidateId,
    today,
    timeZone,
    profile,
    unsubscribed: record.profile?.unsubscribedAt !== undefined,
    credentials,
    reminders: { emailed: settled('sent'), skipped: settled('skipped'), failed: settled('failed') },
  };
};

export type Timeline = ReturnType<typeof buildTimeline>;
