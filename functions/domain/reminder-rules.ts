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
import {
  DEFAULT_TERMS,
  type PolicyTerms,
  type PolicyVersion,
  policyLookupOf,
  RENEWAL_OPENS_AFTER_MONTHS,
  underPolicy,
  VALIDITY_MONTHS,
  WAIT_AFTER_FAILURE_DAYS,
} from './credential-policy';
import type { RuleSettings } from './rule-settings';

/**
 * The programme's rules (SPEC §1), in one place; their numbers come from the credential policy
 * in force (SPEC §9, `credential-policy.ts`), by default 12 months, 9 months and 25 days.
 */
export { RENEWAL_OPENS_AFTER_MONTHS, VALIDITY_MONTHS, WAIT_AFTER_FAILURE_DAYS };

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

/**
 * Derived dates of a pass (SPEC §1) under the terms of the version in force on its date; a pass
 * under a policy that is not renewable has no `renewalOpensOn`.
 *
 * @example
 * passDates('2027-02-28'); // { expiresOn: '2028-02-28', renewalOpensOn: '2027-11-28' }
 */
export const passDates = (
  passedOn: LocalDate,
  terms: PolicyTerms = DEFAULT_TERMS,
): { expiresOn: LocalDate; renewalOpensOn?: LocalDate } => ({
  expiresOn: addMonths(passedOn, terms.validityMonths),
  ...(terms.renewable
    ? { renewalOpensOn: addMonths(passedOn, terms.renewalOpensAfterMonths) }
    : {}),
});

/**
 * `retakeFrom` of a failure: `waitDays` (25) later, but no earlier than the renewal window of the
 * latest pass before it (9 months after it, under that pass's terms; no floor when they are not
 * renewable).
 *
 * @example
 * retakeFromOf('2027-06-01', '2027-01-10'); // '2027-10-10'
 * retakeFromOf('2027-06-01'); // '2027-06-26'
 */
export const retakeFromOf = (
  failedOn: LocalDate,
  latestPassBefore?: LocalDate,
  waitDays: number = WAIT_AFTER_FAILURE_DAYS,
  passTerms: Pick<PolicyTerms, 'renewable' | 'renewalOpensAfterMonths'> = DEFAULT_TERMS,
): LocalDate => {
  const afterWait = addDays(failedOn, waitDays);
  return latestPassBefore === undefined || !passTerms.renewable
    ? afterWait
    : laterDate(afterWait, addMonths(latestPassBefore, passTerms.renewalOpensAfterMonths));
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

/**
 * Stage numbers: retake and renewal first, then warnings from the largest N down, then expiry;
 * the warnings are those of the version that governs the anchoring pass.
 */
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
  const versionOn = policyLookupOf(settings, credentialId);
  const attempts = dateAttempts(history.attempts, timeZone);
  const reminders: Reminder[] = [];
  const zoneNote = `(${timeZone})`;

  const add = (
    anchorIndex: number,
    kind: ReminderKind,
    dueOn: LocalDate,
    dates: ReminderDates,
    why: string,
    version: PolicyVersion,
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
      stage: stageOf(kind, version, daysBefore),
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
    passVersion: PolicyVersion,
  ): Pick<ReminderDates, 'retakeFrom'> => {
    const due = dueMomentOf(expiresOn, timeZone, settings.sendHour);
    const latest = lastIndexBefore(attempts, due.epochNs, false);
    const failure = attempts[latest];
    if (latest <= passIndex || failure === undefined || failure.outcome !== 'fail') return {};
    const passedOn = (attempts[passIndex] as DatedAttempt).localDate;
    const retakeFrom = retakeFromOf(
      failure.localDate,
      passedOn,
      versionOn(failure.localDate).retakeWaitDays,
      passVersion,
    );
    return compareDates(retakeFrom, expiresOn) > 0 ? { retakeFrom } : {};
  };

  attempts.forEach((attempt, index) => {
    if (attempt.outcome === 'pass') {
      const passedOn = attempt.localDate;
      const version = versionOn(passedOn);
      const { validityMonths, renewalOpensAfterMonths } = version;
      const under = underPolicy(version);
      const { expiresOn, renewalOpensOn } = passDates(passedOn, version);
      const dates: ReminderDates =
        renewalOpensOn === undefined
          ? { passedOn, expiresOn }
          : { passedOn, renewalOpensOn, expiresOn };
      const passed = `passed on ${passedOn} ${zoneNote}`;
      if (renewalOpensOn !== undefined) {
        add(
          index,
          'renewal_window_open',
          renewalOpensOn,
          dates,
          `${passed}; renewal opens ${renewalOpensAfterMonths} months later${under}`,
          version,
        );
      }
      for (const days of version.expiryWarningDays) {
        add(
          index,
          'expiring_soon',
          addDays(expiresOn, -days),
          dates,
          `${passed}; expires ${validityMonths} months later on ${expiresOn}${under}, warned ${days} days before`,
          version,
          days,
        );
      }
      add(
        index,
        'expired',
        expiresOn,
        { ...dates, ...waitAfterExpiry(index, expiresOn, version) },
        `${passed}; valid for ${validityMonths} months${under}, expires on ${expiresOn}`,
        version,
      );
      return;
    }
    const failedOn = attempt.localDate;
    const version = versionOn(failedOn);
    const passIndex = lastPassIndexBefore(attempts, index);
    const latestPass = passIndex >= 0 ? (attempts[passIndex] as DatedAttempt).localDate : undefined;
    const passVersion = latestPass === undefined ? undefined : versionOn(latestPass);
    const wait = version.retakeWaitDays;
    const retakeFrom = retakeFromOf(failedOn, latestPass, wait, passVersion);
    const waitEnds = addDays(failedOn, wait);
    const dates: ReminderDates =
      latestPass === undefined
        ? { failedOn, retakeFrom }
        : { failedOn, retakeFrom, passedOn: latestPass, ...passDates(latestPass, passVersion) };
    const failed = `failed on ${failedOn} ${zoneNote}`;
    const why =
      retakeFrom === waitEnds || passVersion === undefined
        ? `${failed}; may retake after the ${wait}-day wait${underPolicy(version)}`
        : `${failed}; the ${wait}-day wait${underPolicy(version)} ends ${waitEnds} but renewal opens only on ${retakeFrom}, ${passVersion.renewalOpensAfterMonths} months after passing on ${latestPass}${underPolicy(passVersion)}`;
    add(index, 'retake_available', retakeFrom, dates, why, version);
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
