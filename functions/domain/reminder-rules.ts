import {
  addDays,
  addMonths,
  compareDates,
  dueMomentOf,
  epochNanosecondsOf,
  type IsoInstant,
  type LocalDate,
  laterDate,
  localDateOf,
} from './calendar';
import type { RuleSettings } from './rule-settings';

/** The programme's rules (SPEC §1), in one place. */
export const VALIDITY_MONTHS = 12;
export const RENEWAL_OPENS_AFTER_MONTHS = 9;
export const WAIT_AFTER_FAILURE_DAYS = 25;

export type Outcome = 'pass' | 'fail';

/** One exam attempt of one candidate at one credential. */
export interface Attempt {
  readonly attemptId: string;
  readonly outcome: Outcome;
  /** ISO 8601 instant with offset. */
  readonly takenAt: string;
}

export const REMINDER_KINDS = [
  'retake_available',
  'renewal_window_open',
  'expiring_soon',
  'expired',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** A reminder that the rules call for: what, for whom, due when, and why. */
export interface Reminder {
  readonly candidateId: string;
  readonly credentialId: string;
  readonly kind: ReminderKind;
  /** Local date of the attempt the reminder is anchored on. */
  readonly anchorOn: LocalDate;
  readonly anchorAttemptId: string;
  /** For `expiring_soon`: how many days before expiry it is due. */
  readonly daysBefore?: number;
  /** Local due date in the candidate's zone. */
  readonly dueOn: LocalDate;
  /** Due instant: 00:00 of `dueOn` in the candidate's zone plus `SEND_HOUR` hours. */
  readonly dueAt: IsoInstant;
  /** Natural key within the candidate: credential, kind, anchoring `attemptId` (and days for warnings). */
  readonly key: string;
  /** Position in the credential's stages; a higher stage makes a lower one stale when both are due. */
  readonly stage: number;
  /** The dates the email talks about. */
  readonly dates: ReminderDates;
  /** A human explanation of where the due date comes from. */
  readonly why: string;
}

/** Dates that explain a reminder to its reader. */
export interface ReminderDates {
  readonly passedOn?: LocalDate;
  readonly failedOn?: LocalDate;
  readonly renewalOpensOn?: LocalDate;
  readonly expiresOn?: LocalDate;
  readonly retakeFrom?: LocalDate;
}

/** An attempt with its instant parsed and its local date worked out once. */
interface DatedAttempt extends Attempt {
  readonly epochNs: bigint;
  readonly localDate: LocalDate;
}

/**
 * Natural key of a reminder within one candidate (SPEC §1): credential, kind, the `attemptId` of
 * the anchoring attempt and N for warnings. No date is part of it, so neither a change of time
 * zone, nor a merge, nor a policy edit that moves its date makes it a new reminder.
 *
 * @example
 * reminderKey('aws-cp', 'expiring_soon', 'att-17', 30); // 'aws-cp#expiring_soon#att-17#30'
 */
export const reminderKey = (
  credentialId: string,
  kind: ReminderKind,
  anchorAttemptId: string,
  daysBefore?: number,
): string =>
  daysBefore === undefined
    ? `${credentialId}#${kind}#${anchorAttemptId}`
    : `${credentialId}#${kind}#${anchorAttemptId}#${daysBefore}`;

/** Orders attempts by instant, then by id so that the order never depends on arrival. */
const byTakenAt = (a: DatedAttempt, b: DatedAttempt): number => {
  if (a.epochNs !== b.epochNs) return a.epochNs < b.epochNs ? -1 : 1;
  return a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0;
};

/**
 * Sorts and dates the attempts of one credential, dropping repeated `attemptId`s.
 */
export const dateAttempts = (attempts: readonly Attempt[], timeZone: string): DatedAttempt[] => {
  const unique = new Map<string, Attempt>();
  for (const attempt of attempts)
    if (!unique.has(attempt.attemptId)) unique.set(attempt.attemptId, attempt);
  return [...unique.values()]
    .map((attempt) => {
      const epochNs = epochNanosecondsOf(attempt.takenAt);
      return {
        ...attempt,
        epochNs,
        localDate: localDateOf(Number(epochNs / 1_000_000n), timeZone),
      };
    })
    .sort(byTakenAt);
};

/** Derived dates of a pass (SPEC §1). */
export const passDates = (passedOn: LocalDate) => ({
  expiresOn: addMonths(passedOn, VALIDITY_MONTHS),
  renewalOpensOn: addMonths(passedOn, RENEWAL_OPENS_AFTER_MONTHS),
});

/**
 * `retakeFrom` of a failure: 25 days later, but no earlier than 9 months after the latest pass
 * before it.
 *
 * @example
 * retakeFromOf('2027-06-01', '2027-01-10'); // '2027-10-10'
 * retakeFromOf('2027-06-01'); // '2027-06-26'
 */
export const retakeFromOf = (failedOn: LocalDate, latestPassBefore?: LocalDate): LocalDate => {
  const afterWait = addDays(failedOn, WAIT_AFTER_FAILURE_DAYS);
  return latestPassBefore === undefined
    ? afterWait
    : laterDate(afterWait, addMonths(latestPassBefore, RENEWAL_OPENS_AFTER_MONTHS));
};

/** Index of the last attempt (optionally only passes) taken strictly before `epochNs`. */
const lastIndexBefore = (
  attempts: readonly DatedAttempt[],
  epochNs: bigint,
  passesOnly: boolean,
): number => {
  for (let index = attempts.length - 1; index >= 0; index -= 1) {
    const attempt = attempts[index] as DatedAttempt;
    if (attempt.epochNs < epochNs && (!passesOnly || attempt.outcome === 'pass')) return index;
  }
  return -1;
};

const lastPassIndexBefore = (attempts: readonly DatedAttempt[], index: number): number => {
  for (let earlier = index - 1; earlier >= 0; earlier -= 1) {
    if ((attempts[earlier] as DatedAttempt).outcome === 'pass') return earlier;
  }
  return -1;
};

/** Stage numbers: retake and renewal first, then warnings from the largest N down, then expiry. */
export const stageOf = (
  kind: ReminderKind,
  settings: Pick<RuleSettings, 'expiryWarningDays'>,
  daysBefore?: number,
): number => {
  switch (kind) {
    case 'retake_available':
    case 'renewal_window_open':
      return 0;
    case 'expiring_soon': {
      const descending = [...settings.expiryWarningDays].sort((a, b) => b - a);
      return 1 + Math.max(0, descending.indexOf(daysBefore ?? 0));
    }
    case 'expired':
      return 1 + settings.expiryWarningDays.length;
  }
};

export interface CredentialHistory {
  readonly candidateId: string;
  readonly credentialId: string;
  readonly attempts: readonly Attempt[];
  readonly timeZone: string;
}

/**
 * Every reminder that one candidate's attempts at one credential call for, whenever due.
 *
 * A reminder exists only if, judged on the attempts taken before its due instant, its anchor is
 * still the latest attempt (retake, renewal) or the latest pass (expiry warnings, expiry). The
 * result depends only on the set of attempts, never on their order.
 *
 * @example
 * deriveReminders(
 *   { candidateId: 'c-1', credentialId: 'aws-cp', timeZone: 'UTC',
 *     attempts: [{ attemptId: 'a-1', outcome: 'pass', takenAt: '2027-02-28T10:00:00Z' }] },
 *   DEFAULT_RULE_SETTINGS,
 * ).map((reminder) => `${reminder.kind} ${reminder.dueOn}`);
 * // ['renewal_window_open 2027-11-28', 'expiring_soon 2028-01-29', 'expired 2028-02-28']
 */
export const deriveReminders = (history: CredentialHistory, settings: RuleSettings): Reminder[] => {
  const { candidateId, credentialId, timeZone } = history;
  const attempts = dateAttempts(history.attempts, timeZone);
  const reminders: Reminder[] = [];
  const zoneNote = `(${timeZone})`;

  const add = (
    anchorIndex: number,
    kind: ReminderKind,
    dueOn: LocalDate,
    dates: ReminderDates,
    why: string,
    daysBefore?: number,
  ) => {
    const anchor = attempts[anchorIndex] as DatedAttempt;
    const due = dueMomentOf(dueOn, timeZone, settings.sendHour);
    const passesOnly = kind === 'expiring_soon' || kind === 'expired';
    if (lastIndexBefore(attempts, due.epochNs, passesOnly) !== anchorIndex) return;
    const reminder: Reminder = {
      candidateId,
      credentialId,
      kind,
      anchorOn: anchor.localDate,
      anchorAttemptId: anchor.attemptId,
      ...(daysBefore === undefined ? {} : { daysBefore }),
      dueOn,
      dueAt: due.text,
      key: reminderKey(credentialId, kind, anchor.attemptId, daysBefore),
      stage: stageOf(kind, settings, daysBefore),
      dates,
      why,
    };
    reminders.push(reminder);
  };

  /**
   * A failure after the pass at `passIndex`, taken before its expiry, may still be in its 25-day
   * wait when the credential expires: then the candidate can retake only from `retakeFrom`.
   */
  const waitAfterExpiry = (
    passIndex: number,
    expiresOn: LocalDate,
  ): Pick<ReminderDates, 'retakeFrom'> => {
    const due = dueMomentOf(expiresOn, timeZone, settings.sendHour);
    const latest = lastIndexBefore(attempts, due.epochNs, false);
    const failure = attempts[latest];
    if (latest <= passIndex || failure === undefined || failure.outcome !== 'fail') return {};
    const passedOn = (attempts[passIndex] as DatedAttempt).localDate;
    const retakeFrom = retakeFromOf(failure.localDate, passedOn);
    return compareDates(retakeFrom, expiresOn) > 0 ? { retakeFrom } : {};
  };

  attempts.forEach((attempt, index) => {
    if (attempt.outcome === 'pass') {
      const passedOn = attempt.localDate;
      const { expiresOn, renewalOpensOn } = passDates(passedOn);
      const dates = { passedOn, renewalOpensOn, expiresOn };
      const passed = `passed on ${passedOn} ${zoneNote}`;
      add(
        index,
        'renewal_window_open',
        renewalOpensOn,
        dates,
        `${passed}; renewal opens 9 months later`,
      );
      for (const days of settings.expiryWarningDays) {
        add(
          index,
          'expiring_soon',
          addDays(expiresOn, -days),
          dates,
          `${passed}; expires 12 months later on ${expiresOn}, warned ${days} days before`,
          days,
        );
      }
      add(
        index,
        'expired',
        expiresOn,
        { ...dates, ...waitAfterExpiry(index, expiresOn) },
        `${passed}; valid for 12 months, expires on ${expiresOn}`,
      );
      return;
    }
    const failedOn = attempt.localDate;
    const passIndex = lastPassIndexBefore(attempts, index);
    const latestPass = passIndex >= 0 ? (attempts[passIndex] as DatedAttempt).localDate : undefined;
    const retakeFrom = retakeFromOf(failedOn, latestPass);
    const waitEnds = addDays(failedOn, WAIT_AFTER_FAILURE_DAYS);
    const dates: ReminderDates =
      latestPass === undefined
        ? { failedOn, retakeFrom }
        : { failedOn, retakeFrom, passedOn: latestPass, ...passDates(latestPass) };
    const why =
      retakeFrom === waitEnds
        ? `failed on ${failedOn} ${zoneNote}; may retake after the 25-day wait`
        : `failed on ${failedOn} ${zoneNote}; the 25-day wait ends ${waitEnds} but renewal opens only on ${retakeFrom}, 9 months after passing on ${latestPass}`;
    add(index, 'retake_available', retakeFrom, dates, why);
  });

  return reminders.sort(compareReminders);
};

/** Orders reminders by due date, candidate, credential, kind (as SPEC §5's forecast), then stage. */
export const compareReminders = (a: Reminder, b: Reminder): number =>
  compareDates(a.dueOn, b.dueOn) ||
  compareText(a.candidateId, b.candidateId) ||
  compareText(a.credentialId, b.credentialId) ||
  compareText(a.kind, b.kind) ||
  a.stage - b.stage ||
  compareText(a.key, b.key);

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export type CredentialStatusName = 'valid' | 'expired' | 'not_certified';

/** Where a candidate stands with one credential on a given local date. */
export interface CredentialStatus {
  readonly status: CredentialStatusName;
  readonly passedOn?: LocalDate;
  readonly renewalOpensOn?: LocalDate;
  readonly expiresOn?: LocalDate;
  /** The first date on which the candidate may sit the exam (absent: any time). */
  readonly nextAttemptFrom?: LocalDate;
}

/**
 * The status of one credential on local date `on`, judged on attempts taken on or before it.
 *
 * @example
 * credentialStatusOn([{ attemptId: 'a', outcome: 'pass', takenAt: '2027-01-10T09:00:00Z' }], 'UTC', '2027-05-01');
 * // { status: 'valid', passedOn: '2027-01-10', renewalOpensOn: '2027-10-10', expiresOn: '2028-01-10', nextAttemptFrom: '2027-10-10' }
 */
export const credentialStatusOn = (
  attempts: readonly Attempt[],
  timeZone: string,
  on: LocalDate,
): CredentialStatus => {
  const taken = dateAttempts(attempts, timeZone).filter(
    (attempt) => compareDates(attempt.localDate, on) <= 0,
  );
  const latest = taken.at(-1);
  const latestPassIndex = taken.findLastIndex((attempt) => attempt.outcome === 'pass');
  const latestPass = taken[latestPassIndex];
  const failureWait =
    latest?.outcome === 'fail' ? retakeFromOf(latest.localDate, latestPass?.localDate) : undefined;
  const stillWaiting = failureWait !== undefined && compareDates(failureWait, on) > 0;
  if (latestPass === undefined) {
    return { status: 'not_certified', ...(stillWaiting ? { nextAttemptFrom: failureWait } : {}) };
  }
  const { expiresOn, renewalOpensOn } = passDates(latestPass.localDate);
  const valid = compareDates(on, expiresOn) < 0;
  const nextAttemptFrom = failureWait ?? (valid ? renewalOpensOn : undefined);
  return {
    status: valid ? 'valid' : 'expired',
    passedOn: latestPass.localDate,
    renewalOpensOn,
    expiresOn,
    ...(nextAttemptFrom && compareDates(nextAttemptFrom, on) > 0 ? { nextAttemptFrom } : {}),
  };
};
