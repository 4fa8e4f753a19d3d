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
export const localDateOf = (instant: string | Temporal.Instant, timeZone: string): LocalDate => {
  const exact = typeof instant === 'string' ? parseInstant(instant) : instant;
  return exact.toZonedDateTimeISO(timeZone).toPlainDate().toString();
};

/**
 * `date` plus `months`, keeping the day of month and clamping to the last day of a shorter month.
 *
 * @example
 * addMonths('2028-02-29', 12); // '2029-02-28'
 * addMonths('2027-05-31', 9); // '2028-02-29'
 */
export const addMonths = (date: LocalDate, months: number): LocalDate =>
  Temporal.PlainDate.from(date).add({ months }, { overflow: 'constrain' }).toString();

/**
 * `date` plus `days` calendar days (negative to go back).
 *
 * @example
 * addDays('2027-02-20', 25); // '2027-03-17'
 */
export const addDays = (date: LocalDate, days: number): LocalDate =>
  Temporal.PlainDate.from(date).add({ days }).toString();

/** Orders two local dates: negative when `a` is earlier. */
export const compareDates = (a: LocalDate, b: LocalDate): number =>
  Temporal.PlainDate.compare(Temporal.PlainDate.from(a), Temporal.PlainDate.from(b));

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
): Temporal.Instant =>
  Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).add({ hours: sendHour }).toInstant();

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
