import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULE_SETTINGS,
  ruleSettingsFromEnv,
} from '../../../functions/domain/rule-settings';

/** SPEC §6: the rule knobs and their defaults. */

describe('rule settings from the environment', () => {
  it('default to DEFAULT_TIME_ZONE=UTC, SEND_HOUR=0, EXPIRY_WARNING_DAYS=30, MAX_LATENESS_DAYS=14', () => {
    // Act
    const settings = ruleSettingsFromEnv({});

    // Assess
    expect(settings).toEqual({
      defaultTimeZone: 'UTC',
      sendHour: 0,
      expiryWarningDays: [30],
      maxLatenessDays: 14,
    });
    expect(DEFAULT_RULE_SETTINGS).toEqual(settings);
  });

  it('read every variable', () => {
    // Act
    const settings = ruleSettingsFromEnv({
      DEFAULT_TIME_ZONE: 'Europe/Lisbon',
      SEND_HOUR: '9',
      EXPIRY_WARNING_DAYS: '7, 30,60',
      MAX_LATENESS_DAYS: '3',
      UNRELATED: 'x',
    });

    // Assess
    expect(settings).toEqual({
      defaultTimeZone: 'Europe/Lisbon',
      sendHour: 9,
      expiryWarningDays: [60, 30, 7],
      maxLatenessDays: 3,
    });
  });

  it.each([
    ['SEND_HOUR', '24'],
    ['SEND_HOUR', '-1'],
    ['SEND_HOUR', 'nine'],
    ['DEFAULT_TIME_ZONE', 'Mars/Olympus'],
    ['EXPIRY_WARNING_DAYS', '30,abc'],
    ['MAX_LATENESS_DAYS', '1.5'],
  ])('refuse %s=%j with a message naming the variable', (name, value) => {
    // Act
    const read = () => ruleSettingsFromEnv({ [name]: value });

    // Assess
    expect(read).toThrow(new RegExp(name));
  });
});
