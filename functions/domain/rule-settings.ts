import type { CredentialPolicies } from './credential-policy';
import { numberList, timeZone, trimmed, wholeNumber, withDefault } from './variable-parsers';

/** The knobs of the rules: everything that SPEC §6 lets an operator change about dates. */
export interface RuleSettings {
  /** Zone for candidates without one (`DEFAULT_TIME_ZONE`). */
  readonly defaultTimeZone: string;
  /** Hours after local midnight at which a reminder becomes due (`SEND_HOUR`). */
  readonly sendHour: number;
  /** Days before expiry at which `expiring_soon` is due, largest first (`EXPIRY_WARNING_DAYS`). */
  readonly expiryWarningDays: readonly number[];
  /** A reminder more than this many days late is skipped as stale (`MAX_LATENESS_DAYS`). */
  readonly maxLatenessDays: number;
  /**
   * The credential policies of `POLICY_FILE` (SPEC §9), resolved; absent: the default policy of
   * SPEC §1 (with `expiryWarningDays`) for every credential.
   */
  readonly policies?: CredentialPolicies;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = Object.freeze({
  defaultTimeZone: 'UTC',
  sendHour: 0,
  expiryWarningDays: Object.freeze([30]),
  maxLatenessDays: 14,
});

const settingWhole = (name: string, min: number, max: number) =>
  trimmed(wholeNumber(name, min, max, `${name} must be a whole number`));

const warningDays = numberList(settingWhole('each EXPIRY_WARNING_DAYS value', 1, 364));

/** Each variable's parser, in the order they are checked (the first bad one is reported). */
const settingsFromEnvironment = {
  DEFAULT_TIME_ZONE: withDefault(timeZone('DEFAULT_TIME_ZONE'), 'UTC'),
  SEND_HOUR: withDefault(settingWhole('SEND_HOUR', 0, 23), 0),
  // A fresh default list per read, as the days are not frozen.
  EXPIRY_WARNING_DAYS: (text: string | undefined) =>
    text === undefined ? [30] : warningDays(text),
  MAX_LATENESS_DAYS: withDefault(settingWhole('MAX_LATENESS_DAYS', 0, 365), 14),
};

/**
 * Reads {@link RuleSettings} from environment variables, with SPEC §6 defaults.
 *
 * @throws Error with a one-line message naming the bad variable.
 * @example
 * ruleSettingsFromEnv({ EXPIRY_WARNING_DAYS: '30,7' }).expiryWarningDays; // [30, 7]
 */
export const ruleSettingsFromEnv = (env: Record<string, string | undefined>): RuleSettings => {
  const read = <Name extends keyof typeof settingsFromEnvironment>(name: Name) => {
    const text = env[name];
    return settingsFromEnvironment[name](text === '' ? undefined : text) as ReturnType<
      (typeof settingsFromEnvironment)[Name]
    >;
  };
  return {
    defaultTimeZone: read('DEFAULT_TIME_ZONE'),
    sendHour: read('SEND_HOUR'),
    expiryWarningDays: read('EXPIRY_WARNING_DAYS'),
    maxLatenessDays: read('MAX_LATENESS_DAYS'),
  };
};
