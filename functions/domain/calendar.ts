/**
 * Calendar arithmetic on local dates and instants, exact in every IANA zone: month ends clamp,
 * leap days count, daylight-saving days keep their real length, and the host's zone never
 * matters. Written on `Intl` and integer arithmetic alone, so the Lambda bundles carry no
 * calendar library: `Intl` knows the zones, and dates are proleptic Gregorian `YYYY-MM-DD`.
 *
 * Dates travel through the code as `YYYY-MM-DD` strings ({@link LocalDate}); instants as ISO 8601
 * strings in UTC ending in `Z`, or as an {@link Instant} (a `Temporal.Instant` is one too).
 */

/** A calendar date written `YYYY-MM-DD`. */
export type LocalDate = string;

/** An instant written as ISO 8601 in UTC, e.g. `2027-11-29T00:00:00Z`. */
export type IsoInstant = string;

/** What the rules need of an instant; `Temporal.Instant` has it too. */
export interface Instant {
  readonly epochMilliseconds: number;
}

/** An instant with the digits below the millisecond that an ISO text may carry. */
export interface PreciseInstant extends Instant {
  readonly epochNanoseconds: bigint;
}

const DAY_MS = 86_400_000;
const knownZones = new Map<string, boolean>();

/**
 * Whether `zone` is an IANA time zone known to `Intl`.
 *
 * @example
 * isKnownTimeZone('Europe/Lisbon'); // true
 * isKnownTimeZone('Mars/Olympus'); // false
 */
export const isKnownTimeZone = (zone: string): boolean => {
  const cached = knownZones.get(zone);
  if (cached !== undefined) return cached;
  let known = false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    known = zone !== '';
  } catch {
    known = false;
  }
  knownZones.set(zone, known);
  return known;
};

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Days in a month of the proleptic Gregorian calendar. */
const daysInMonth = (year: number, month: number): number =>
  new Date(utcMs(year, month + 1, 1) - DAY_MS).getUTCDate();

/** `Date.UTC` for any year (years 0–99 included, which `Date.UTC` would take for 1900–1999). */
const utcMs = (year: number, month: number, day: number, ms = 0): number => {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(0, 0, 0, 0);
  return date.getTime() + ms;
};

/**
 * Parses an ISO 8601 instant with an offset (or `Z`), e.g. `2027-02-28T10:05:00-05:00`, to the
 * nanosecond. Throws a `RangeError` when it has no offset or is not a real instant.
 */
export const parseInstant = (value: string): PreciseInstant => {
  const match = ISO_INSTANT.exec(value);
  if (match === null) throw new RangeError(`not an ISO 8601 instant with an offset: ${value}`);
  const [, y, mo, d, h, mi, s, fraction, , sign, oh, om] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offsetMinutes =
    sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    Number(oh ?? 0) > 23 ||
    Number(om ?? 0) > 59
  )
    throw new RangeError(`not a real instant: ${value}`);
  const digits = (fraction ?? '').padEnd(9, '0');
  const epochMilliseconds =
    utcMs(year, month, day) +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    Number(digits.slice(0, 3));
  return {
    epochMilliseconds,
    epochNanoseconds: BigInt(epochMilliseconds) * 1_000_000n + BigInt(digits.slice(3)),
  };
};

/** Writes an instant as UTC ISO 8601 (`…Z`), to the second (a fraction is cut off). */
export const formatInstant = (instant: Instant | number): IsoInstant => {
  const ms = typeof instant === 'number' ? instant : instant.epochMilliseconds;
  const text = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return `${text.slice(0, -5)}Z`;
};

/** One formatter per zone and kind, reused: creating them is the expensive part. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (
  kind: string,
  locale: string,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat => {
  const key = `${kind}|${timeZone}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone, ...options });
    formatters.set(key, formatter);
  }
  return formatter;
};

// `en-CA` writes dates as YYYY-MM-DD.
const dateFormatterFor = (timeZone: string) =>
  formatterFor('date', 'en-CA', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' });

const wallFormatterFor = (timeZone: string) =>
  formatterFor('wall', 'en-US', timeZone, {
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });

/** The wall-clock time in `timeZone` at `epochMs`, written as if it were UTC (whole seconds). */
const wallClockOf = (epochMs: number, timeZone: string): number => {
  const parts: Record<string, string> = {};
  for (const part of wallFormatterFor(timeZone).formatToParts(epochMs))
    parts[part.type] = part.value;
  const year =
    parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  return (
    utcMs(year, Number(parts.month), Number(parts.day)) +
    ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000
  );
};

const epochOf = (instant: string | number | Instant): number =>
  typeof instant === 'number'
    ? instant
    : typeof instant === 'string'
      ? epochMillisecondsOf(instant)
      : instant.epochMilliseconds;

