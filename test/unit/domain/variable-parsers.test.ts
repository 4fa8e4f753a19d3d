import { describe, expect, it } from 'vitest';
import {
  anyText,
  atLeastCharacters,
  matching,
  numberList,
  optional,
  positiveNumber,
  timeZone,
  trimmed,
  url,
  wholeNumber,
  withDefault,
} from '../../../functions/domain/variable-parsers';

/** The plain parsers of the runtime configuration (SPEC §6), read without a schema library. */

describe('withDefault and optional', () => {
  it('give the fallback, or undefined, when the variable is unset, and parse it when set', () => {
    // Prepare
    const hour = wholeNumber('SEND_HOUR', 0, 23);

    // Act & Assess
    expect(withDefault(hour, 0)(undefined)).toBe(0);
    expect(withDefault(hour, 0)('9')).toBe(9);
    expect(optional(hour)(undefined)).toBeUndefined();
    expect(optional(anyText)('reminders')).toBe('reminders');
  });
});

describe('wholeNumber', () => {
  const lease = wholeNumber('CLAIM_LEASE_SECONDS', 1, 86_400);

  it('reads digits within the bounds, leading zeros included', () => {
    // Act & Assess
    expect(lease('300')).toBe(300);
    expect(lease('0086400')).toBe(86_400);
  });

  it.each([
    ['1.5', 'CLAIM_LEASE_SECONDS must be a whole number from 1 to 86400'],
    ['-1', 'CLAIM_LEASE_SECONDS must be a whole number from 1 to 86400'],
    [' 3', 'CLAIM_LEASE_SECONDS must be a whole number from 1 to 86400'],
    ['1e3', 'CLAIM_LEASE_SECONDS must be a whole number from 1 to 86400'],
    ['0', 'CLAIM_LEASE_SECONDS must be at least 1'],
    ['86401', 'CLAIM_LEASE_SECONDS must be at most 86400'],
    ['9'.repeat(400), 'CLAIM_LEASE_SECONDS must be at most 86400'],
  ])('refuses %j naming the variable', (text, message) => {
    // Act & Assess
    expect(() => lease(text)).toThrow(new Error(message));
  });

  it('refuses text that is not digits with the message it is given, and trims when asked', () => {
    // Prepare
    const hour = trimmed(wholeNumber('SEND_HOUR', 0, 23, 'SEND_HOUR must be a whole number'));

    // Act & Assess
    expect(hour(' 9 ')).toBe(9);
    expect(() => hour('nine')).toThrow(new Error('SEND_HOUR must be a whole number'));
  });
});

describe('positiveNumber', () => {
  const rate = positiveNumber('SES_MAX_SEND_RATE');

  it('reads any finite number above 0 as JavaScript writes it', () => {
    // Act & Assess
    expect(rate('14')).toBe(14);
    expect(rate(' 0.5 ')).toBe(0.5);
    expect(rate('1e3')).toBe(1000);
  });

  it.each([
    ['fast', 'SES_MAX_SEND_RATE must be a number'],
    ['Infinity', 'SES_MAX_SEND_RATE must be a number'],
    ['0', 'SES_MAX_SEND_RATE must be above 0'],
    ['-2', 'SES_MAX_SEND_RATE must be above 0'],
  ])('refuses %j', (text, message) => {
    // Act & Assess
    expect(() => rate(text)).toThrow(new Error(message));
  });
});

describe('url', () => {
  const publicUrl = url('PUBLIC_URL');

  it('accepts any absolute URL, trimmed and without tabs or line breaks', () => {
    // Act & Assess
    expect(publicUrl(' https://api.example.org/ ')).toBe('https://api.example.org/');
    expect(publicUrl('https://exa\nmple.com/')).toBe('https://example.com/');
    expect(publicUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(publicUrl('mailto:team@example.org')).toBe('mailto:team@example.org');
  });

  it.each(['not a url', 'queue', '/relative/path', 'https://'])('refuses %j', (text) => {
    // Act & Assess
    expect(() => publicUrl(text)).toThrow(new Error('PUBLIC_URL must be a URL'));
  });
});

describe('text checks', () => {
  it('match a pattern or a length, else refuse with their message', () => {
    // Prepare
    const table = matching(/^[A-Za-z0-9_.-]{3,255}$/, 'TABLE_NAME must be a valid name');
    const from = atLeastCharacters(3, 'EMAIL_FROM must be an address');

    // Act & Assess
    expect(table('cert-reminders')).toBe('cert-reminders');
    expect(() => table('x')).toThrow(new Error('TABLE_NAME must be a valid name'));
    expect(from('a@b')).toBe('a@b');
    expect(() => from('ab')).toThrow(new Error('EMAIL_FROM must be an address'));
  });
});

describe('timeZone', () => {
  it('accepts a known IANA zone, trimmed, and refuses others naming the variable', () => {
    // Prepare
    const zone = timeZone('DEFAULT_TIME_ZONE');

    // Act & Assess
    expect(zone(' Europe/Lisbon ')).toBe('Europe/Lisbon');
    expect(() => zone('Mars/Olympus')).toThrow(
      new Error('DEFAULT_TIME_ZONE must be an IANA time zone such as Europe/Lisbon'),
    );
  });
});

describe('numberList', () => {
  const days = numberList(wholeNumber('each EXPIRY_WARNING_DAYS value', 1, 364));

  it('reads a comma-separated list, trimmed, without repeats and largest first', () => {
    // Act & Assess
    expect(days('7, 30,60')).toEqual([60, 30, 7]);
    expect(days('30,30,7')).toEqual([30, 7]);
  });

  it('refuses the first bad item with its message, an empty one included', () => {
    // Act & Assess
    expect(() => days('30,abc,0')).toThrow(
      new Error('each EXPIRY_WARNING_DAYS value must be a whole number from 1 to 364'),
    );
    expect(() => days('30,')).toThrow(/each EXPIRY_WARNING_DAYS value must be a whole number/);
    expect(() => days('365')).toThrow(
      new Error('each EXPIRY_WARNING_DAYS value must be at most 364'),
    );
  });
});
