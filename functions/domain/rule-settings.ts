import * as z from 'zod/mini';
import { isKnownTimeZone } from './calendar';

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
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = Object.freeze({
  defaultTimeZone: 'UTC',
  sendHour: 0,
  expiryWarningDays: Object.freeze([30]),
  maxLatenessDays: 14,
});

const integerText = (name: string, min: number, max: number) =>
  z.pipe(
    z.pipe(
      z.string().check(z.trim(), z.regex(/^\d+$/, `${name} must be a whole number`)),
      z.transform(Number),
    ),
    z
      .number()
      .check(
        z.gte(min, `${name} must be at least ${min}`),
        z.lte(max, `${name} must be at most ${max}`),
      ),
  );

const settingsFromEnvironment = z.object({
  DEFAULT_TIME_ZONE: z._default(
    z
      .string()
      .check(
        z.trim(),
        z.refine(
          isKnownTimeZone,
          'DEFAULT_TIME_ZONE must be an IANA time zone such as Europe/Lisbon',
        ),
      ),
    'UTC',
  ),
  SEND_HOUR: z._default(integerText('SEND_HOUR', 0, 23), 0),
  EXPIRY_WARNING_DAYS: z._default(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((text: string) => text.split(',').map((part) => part.trim())),
      ),
      z.pipe(
        z.array(integerText('each EXPIRY_WARNING_DAYS value', 1, 364)),
        z.transform((days: number[]) => [...new Set(days)].sort((a, b) => b - a)),
      ),
    ),
    [30],
  ),
  MAX_LATENESS_DAYS: z._default(integerText('MAX_LATENESS_DAYS', 0, 365), 14),
});

/**
 * Reads {@link RuleSettings} from environment variables, with SPEC §6 defaults.
 *
 * @throws Error with a one-line message naming the bad variable.
 * @example
 * ruleSettingsFromEnv({ EXPIRY_WARNING_DAYS: '30,7' }).expiryWarningDays; // [30, 7]
 */
export const ruleSettingsFromEnv = (env: Record<string, string | undefined>): RuleSettings => {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = settingsFromEnvironment.safeParse(present);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(first ? first.message : 'invalid rule settings');
  }
  return {
    defaultTimeZone: parsed.data.DEFAULT_TIME_ZONE,
    sendHour: parsed.data.SEND_HOUR,
    expiryWarningDays: parsed.data.EXPIRY_WARNING_DAYS,
    maxLatenessDays: parsed.data.MAX_LATENESS_DAYS,
  };
};
