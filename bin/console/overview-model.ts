import { addDays, type LocalDate } from '../../functions/domain/calendar';
import { REMINDER_KINDS, type ReminderKind } from '../../functions/domain/reminder-rules';
import type { SkipReason } from '../../functions/domain/run-decisions';
import type { CandidateRecord } from '../../functions/use-cases/candidate-record';
import type { ForecastEntry } from '../../functions/use-cases/forecast';
import type { RunRecord, SuppressionRecord } from './table-scan';

/** The pure figures of the overview, from what the use cases and the Scan returned. */

/** One day of the chart: reminders due that (local) day, by kind. */
export interface ForecastDay {
  readonly date: LocalDate;
  readonly counts: Readonly<Record<ReminderKind, number>>;
  readonly total: number;
}

export interface DailyForecast {
  readonly days: readonly ForecastDay[];
  readonly total: number;
  /** The first day with the most reminders; absent when nothing is due. */
  readonly peak?: ForecastDay;
}

const zeroCounts = (): Record<ReminderKind, number> =>
  Object.fromEntries(REMINDER_KINDS.map((kind) => [kind, 0])) as Record<ReminderKind, number>;

/**
 * Counts forecast entries per due date and kind, for `days` days from `from`: every day is
 * present, with zeros where nothing is due.
 *
 * @example
 * dailyForecast(forecast(candidates, settings, { from, to }), from, 90).days.length; // 90
 */
export const dailyForecast = (
  entries: readonly ForecastEntry[],
  from: LocalDate,
  days: number,
): DailyForecast => {
  const byDate = new Map<LocalDate, Record<ReminderKind, number>>();
  for (let offset = 0; offset < days; offset += 1) byDate.set(addDays(from, offset), zeroCounts());
  for (const entry of entries) {
    const counts = byDate.get(entry.dueOn);
    if (counts) counts[entry.kind] += 1;
  }
  const list = [...byDate].map(([date, counts]) => ({
    date,
    counts,
    total: REMINDER_KINDS.reduce((sum, kind) => sum + counts[kind], 0),
  }));
  const peak = list.reduce<ForecastDay | undefined>(
    (best, day) => (day.total > (best?.total ?? 0) ? day : best),
    undefined,
  );
  return {
    days: list,
    total: list.reduce((sum, day) => sum + day.total, 0),
    ...(peak ? { peak } : {}),
  };
};

/** What one run did, from the ledgers of the candidates it dealt with and its run record. */
export interface RunSummary {
  readonly runAt: string;
  /** Candidates the planner found due (from the run record, when there is one). */
  readonly candidatesDue?: number;
  readonly plannerMs?: number;
  readonly emails: number;
  readonly remindersSent: number;
  readonly skipped: Readonly<Record<SkipReason, number>>;
  readonly failedEmails: number;
  readonly skippedReminders: ReadonlyArray<{
    readonly candidateId: string;
    readonly credentialId: string;
    readonly kind: ReminderKind;
    readonly dueOn: LocalDate;
    readonly reason: SkipReason;
  }>;
}

export const SKIP_REASONS: readonly SkipReason[] = ['superseded', 'stale', 'unsubscribed'];

/**
 * Every run, newest first: each run record, with what the candidates' ledgers say that run
 * emailed, skipped (by reason) and failed. A ledger keeps per-candidate details, so an erased
 * candidate's go with the erasure (SPEC §11).
 *
 * @example
 * runSummaries(records, snapshot.runs).slice(0, 30);
 */
export const runSummaries = (
  records: readonly CandidateRecord[],
  runRecords: readonly RunRecord[],
): RunSummary[] => {
  interface Tally {
    readonly messages: Set<string>;
    remindersSent: number;
    readonly skipped: Record<SkipReason, number>;
    readonly failed: Set<string>;
    readonly skippedReminders: RunSummary['skippedReminders'][number][];
  }
  const tallies = new Map<string, Tally>();
  const tallyOf = (runAt: string) => {
    let tally = tallies.get(runAt);
    if (!tally) {
      tally = {
        messages: new Set(),
        remindersSent: 0,
        skipped: { superseded: 0, stale: 0, unsubscribed: 0 },
        failed: new Set(),
        skippedReminders: [],
      };
      tallies.set(runAt, tally);
    }
    return tally;
  };
  for (const record of runRecords) tallyOf(record.runAt);
  for (const record of records) {
    for (const reminder of record.reminders) {
      if (reminder.resolvedAt === undefined) continue;
      const tally = tallyOf(reminder.resolvedAt);
      if (reminder.status === 'sent') {
        tally.remindersSent += 1;
        tally.messages.add(`${record.candidateId} ${reminder.messageId ?? ''}`);
      } else if (reminder.status === 'failed') tally.failed.add(record.candidateId);
      else if (reminder.status === 'skipped' && reminder.reason) {
        tally.skipped[reminder.reason] += 1;
        tally.skippedReminders.push({
          candidateId: record.candidateId,
          credentialId: reminder.credentialId,
          kind: reminder.kind,
          dueOn: reminder.dueOn,
          reason: reminder.reason,
        });
      }
    }
  }
  const counts = new Map(runRecords.map((record) => [record.runAt, record.counts]));
  return [...tallies]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([runAt, tally]) => {
      const recorded = counts.get(runAt);
      return {
        runAt,
        ...(recorded?.candidates === undefined ? {} : { candidatesDue: recorded.candidates }),
        ...(recorded?.durationMs === undefined ? {} : { plannerMs: recorded.durationMs }),
        emails: tally.messages.size,
        remindersSent: tally.remindersSent,
        skipped: tally.skipped,
        failedEmails: tally.failed.size,
        skippedReminders: tally.skippedReminders.sort(
          (a, b) => a.candidateId.localeCompare(b.candidateId) || a.dueOn.localeCompare(b.dueOn),
        ),
      };
    });
};

/** Suppressed addresses, and how many of them bounced or complained. */
export const suppressionCounts = (suppressions: readonly SuppressionRecord[]) => ({
  suppressed: suppressions.length,
  bounces: suppressions.filter((entry) => entry.reason === 'bounce').length,
  complaints: suppressions.filter((entry) => entry.reason === 'complaint').length,
});
