import { compareDates, epochMillisecondsOf, type LocalDate, localDateOf } from '../domain/calendar';
import { policyLookupOf } from '../domain/credential-policy';
import { credentialStatusOn } from '../domain/credential-status';
import { dateAttempts, deriveReminders } from '../domain/reminder-rules';
import type { RuleSettings } from '../domain/rule-settings';
import { decideRun, type LedgerEntry } from '../domain/run-decisions';
import type { CandidateRecord } from './candidate-record';

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
  const settledKeys = new Set(
    record.reminders.filter((r) => r.status !== 'pending').map((r) => r.key),
  );
  // What a run now would send (the very decision a run makes), plus what falls due later.
  const nowInstant = { epochMilliseconds: now.getTime() };
  const sendableNow = new Set(
    decideRun(
      {
        profile,
        credentials: record.states.map((state) => ({
          credentialId: state.credentialId,
          name: state.credentialName,
          attempts: state.attempts,
        })),
        ledger: record.reminders
          .filter((r) => r.status !== 'pending')
          .map(
            (r): LedgerEntry => ({
              key: r.key,
              credentialId: r.credentialId,
              kind: r.kind,
              status: r.status as LedgerEntry['status'],
            }),
          ),
        optedOut: false,
      },
      nowInstant,
      settings,
    ).send.map((reminder) => reminder.key),
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
      ...credentialStatusOn(
        state.attempts,
        timeZone,
        today,
        policyLookupOf(settings, state.credentialId),
      ),
      attempts: dateAttempts(state.attempts, timeZone).map((attempt) => ({
        attemptId: attempt.attemptId,
        outcome: attempt.outcome,
        takenAt: attempt.takenAt,
        takenOn: attempt.localDate,
      })),
      upcoming: reminders
        .filter(
          (reminder) =>
            !settledKeys.has(reminder.key) &&
            (sendableNow.has(reminder.key) || epochMillisecondsOf(reminder.dueAt) > now.getTime()),
        )
        .map(({ kind, dueOn, dueAt, why }) => ({ kind, dueOn, dueAt, why })),
    };
  });
  // Every reminder dealt with keeps its why, as those to come do (the rules give it by key).
  const whyOf = new Map(
    record.states.flatMap((state) =>
      deriveReminders(
        {
          candidateId: record.candidateId,
          credentialId: state.credentialId,
          attempts: state.attempts,
          timeZone,
        },
        settings,
      ).map((reminder) => [reminder.key, reminder.why] as const),
    ),
  );
  const settled = (status: string) =>
    record.reminders
      .filter((reminder) => reminder.status === status)
      .map(({ key, credentialId, kind, dueOn, messageId, reason, resolvedAt }) => ({
        credentialId,
        kind,
        dueOn,
        ...(whyOf.has(key) ? { why: whyOf.get(key) } : {}),
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