const dateText = (ms: number): LocalDate => {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const yearText = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  return `${yearText}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
};

/**
 * The calendar date of `instant` in `timeZone`.
 *
 * @example
 * localDateOf('2027-02-28T23:30:00Z', 'Asia/Tokyo'); // '2027-03-01'
 */
export const localDateOf = (instant: string | number | Instant, timeZone: string): LocalDate => {
  const epochMs = epochOf(instant);
  const text = dateFormatterFor(timeZone).format(epochMs);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : dateText(wallClockOf(epochMs, timeZone));
};

const partsOf = (date: LocalDate): [number, number, number] => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return [year, month, day];
};

/**
 * `date` plus `months`, keeping the day of month and clamping to the last day of a shorter month.
 *
 * @example
 * addMonths('2028-02-29', 12); // '2029-02-28'
 * addMonths('2027-05-31', 9); // '2028-02-29'
 */
export const addMonths = (date: LocalDate, months: number): LocalDate =>
  memo(`${date}|${months}m`, () => {
    const [year, month, day] = partsOf(date);
    const index = year * 12 + (month - 1) + months;
    const targetYear = Math.floor(index / 12);
    const targetMonth = index - targetYear * 12 + 1;
    return dateText(
      utcMs(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth))),
    );
  });

/**
 * `date` plus `days` calendar days (negative to go back).
 *
 * @example
 * addDays('2027-02-20', 25); // '2027-03-17'
 */
export const addDays = (date: LocalDate, days: number): LocalDate =>
  memo(`${date}|${days}d`, () => {
    const [year, month, day] = partsOf(date);
    return dateText(utcMs(year, month, day) + days * DAY_MS);
  });

// Date arithmetic repeats the same few questions for many candidates; remember recent answers.
const MEMO_SIZE = 50_000;
const memory = new Map<string, string>();
const memo = (key: string, compute: () => string): string => {
  const known = memory.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (memory.size >= MEMO_SIZE) memory.clear();
  memory.set(key, value);
  return value;
};

/**
 * Orders two local dates: negative when `a` is earlier. Dates here are always `YYYY-MM-DD` with a
 * four-digit year, whose text order is their calendar order.
 */
export const compareDates = (a: LocalDate, b: LocalDate): number => (a < b ? -1 : a > b ? 1 : 0);

/** The later of two local dates. */
export const laterDate = (a: LocalDate, b: LocalDate): LocalDate =>
  compareDates(a, b) >= 0 ? a : b;

/**
 * The first instant of `date` in `timeZone`: its 00:00, or, where 00:00 does not exist (a
 * daylight-saving gap at midnight, or a day the zone skipped), the first instant after the gap;
 * where 00:00 happens twice (clocks set back over midnight), the earlier one.
 */
const startOfDay = (date: LocalDate, timeZone: string): number => {
  const [year, month, day] = partsOf(date);
  const midnight = utcMs(year, month, day);
  // The offsets in force a day before and a day after bracket any transition near midnight.
  const offsets = [midnight - DAY_MS, midnight + DAY_MS].map(
    (probe) => wallClockOf(probe, timeZone) - probe,
  );
  const candidates = [...new Set(offsets.map((offset) => midnight - offset))].sort((a, b) => a - b);
  for (const candidate of candidates)
    if (wallClockOf(candidate, timeZone) === midnight) return candidate;
  // 00:00 fell in a gap: the day starts at the transition, the first instant whose local date is
  // this date or later. Transitions fall on whole seconds.
  let low = (candidates[0] as number) - 3_600_000;
  let high = (candidates.at(-1) as number) + 3_600_000;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (localDateOf(middle, timeZone) >= date) high = middle;
    else low = middle;
  }
  return high;
};

/** A due instant in the three forms the rules use. */
export interface DueMoment {
  readonly instant: PreciseInstant;
  readonly epochNs: bigint;
  /** UTC ISO 8601, to the second. */
  readonly text: IsoInstant;
}

/**
 * The instant at which a date "begins" for sending: the first instant of `date` in `timeZone`
 * (00:00 where it exists) plus `sendHour` exact hours, remembered per date, zone and hour.
 *
 * @example
 * dueMomentOf('2027-11-29', 'America/New_York', 0).text; // '2027-11-29T05:00:00Z'
 */
export const dueMomentOf = (date: LocalDate, timeZone: string, sendHour: number): DueMoment => {
  const key = `${date}|${timeZone}|${sendHour}`;
  const cached = dueMoments.get(key);
  if (cached !== undefined) return cached;
  const epochMilliseconds = startOfDay(date, timeZone) + sendHour * 3_600_000;
  const epochNs = BigInt(epochMilliseconds) * 1_000_000n;
  const moment = {
    instant: { epochMilliseconds, epochNanoseconds: epochNs },
    epochNs,
    text: formatInstant(epochMilliseconds),
  };
  if (dueMoments.size >= DUE_MOMENT_CACHE_SIZE) dueMoments.clear();
  dueMoments.set(key, moment);
  return moment;
};

/** {@link dueMomentOf} as an instant. */
export const dueInstantOf = (date: LocalDate, timeZone: string, sendHour: number): PreciseInstant =>
  dueMomentOf(date, timeZone, sendHour).instant;

// Many candidates share due dates and zones: remembering recent answers saves most of the work.
const DUE_MOMENT_CACHE_SIZE = 20_000;
const dueMoments = new Map<string, DueMoment>();

/**
 * Epoch milliseconds of an ISO 8601 instant that was already validated (see `instantSchema`):
 * a fast path for hot loops.
 */
export const epochMillisecondsOf = (value: string): number => {
  const fast = Date.parse(value);
  return Number.isNaN(fast) ? parseInstant(value).epochMilliseconds : fast;
};

/** Epoch nanoseconds of a validated ISO 8601 instant, keeping digits below the millisecond. */
export const epochNanosecondsOf = (value: string): bigint => {
  const fraction = /T[^.]*\.(\d{4,9})/.exec(value)?.[1];
  const belowMillisecond = fraction === undefined ? 0n : BigInt(fraction.slice(3).padEnd(6, '0'));
  return BigInt(epochMillisecondsOf(value)) * 1_000_000n + belowMillisecond;
};

/** Whether `value` is a real `YYYY-MM-DD` calendar date. */
export const isCalendarDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, day] = partsOf(value);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
};

/** The UTC calendar date of an instant. */
export const utcDateOf = (instant: Instant): LocalDate => localDateOf(instant, 'UTC');

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number =>
  Math.round((utcMs(...partsOf(to)) - utcMs(...partsOf(from))) / DAY_MS);
