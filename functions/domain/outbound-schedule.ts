/**
 * When an outbound webhook is tried again (SPEC §8): the first retry within 60 seconds, then
 * growing delays up to an hour apart, for at least 24 hours, after which it is dead-lettered.
 *
 * Delays after each failed attempt: 30 s, 2 min, 5 min, 15 min, 30 min, then hourly. The number
 * of attempts is the smallest whose retries span 24 hours: {@link OUTBOUND_MAX_ATTEMPTS}.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The growing delays before the hourly ones. */
const FIRST_DELAYS_MS = [30 * SECOND, 2 * MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE] as const;
/** The longest delay between two attempts. */
export const OUTBOUND_MAX_DELAY_MS = HOUR;
/** How long an event is retried before it is dead-lettered, at least. */
export const OUTBOUND_RETRY_SPAN_MS = 24 * HOUR;

const delayAfter = (attempt: number): number =>
  FIRST_DELAYS_MS[attempt - 1] ?? OUTBOUND_MAX_DELAY_MS;

const attemptsSpanning = (span: number): number => {
  let elapsed = 0;
  let attempts = 1;
  while (elapsed < span) {
    elapsed += delayAfter(attempts);
    attempts += 1;
  }
  return attempts;
};

/** Attempts of one event, the first included, before it is dead-lettered (30). */
export const OUTBOUND_MAX_ATTEMPTS = attemptsSpanning(OUTBOUND_RETRY_SPAN_MS);

/**
 * The delay before the next attempt, after `attempts` attempts failed; `undefined` once the
 * schedule is exhausted and the event goes to the dead letters.
 *
 * @example
 * nextRetryDelayMs(1); // 30_000
 * nextRetryDelayMs(6); // 3_600_000
 * nextRetryDelayMs(OUTBOUND_MAX_ATTEMPTS); // undefined
 */
export const nextRetryDelayMs = (attempts: number): number | undefined =>
  attempts >= OUTBOUND_MAX_ATTEMPTS ? undefined : delayAfter(Math.max(1, attempts));

/**
 * The time from the first attempt to the last, when every attempt fails (about 24.9 hours).
 *
 * @example
 * retrySpanMs() >= 24 * 3600 * 1000; // true
 */
export const retrySpanMs = (): number => {
  let total = 0;
  for (let attempt = 1; attempt < OUTBOUND_MAX_ATTEMPTS; attempt += 1) total += delayAfter(attempt);
  return total;
};
