import type { IsoInstant, LocalDate } from '../domain/calendar';

/**
 * A minimal iCalendar (RFC 5545) writer for what the reminder email attaches: one `VCALENDAR`
 * (`METHOD:PUBLISH`) of all-day `VEVENT`s. Lines end in CRLF and are folded at 75 octets
 * without splitting a UTF-8 character (§3.1); text values are escaped (§3.3.11). Pure.
 *
 * Why not `ical-generator`: it weighs about 37 KB minified, more than the sender's whole byte
 * headroom (SPEC §12); the tests parse every file this writes with `ical.js`.
 */

/** One all-day event. */
export interface AllDayEvent {
  /** Globally unique and stable, e.g. `3f9a…@cert-reminders`. */
  readonly uid: string;
  /** The first day. */
  readonly start: LocalDate;
  /** The day after the last one (`DTEND` is exclusive). */
  readonly end: LocalDate;
  readonly summary: string;
  readonly description?: string;
  /** The language of `summary` and `description`, as a `LANGUAGE` parameter. */
  readonly language?: string;
}

/** The calendar's `PRODID`. */
export const PRODUCT_ID = '-//cert-reminders//Certification Reminders//EN';

/** The longest line, in octets, before folding (RFC 5545 §3.1). */
const LINE_OCTETS = 75;

const encoder = new TextEncoder();

/**
 * Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks; other
 * control characters, which TEXT may not hold, are dropped.
 *
 * @example
 * escapeText('Renew; then relax,\nplease'); // 'Renew\\; then relax\\,\\nplease'
 */
export const escapeText = (value: string): string =>
  value
    .replace(/\r\n?/g, '\n')
    .replace(/[\\;,]/g, (character) => `\\${character}`)
    .replace(/\n/g, '\\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping them is the point
    .replace(/[\u0000-\u001f\u007f]/g, '');

/**
 * Folds one content line into lines of at most 75 octets, each continuation starting with a space
 * (RFC 5545 §3.1), never inside a UTF-8 character; joined with CRLF.
 *
 * @example
 * foldLine(`SUMMARY:${'x'.repeat(80)}`).split('\r\n').map((line) => line.length); // [75, 14]
 */
export const foldLine = (line: string): string => {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = encoder.encode(character).length;
    if (octets + size > LINE_OCTETS) {
      lines.push(current);
      current = ' ';
      octets = 1;
    }
    current += character;
    octets += size;
  }
  lines.push(current);
  return lines.join('\r\n');
};

/** `2027-11-29` as an RFC 5545 DATE, `20271129`. */
const dateValue = (date: LocalDate): string => date.replaceAll('-', '');

/** An instant as an RFC 5545 UTC DATE-TIME, `20271129T130000Z` (whole seconds). */
const dateTimeValue = (instant: IsoInstant): string =>
  new Date(instant)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');

const textProperty = (name: string, value: string, language: string | undefined): string =>
  `${name}${language === undefined ? '' : `;LANGUAGE=${language}`}:${escapeText(value)}`;

/**
 * Writes a calendar of all-day events, stamped (`DTSTAMP`) with `stampedAt`.
 *
 * @throws {RangeError} when `stampedAt` is not a valid instant.
 * @example
 * writeCalendar(
 *   [{ uid: 'a1@cert-reminders', start: '2027-11-29', end: '2028-02-28', summary: 'Renew' }],
 *   '2027-11-29T13:00:00Z',
 * );
 * // 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…DTSTART;VALUE=DATE:20271129\r\nDTEND;VALUE=DATE:20280228\r\n…'
 */
export const writeCalendar = (events: readonly AllDayEvent[], stampedAt: IsoInstant): string => {
  const stamp = dateTimeValue(stampedAt);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODUCT_ID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ];
  for (const event of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${dateValue(event.start)}`,
      `DTEND;VALUE=DATE:${dateValue(event.end)}`,
      textProperty('SUMMARY', event.summary, event.language),
    );
    if (event.description !== undefined) {
      lines.push(textProperty('DESCRIPTION', event.description, event.language));
    }
    lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
};
