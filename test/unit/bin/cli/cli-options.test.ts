import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../bin/cli/cli-errors';
import { formatTable, parseDateOption, parseRunInstant } from '../../../../bin/cli/cli-options';

describe('parseRunInstant (`run --now`)', () => {
  it.each([
    ['a bare date means 13:00 UTC that day', '2027-11-29', '2027-11-29T13:00:00Z'],
    ['a leap day', '2028-02-29', '2028-02-29T13:00:00Z'],
    ['a UTC instant stays as it is', '2027-11-29T13:00:00Z', '2027-11-29T13:00:00Z'],
    [
      'an instant with a positive offset is normalised to UTC',
      '2027-11-29T15:00:00+02:00',
      '2027-11-29T13:00:00Z',
    ],
    [
      'an instant with a negative offset is normalised to UTC',
      '2027-11-29T08:00:00-05:00',
      '2027-11-29T13:00:00Z',
    ],
    [
      'an offset across midnight moves the date',
      '2027-11-30T01:30:00+05:30',
      '2027-11-29T20:00:00Z',
    ],
    ['minutes without seconds', '2027-11-29T13:00Z', '2027-11-29T13:00:00Z'],
    ['a fraction of a second is kept', '2027-11-29T13:00:00.250Z', '2027-11-29T13:00:00.25Z'],
  ])('%s: %s → %s', (_label, value, expected) => {
    // Act
    const instant = parseRunInstant(value);

    // Assess
    expect(instant).toBe(expected);
  });

  it.each([
    ['a word', 'tomorrow'],
    ['an empty value', ''],
    ['an instant without an offset', '2027-11-29T13:00:00'],
    ['a date that does not exist', '2027-02-30'],
    ['a date in another order', '29/11/2027'],
    ['Unix seconds', '1827666000'],
  ])('refuses %s (%j) with a usage error naming --now and the value', (_label, value) => {
    // Act
    const parse = () => parseRunInstant(value);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(`--now must be an ISO instant with an offset`);
    expect(parse).toThrow(`got "${value}"`);
  });
});

describe('parseDateOption', () => {
  it.each(['2027-11-29', '2028-02-29', '2000-01-01'])('accepts the calendar date %s', (value) => {
    // Act
    const date = parseDateOption('--from')(value);

    // Assess
    expect(date).toBe(value);
  });

  it.each([
    ['a day that does not exist', '2027-02-29'],
    ['a month that does not exist', '2027-13-01'],
    ['an instant', '2027-11-29T13:00:00Z'],
    ['a date without leading zeros', '2027-1-5'],
    ['an empty value', ''],
  ])('refuses %s with a usage error naming the flag and the value', (_label, value) => {
    // Act
    const parse = () => parseDateOption('--to')(value);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(`--to must be a calendar date YYYY-MM-DD, got "${value}"`);
  });
});

describe('formatTable', () => {
  it('aligns columns to their widest cell, with a rule under the headers', () => {
    // Prepare
    const headers = ['DUE', 'KIND', 'CANDIDATE'];
    const rows = [
      ['2027-11-29', 'renewal_window_open', 'cand-ana'],
      ['2027-12-30', 'expired', 'cand-bo'],
    ];

    // Act
    const table = formatTable(headers, rows);

    // Assess
    expect(table.split('\n')).toEqual([
      'DUE         KIND                 CANDIDATE',
      '----------  -------------------  ---------',
      '2027-11-29  renewal_window_open  cand-ana',
      '2027-12-30  expired              cand-bo',
    ]);
  });

  it('does not pad the last column nor leave trailing spaces', () => {
    // Prepare
    const rows = [
      ['a', ''],
      ['bbb', 'x'],
    ];

    // Act
    const table = formatTable(['H1', 'H2'], rows);

    // Assess
    expect(table.split('\n')).toEqual(['H1   H2', '---  --', 'a', 'bbb  x']);
  });

  it('treats missing cells as empty', () => {
    // Prepare
    const rows = [['only-first']];

    // Act
    const table = formatTable(['A', 'B', 'C'], rows);

    // Assess
    expect(table.split('\n')).toEqual(['A           B  C', '----------  -  -', 'only-first']);
  });

  it('renders just the headers and the rule when there are no rows', () => {
    // Act
    const table = formatTable(['ONE', 'TWO'], []);

    // Assess
    expect(table).toBe('ONE  TWO\n---  ---');
  });
});
