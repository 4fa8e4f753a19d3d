import { compareDates, type LocalDate } from '../domain/calendar';
import type { CandidateView } from '../domain/event-fold';
import { compareReminders, deriveReminders, type Reminder } from '../domain/reminder-rules';
import type { RuleSettings } from '../domain/rule-settings';

export interface ForecastQuery {
  /** First local due date to include. */
  readonly from: LocalDate;
  /** Last local due date to include. */
  readonly to: LocalDate;
  /** Only this candidate (after merges: the surviving account). */
  readonly candidateId?: string;
}

/** One line of a forecast, in the shape of SPEC §5 plus a few explanatory fields. */
export interface ForecastEntry {
  readonly candidateId: string;
  readonly credentialId: string;
  readonly kind: Reminder['kind'];
  readonly dueOn: LocalDate;
  readonly dueAt: string;
  readonly why: string;
  readonly credentialName: string;
  readonly timeZone: string;
  readonly anchorOn: LocalDate;
  readonly daysBefore?: number;
}

/** Every reminder one candidate's attempts call for, in the candidate's zone. */
export const remindersOfCandidate = (
  candidate: CandidateView,
  settings: RuleSettings,
): Reminder[] => {
  const timeZone = candidate.profile.timeZone ?? settings.defaultTimeZone;
  return candidate.credentials.flatMap((credential) =>
    deriveReminders(
      {
        candidateId: candidate.candidateId,
        credentialId: credential.credentialId,
        attempts: credential.attempts,
        timeZone,
      },
      settings,
    ),
  );
};

/**
 * Every reminder due from `from` to `to` (local due dates, inclusive), with why: side-effect
 * free, whatever was already emailed.
 *
 * @example
 * forecast(candidates, DEFAULT_RULE_SETTINGS, { from: '2027-01-01', to: '2027-12-31' });
 */
export const forecast = (
  candidates: Iterable<CandidateView>,
  settings: RuleSettings,
  query: ForecastQuery,
): ForecastEntry[] => {
  const due: Array<{
    readonly reminder: Reminder;
    readonly credentialName: string;
    readonly timeZone: string;
  }> = [];
  for (const candidate of candidates) {
    if (query.candidateId !== undefined && candidate.candidateId !== query.candidateId) continue;
    const timeZone = candidate.profile.timeZone ?? settings.defaultTimeZone;
    const names = new Map(
      candidate.credentials.map((credential) => [credential.credentialId, credential.name]),
    );
    for (const reminder of remindersOfCandidate(candidate, settings)) {
      if (
        compareDates(reminder.dueOn, query.from) < 0 ||
        compareDates(reminder.dueOn, query.to) > 0
      )
        continue;
      due.push({
        reminder,
        credentialName: names.get(reminder.credentialId) ?? reminder.credentialId,
        timeZone,
      });
    }
  }
  return due
    .sort((a, b) => compareReminders(a.reminder, b.reminder))
    .map(({ reminder, credentialName, timeZone }) => ({
      candidateId: reminder.candidateId,
      credentialId: reminder.credentialId,
      kind: reminder.kind,
      dueOn: reminder.dueOn,
      dueAt: reminder.dueAt,
      why: reminder.why,
      credentialName,
      timeZone,
      anchorOn: reminder.anchorOn,
      ...(reminder.daysBefore === undefined ? {} : { daysBefore: reminder.daysBefore }),
    }));
};
