import { Temporal } from 'temporal-polyfill';
import { isCalendarDate } from '../../functions/domain/calendar';
import { UsageError } from './cli-errors';

/** Parses a `YYYY-MM-DD` option value. */
export const parseDateOption =
  (flag: string) =>
  (value: string): string => {
    if (!isCalendarDate(value))
      throw new UsageError(`${flag} must be a calendar date YYYY-MM-DD, got "${value}"`);
    return value;
  };

/**
 * Parses `--now`: an ISO instant with offset, or a bare date meaning 13:00 UTC that day.
 *
 * @example
 * parseRunInstant('2027-11-29'); // '2027-11-29T13:00:00Z'
 */
export const parseRunInstant = (value: string): string => {
  if (isCalendarDate(value)) return `${value}T13:00:00Z`;
  try {
    return Temporal.Instant.from(value).toString();
  } catch {
    throw new UsageError(
      `--now must be an ISO instant with an offset (2027-11-29T13:00:00Z) or a date (2027-11-29), got "${value}"`,
    );
  }
};

/** Renders rows as an aligned plain-text table. */
export const formatTable = (
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string => {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    render(headers),
    render(widths.map((width) => '-'.repeat(width))),
    ...rows.map(render),
  ].join('\n');
};
