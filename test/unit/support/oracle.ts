/**
 * An independent model of SPEC §1, written for the tests only.
 *
 * It deliberately shares no code with `functions/domain`: dates are plain integer arithmetic,
 * local dates and the start of a day come from `Intl.DateTimeFormat` with an explicit zone, and
 * instants are epoch milliseconds. The host's own time zone is never consulted (only `Date.UTC`
 * and `getUTC*`), so the model gives the same answers in every `TZ`.
 */

export const isLeapYear = (year: number): boolean =>
  (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export const daysInMonth = (year: number, month: number): number =>
  [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

export const formatDate = (year: number, month: number, day: number): string =>
  `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

export const parseDate = (date: string): { year: number; month: number; day: number } => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

/** SPEC §1 "+N months": keep the day of month, clamp to the last day of a shorter month. */
export const plusMonths = (date: string, months: number): string => {
  const { year, month, day } = parseDate(date);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = (index % 12) + 1;
  return formatDate(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
};

/** SPEC §1 "+N days": calendar days (done on UTC midnights, so no host zone can interfere). */
export const plusDays = (date: string, days: number): string => {
  const { year, month, day } = parseDate(date);
  const shifted = new Date(Date.UTC(year, month - 1, day) + days * 86_400_000);
  return formatDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
};

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (zone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
};

/** The wall clock of instant `epochMs` in `zone`: `YYYY-MM-DD` and `HH:MM:SS`. */
export const wallClockOf = (epochMs: number, zone: string): { date: string; time: string } => {
  const parts: Record<string, string> = {};
  for (const part of formatterOf(zone).formatToParts(new Date(epochMs)))
    parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
  };
};

export const localDateIn = (epochMs: number, zone: string): string =>
  wallClockOf(epochMs, zone).date;

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export const offsetAt = (epochMs: number, zone: string): number => {
  const wall = wallClockOf(epochMs, zone);
  const { year, month, day } = parseDate(wall.date);
  const [hour, minute, second] = wall.time.split(':').map(Number) as [number, number, number];
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  return wallAsUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
};

const startCache = new Map<string, number>();

/**
 * The first instant of local date `date` in `zone` (00:00, or the end of a daylight-saving gap
 * when 00:00 does not exist that day), found by bisection on whole minutes.
 */
export const startOfDayMs = (date: string, zone: string): number => {
  const cacheKey = `${zone}|${date}`;
  const cached = startCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const { year, month, day } = parseDate(date);
  const utcMidnight = Date.UTC(year, month - 1, day);
  const minute = 60_000;
  // Fast path: 00:00 local is UTC midnight minus the zone's offset (tried with the offset at two
  // nearby instants); it is the start of the day when the minute before it is on an earlier date.
  let guess = utcMidnight;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    guess = utcMidnight - offsetAt(guess, zone);
    const wall = wallClockOf(guess, zone);
    if (
      wall.date === date &&
      wall.time === '00:00:00' &&
      localDateIn(guess - minute, zone) < date
    ) {
      startCache.set(cacheKey, guess);
      return guess;
    }
  }
  // Offsets lie within -12:00..+14:00: before `low` the local date is earlier, at `high` it is not.
  let low = utcMidnight - 15 * 60 * minute;
  let high = utcMidnight + 13 * 60 * minute;
  while (high - low > minute) {
    const middle = low + Math.floor((high - low) / minute / 2) * minute;
    if (localDateIn(middle, zone) >= date) high = middle;
    else low = middle;
  }
  startCache.set(cacheKey, high);
  return high;
};

/** SPEC §1 due instant: 00:00 of `date` in `zone` plus `sendHour` hours, as `…Z` to the second. */
export const dueInstant = (date: string, zone: string, sendHour: number): string =>
  isoSeconds(startOfDayMs(date, zone) + sendHour * 3_600_000);

export const isoSeconds = (epochMs: number): string =>
  new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface ModelAttempt {
  readonly attemptId: string;
  readonly outcome: 'pass' | 'fail';
  readonly takenAt: string;
}

export interface ModelReminder {
  readonly kind: 'retake_available' | 'renewal_window_open' | 'expiring_soon' | 'expired';
  readonly anchorOn: string;
  readonly dueOn: string;
  readonly dueAt: string;
  readonly daysBefore?: number;
  /** Staleness order: 0 retake and renewal, then warnings from the largest N down, then expiry. */
  readonly stage: number;
}

/**
 * One credential's part of a policy file (SPEC §9) as the file says it: a `default` with any of
 * its fields and versions with any of them, read here literally and resolved by the model itself.
 */
export interface ModelPolicyFile {
  readonly default?: Partial<Omit<ModelTerms, 'renewable'>>;
  readonly versions: ReadonlyArray<{ readonly effectiveFrom: string } & Partial<ModelTerms>>;
}

export interface ModelTerms {
  readonly validityMonths: number;
  readonly renewalOpensAfterMonths: number;
  readonly renewable: boolean;
  readonly retakeWaitDays: number;
  readonly expiryWarningDays: readonly number[];
}

/** The terms of the version in force on `date`: the latest version from on or before it, else the default, each field falling back on the default, then on SPEC §1. */
export const modelTermsOn = (
  policy: ModelPolicyFile,
  date: string,
  fallbackWarnings: readonly number[] = [30],
): ModelTerms => {
  const base: ModelTerms = {
    validityMonths: policy.default?.validityMonths ?? 12,
    renewalOpensAfterMonths: policy.default?.renewalOpensAfterMonths ?? 9,
    renewable: true,
    retakeWaitDays: policy.default?.retakeWaitDays ?? 25,
    expiryWarningDays: policy.default?.expiryWarningDays ?? fallbackWarnings,
  };
  // Dates as YYYY-MM-DD compare as text; the latest `effectiveFrom` not after `date` wins.
  let chosen: ModelPolicyFile['versions'][number] | undefined;
  for (const version of policy.versions)
    if (version.effectiveFrom <= date && (!chosen || version.effectiveFrom > chosen.effectiveFrom))
      chosen = version;
  if (chosen === undefined) return base;
  return {
    validityMonths: chosen.validityMonths ?? base.validityMonths,
    renewalOpensAfterMonths: chosen.renewalOpensAfterMonths ?? base.renewalOpensAfterMonths,
    renewable: chosen.renewable ?? true,
    retakeWaitDays: chosen.retakeWaitDays ?? base.retakeWaitDays,
    expiryWarningDays: chosen.expiryWarningDays ?? base.expiryWarningDays,
  };
};

/**
 * Every reminder SPEC §1 calls for, for the attempts of one (candidate, credential), in the most
 * literal way: for each candidate reminder, look at the attempts taken strictly before its due
 * instant and keep it if its anchor is the latest attempt (retake, renewal) or the latest pass
 * (expiry warnings, expiry). Attempts must have distinct `takenAt` instants.
 *
 * `policy`: the warning days of the default policy, or a policy file's part for this credential
 * (SPEC §9): a pass follows the version in force on its date, a failure's wait the version on
 * its date, and the renewal floor of a failure the version of the pass before it.
 */
export const modelReminders = (
  attempts: readonly ModelAttempt[],
  zone: string,
  sendHour: number,
  policy: readonly number[] | ModelPolicyFile,
  fallbackWarnings: readonly number[] = [30],
): ModelReminder[] => {
  const file: ModelPolicyFile = Array.isArray(policy)
    ? { default: { expiryWarningDays: policy as readonly number[] }, versions: [] }
    : (policy as ModelPolicyFile);
  const termsOn = (date: string) => modelTermsOn(file, date, fallbackWarnings);
  const dated = attempts
    .map((attempt) => {
      const epochMs = Date.parse(attempt.takenAt);
      return { ...attempt, epochMs, localDate: localDateIn(epochMs, zone) };
    })
    .sort((a, b) => a.epochMs - b.epochMs);
  const result: ModelReminder[] = [];
  const consider = (
    anchor: (typeof dated)[number],
    kind: ModelReminder['kind'],
    dueOn: string,
    stage: number,
    daysBefore?: number,
  ) => {
    const dueMs = startOfDayMs(dueOn, zone) + sendHour * 3_600_000;
    const before = dated.filter((attempt) => attempt.epochMs < dueMs);
    const relevant =
      kind === 'expiring_soon' || kind === 'expired'
        ? before.filter((attempt) => attempt.outcome === 'pass')
        : before;
    if (relevant.at(-1)?.attemptId !== anchor.attemptId) return;
    result.push({
      kind,
      anchorOn: anchor.localDate,
      dueOn,
      dueAt: isoSeconds(dueMs),
      ...(daysBefore === undefined ? {} : { daysBefore }),
      stage,
    });
  };
  dated.forEach((attempt, index) => {
    if (attempt.outcome === 'pass') {
      const terms = termsOn(attempt.localDate);
      const expiresOn = plusMonths(attempt.localDate, terms.validityMonths);
      if (terms.renewable)
        consider(
          attempt,
          'renewal_window_open',
          plusMonths(attempt.localDate, terms.renewalOpensAfterMonths),
          0,
        );
      const largestFirst = [...terms.expiryWarningDays].sort((a, b) => b - a);
      largestFirst.forEach((days, rank) => {
        consider(attempt, 'expiring_soon', plusDays(expiresOn, -days), 1 + rank, days);
      });
      consider(attempt, 'expired', expiresOn, 1 + largestFirst.length);
      return;
    }
    const latestPass = dated
      .slice(0, index)
      .filter((earlier) => earlier.outcome === 'pass')
      .at(-1);
    const afterWait = plusDays(attempt.localDate, termsOn(attempt.localDate).retakeWaitDays);
    const passTerms = latestPass === undefined ? undefined : termsOn(latestPass.localDate);
    const floor =
      latestPass === undefined || passTerms === undefined || !passTerms.renewable
        ? afterWait
        : plusMonths(latestPass.localDate, passTerms.renewalOpensAfterMonths);
    // dates as YYYY-MM-DD compare as text
    consider(attempt, 'retake_available', [afterWait, floor].sort()[1] as string, 0);
  });
  return result;
};

/** A stable text form of a reminder, for comparing sets. */
export const reminderText = (reminder: {
  readonly kind: string;
  readonly anchorOn: string;
  readonly dueOn: string;
  readonly dueAt: string;
  readonly daysBefore?: number;
}): string =>
  `${reminder.dueOn} ${reminder.kind}${reminder.daysBefore === undefined ? '' : `(${reminder.daysBefore})`} anchor ${reminder.anchorOn} at ${reminder.dueAt}`;
