import { isKnownTimeZone } from './calendar';

/**
 * Parsers of environment variables: each reads one variable's text and gives its typed value, or
 * throws an `Error` with one line that names the variable. Plain functions rather than a schema
 * library, so that every Lambda function reads its configuration without bundling one (SPEC §12).
 * A variable that is unset is `undefined` here; {@link withDefault} and {@link optional} decide
 * what that means.
 */

/** Reads the text of one set variable, or throws an `Error` whose one-line message names it. */
export type TextParser<T> = (text: string) => T;

/** Reads one variable, set (`string`) or not (`undefined`). */
export type VariableParser<T> = (text: string | undefined) => T;

const fail = (message: string): never => {
  throw new Error(message);
};

/**
 * The value of `parse`, or `fallback` when the variable is unset (`fallback` is not checked).
 *
 * @example
 * withDefault(wholeNumber('SEND_HOUR', 0, 23), 0)(undefined); // 0
 */
export const withDefault =
  <T>(parse: TextParser<T>, fallback: T): VariableParser<T> =>
  (text) =>
    text === undefined ? fallback : parse(text);

/**
 * The value of `parse`, or `undefined` when the variable is unset.
 *
 * @example
 * optional(url('PUBLIC_URL'))(undefined); // undefined
 */
export const optional =
  <T>(parse: TextParser<T>): VariableParser<T | undefined> =>
  (text) =>
    text === undefined ? undefined : parse(text);

/**
 * `parse` of the text without its leading and trailing white space.
 *
 * @example
 * trimmed(wholeNumber('SEND_HOUR', 0, 23))(' 9 '); // 9
 */
export const trimmed =
  <T>(parse: TextParser<T>): TextParser<T> =>
  (text) =>
    parse(text.trim());

/**
 * Any text, as it is.
 *
 * @example
 * anyText('reminders'); // 'reminders'
 */
export const anyText: TextParser<string> = (text) => text;

/**
 * Text that matches `pattern` (which should be anchored), else `message`.
 *
 * @example
 * matching(/^[a-z]{3,}$/, 'NAME must be lower-case letters')('abc'); // 'abc'
 */
export const matching =
  (pattern: RegExp, message: string): TextParser<string> =>
  (text) =>
    pattern.test(text) ? text : fail(message);

/**
 * Text of at least `min` characters (UTF-16 code units), else `message`.
 *
 * @example
 * atLeastCharacters(3, 'EMAIL_FROM must be an address')('a@b.c'); // 'a@b.c'
 */
export const atLeastCharacters =
  (min: number, message: string): TextParser<string> =>
  (text) =>
    text.length >= min ? text : fail(message);

/**
 * A whole number of decimal digits from `min` to `max`. Refused with `notWhole` when the text is
 * not digits only (a sign, a point or a space included), else with `<name> must be at least <min>`
 * or `<name> must be at most <max>`.
 *
 * @example
 * wholeNumber('CLAIM_LEASE_SECONDS', 1, 86_400)('300'); // 300
 * wholeNumber('CLAIM_LEASE_SECONDS', 1, 86_400)('1.5'); // throws: CLAIM_LEASE_SECONDS must be a whole number from 1 to 86400
 */
export const wholeNumber =
  (
    name: string,
    min: number,
    max: number,
    notWhole = `${name} must be a whole number from ${min} to ${max}`,
  ): TextParser<number> =>
  (text) => {
    if (!/^\d+$/.test(text)) return fail(notWhole);
    const value = Number(text);
    if (value < min) return fail(`${name} must be at least ${min}`);
    if (value > max) return fail(`${name} must be at most ${max}`);
    return value;
  };

/**
 * A finite number above 0, written as JavaScript's `Number` reads it (`14`, `0.5`, `1e3`).
 *
 * @example
 * positiveNumber('SES_MAX_SEND_RATE')('14'); // 14
 * positiveNumber('SES_MAX_SEND_RATE')('0'); // throws: SES_MAX_SEND_RATE must be above 0
 */
export const positiveNumber =
  (name: string): TextParser<number> =>
  (text) => {
    const value = Number(text);
    if (!Number.isFinite(value)) return fail(`${name} must be a number`);
    return value > 0 ? value : fail(`${name} must be above 0`);
  };

/**
 * An absolute URL of any scheme, as the WHATWG URL parser accepts it; given back trimmed and
 * without the tabs and line breaks that parser ignores.
 *
 * @example
 * url('PUBLIC_URL')(' https://api.example.org/ '); // 'https://api.example.org/'
 * url('PUBLIC_URL')('not a url'); // throws: PUBLIC_URL must be a URL
 */
export const url =
  (name: string): TextParser<string> =>
  (text) => {
    const value = text.trim();
    return URL.canParse(value) ? value.replace(/[\t\n\r]/g, '') : fail(`${name} must be a URL`);
  };

/**
 * An IANA time zone known to this runtime, trimmed.
 *
 * @example
 * timeZone('DEFAULT_TIME_ZONE')('Europe/Lisbon'); // 'Europe/Lisbon'
 */
export const timeZone =
  (name: string): TextParser<string> =>
  (text) => {
    const zone = text.trim();
    return isKnownTimeZone(zone)
      ? zone
      : fail(`${name} must be an IANA time zone such as Europe/Lisbon`);
  };

/**
 * A comma-separated list of numbers, each read by `each` after trimming, without repeats and
 * largest first. The first bad item is refused with `each`'s message.
 *
 * @example
 * numberList(wholeNumber('each EXPIRY_WARNING_DAYS value', 1, 364))('7, 30,7'); // [30, 7]
 */
export const numberList =
  (each: TextParser<number>): TextParser<number[]> =>
  (text) => {
    const numbers = text.split(',').map((part) => each(part.trim()));
    return [...new Set(numbers)].sort((a, b) => b - a);
  };
