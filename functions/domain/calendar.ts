import { Temporal } from 'temporal-polyfill';

/**
 * Calendar arithmetic on local dates, done with Temporal so that month ends, leap days and
 * daylight-saving changes follow the ISO calendar rather than the host's clock.
 *
 * Dates travel through the code as `YYYY-MM-DD` strings ({@link LocalDate}); instants as ISO 8601
 * strings in UTC ending in `Z`.
 */

/** A calendar date written `YYYY-MM-DD`. */
export type LocalDate = string;

/** An instant written as ISO 8601 in UTC, e.g. `2027-11-29T00:00:00Z`. */
export type IsoInstant = string;

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
    Temporal.Now.instant().toZonedDateTimeISO(zone);
    known = true;
  } catch {
    known = false;
  }
  knownZones.set(zone, known);
  return known;
};

/** Parses an ISO 8601 instant with an offset (or `Z`). Throws a `RangeError` when it has none. */
export const parseInstant = (value: string): Temporal.Instant => Temporal.Instant.from(value);

/** Writes an instant as UTC ISO 8601 (`…Z`), to the second unless it carries a fraction. */
export const formatInstant = (instant: Temporal.Instant): IsoInstant =>
  instant.toString({ smallestUnit: 'second' });

/**
 * The calendar date of `instant` in `timeZone`.
 *
 * @example
 * localDateOf('2027-02-28T23:30:00Z', 'Asia/Tokyo'); // '2027-03-01'
 */
export const localDateOf = (
  instant: string | number | Temporal.Instant,
  timeZone: string,
): LocalDate => {
  const epochMs =
    typeof instant === 'number'
      ? instant
      : typeof instant === 'string'
        ? epochMillisecondsOf(instant)
        : instant.epochMilliseconds;
  const text = dateFormatterFor(timeZone).format(epochMs);
  return /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? text
    : Temporal.Instant.fromEpochMilliseconds(epochMs)
        .toZonedDateTimeISO(timeZone)
        .toPlainDate()
        .toString();
};

// `en-CA` writes dates as YYYY-MM-DD; one formatter per zone is far cheaper than a Temporal
// zone conversion per call, and gives the same calendar date.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const dateFormatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = dateFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormatters.set(timeZone, formatter);
  }
  return formatter;
};

/**
 * `date` plus `months`, keeping the day of month and clamping to the last day of a shorter month.
 *
 * @example
 * addMonths('2028-02-29', 12); // '2029-02-28'
 * addMonths('2027-05-31', 9); // '2028-02-29'
 */
export const addMonths = (date: LocalDate, months: number): LocalDate =>
  memo(`${date}|${months}m`, () =>
    Temporal.PlainDate.from(date).add({ months }, { overflow: 'constrain' }).toString(),
  );

/**
 * `date` plus `days` calendar days (negative to go back).
 *
 * @example
 * addDays('2027-02-20', 25); // '2027-03-17'
 */
export const addDays = (date: LocalDate, days: number): LocalDate =>
  memo(`${date}|${days}d`, () => Temporal.PlainDate.from(date).add({ days }).toString());

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
 * The instant at which a date "begins" for sending: 00:00 of `date` in `timeZone` plus
 * `sendHour` hours. Where 00:00 does not exist (a daylight-saving gap at midnight) the first
 * instant of the day is used.
 *
 * @example
 * dueInstantOf('2027-11-29', 'America/New_York', 0); // '2027-11-29T05:00:00Z'
 */
export const dueInstantOf = (
  date: LocalDate,
  timeZone: string,
  sendHour: number,
): Temporal.Instant => dueMomentOf(date, timeZone, sendHour).instant;

/** A due instant in the three forms the rules use. */
export interface DueMoment {
  readonly instant: Temporal.Instant;
  readonly epochNs: bigint;
  /** UTC ISO 8601, to the second. */
  readonly text: IsoInstant;
}

/** {@link dueInstantOf}, with its epoch nanoseconds and text, remembered per date, zone and hour. */
export const dueMomentOf = (date: LocalDate, timeZone: string, sendHour: number): DueMoment => {
  const key = `${date}|${timeZone}|${sendHour}`;
  const cached = dueMoments.get(key);
  if (cached !== undefined) return cached;
  const instant = Temporal.PlainDate.from(date)
    .toZonedDateTime({ timeZone })
    .add({ hours: sendHour })
    .toInstant();
  const moment = { instant, epochNs: instant.epochNanoseconds, text: formatInstant(instant) };
  if (dueMoments.size >= DUE_MOMENT_CACHE_SIZE) dueMoments.clear();
  dueMoments.set(key, moment);
  return moment;
};

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
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
};

/** The UTC calendar date of an instant. */
export const utcDateOf = (instant: Temporal.Instant): LocalDate => localDateOf(instant, 'UTC');

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number =>
  Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
