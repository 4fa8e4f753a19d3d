import { afterEach, describe, expect, it } from 'vitest';
import { createDateWriter } from '../../../functions/email/dates';

describe('createDateWriter', () => {
  const originalZone = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalZone;
  });

  it('writes British English in the house style, with and without the weekday', () => {
    // Act
    const dates = createDateWriter('en-GB');

    // Assess
    expect(dates.locale).toBe('en-GB');
    expect(dates.words('2027-11-29')).toBe('Monday 29 November 2027');
    expect(dates.long('2027-11-29')).toBe('Monday 29 November 2027 (2027-11-29)');
    expect(dates.short('2028-02-28')).toBe('28 February 2028 (2028-02-28)');
  });

  it('keeps CLDR format for other locales', () => {
    // Act
    const dates = createDateWriter('en-US');

    // Assess
    expect(dates.long('2027-11-29')).toBe('Monday, November 29, 2027 (2027-11-29)');
    expect(dates.short('2028-02-28')).toBe('February 28, 2028 (2028-02-28)');
  });

  it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago'])(
    'writes the same day under host zone %s',
    (zone) => {
      // Prepare
      process.env.TZ = zone;

      // Act
      const words = createDateWriter('en-GB').words('2028-02-29');

      // Assess
      expect(words).toBe('Tuesday 29 February 2028');
    },
  );
});
