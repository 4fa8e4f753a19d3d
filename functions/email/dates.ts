import type { LocalDate } from '../domain/calendar';

/**
 * Dates written out in words in the candidate's locale, with `Intl` alone. A date is a plain
 * calendar date: it is formatted at UTC midnight in UTC, so the host's time zone never shifts it.
 */

/** Writes dates in one locale, in words, with and without the weekday. */
export interface DateWriter {
  /** The locale the dates are written in, e.g. `en-GB`. */
  readonly locale: string;
  /** E.g. "Monday 29 November 2027 (2027-11-29)". */
  readonly long: (date: LocalDate) => string;
  /** E.g. "28 February 2028 (2028-02-28)". */
  readonly short: (date: LocalDate) => string;
  /** E.g. "Monday 29 November 2027", without the ISO form. */
  readonly words: (date: LocalDate) => string;
}

/** The locale whose house style drops CLDR's comma after the weekday. */
const BRITISH_ENGLISH = 'en-GB';

/** A plain date as a `Date` at UTC midnight: formatted in UTC, the host zone never shifts it. */
const utcMidnight = (date: LocalDate): Date => new Date(`${date}T00:00:00Z`);

/** Joins a date in words and its ISO form; the catalogue's `datedIso` in an email. */
export type DatedIso = (args: { readonly date: string; readonly iso: LocalDate }) => string;

const parenthesised: DatedIso = ({ date, iso }) => `${date} (${iso})`;

/**
 * A {@link DateWriter} for `locale`, which must be one `Intl` supports (see `resolveLocale`);
 * `datedIso` joins the words and the ISO form (default "words (YYYY-MM-DD)").
 *
 * British English follows the house style SPEC §4 writes, "Monday 29 November 2027", whether or
 * not this ICU version puts a comma after the weekday; other locales keep CLDR's format.
 *
 * @example
 * const dates = createDateWriter('en-GB');
 * dates.long('2027-11-29'); // 'Monday 29 November 2027 (2027-11-29)'
 * dates.short('2028-02-28'); // '28 February 2028 (2028-02-28)'
 * createDateWriter('en-US').words('2027-11-29'); // 'Monday, November 29, 2027'
 */
export const createDateWriter = (
  locale: string,
  datedIso: DatedIso = parenthesised,
): DateWriter => {
  const withWeekday = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const withoutWeekday = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const words = (date: LocalDate): string =>
    locale === BRITISH_ENGLISH
      ? withWeekday
          .formatToParts(utcMidnight(date))
          .map((part, index, parts) =>
            part.type === 'literal' && parts[index - 1]?.type === 'weekday' ? ' ' : part.value,
          )
          .join('')
      : withWeekday.format(utcMidnight(date));
  return {
    locale,
    words,
    long: (date) => datedIso({ date: words(date), iso: date }),
    short: (date) => datedIso({ date: withoutWeekday.format(utcMidnight(date)), iso: date }),
  };
};
