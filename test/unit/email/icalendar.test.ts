import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, writeCalendar } from '../../../functions/email/icalendar';
import { parseCalendar } from './support/parse-calendar';

const octets = (line: string) => new TextEncoder().encode(line).length;

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11)', () => {
    // Act
    const escaped = escapeText('a\\b; c, d\r\ne\nf');

    // Assess
    expect(escaped).toBe('a\\\\b\\; c\\, d\\ne\\nf');
  });

  it('drops other control characters', () => {
    // Act
    const escaped = escapeText('bell\u0007 tab\t');

    // Assess
    expect(escaped).toBe('bell tab');
  });
});

describe('foldLine', () => {
  it('leaves a line of 75 octets whole', () => {
    // Act
    const folded = foldLine('x'.repeat(75));

    // Assess
    expect(folded).toBe('x'.repeat(75));
  });

  it('folds longer lines at 75 octets, continuing with a space', () => {
    // Act
    const lines = foldLine('x'.repeat(200)).split('\r\n');

    // Assess
    expect(lines.map(octets)).toEqual([75, 75, 52]);
    expect(lines.slice(1).every((line) => line.startsWith(' '))).toBe(true);
    expect(lines.map((line, index) => (index ? line.slice(1) : line)).join('')).toBe(
      'x'.repeat(200),
    );
  });

  it('never splits a UTF-8 character', () => {
    // Prepare: three-octet characters after one ASCII one, so 75 is not a multiple of 3 + 1.
    const line = `S${'有効期限'.repeat(30)}`;

    // Act
    const lines = foldLine(line).split('\r\n');

    // Assess
    expect(lines.every((part) => octets(part) <= 75)).toBe(true);
    expect(lines.map((part, index) => (index ? part.slice(1) : part)).join('')).toBe(line);
  });
});

describe('writeCalendar', () => {
  const event = {
    uid: 'abc@cert-reminders',
    start: '2027-11-29',
    end: '2028-02-28',
    summary: 'Renew; now, please \\ soon',
    description: `Line one\nLine two, ${'long '.repeat(30)}`,
    language: 'en',
  };

  it('ends every line with CRLF and keeps every line within 75 octets', () => {
    // Act
    const text = writeCalendar([event], '2027-11-29T13:00:00Z');

    // Assess
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.split('\r\n').every((line) => octets(line) <= 75)).toBe(true);
  });

  it('writes what ical.js reads back: dates, text, stamp, method', () => {
    // Act
    const calendar = parseCalendar(writeCalendar([event], '2027-11-29T13:00:00+01:00'));

    // Assess
    expect(calendar.method).toBe('PUBLISH');
    expect(calendar.events).toEqual([
      {
        uid: 'abc@cert-reminders',
        summary: 'Renew; now, please \\ soon',
        description: event.description,
        start: '2027-11-29',
        end: '2028-02-28',
        startIsDate: true,
        endIsDate: true,
        summaryLanguage: 'en',
        stamp: '2027-11-29T12:00:00Z',
      },
    ]);
  });

  it('writes an empty calendar for no events', () => {
    // Act
    const calendar = parseCalendar(writeCalendar([], '2027-11-29T13:00:00Z'));

    // Assess
    expect(calendar.events).toEqual([]);
  });

  it('refuses an invalid stamp', () => {
    // Act
    const write = () => writeCalendar([event], 'not an instant');

    // Assess
    expect(write).toThrow(RangeError);
  });
});
