import { describe, expect, it } from 'vitest';
import {
  nextRetryDelayMs,
  OUTBOUND_MAX_ATTEMPTS,
  OUTBOUND_MAX_DELAY_MS,
  retrySpanMs,
} from '../../../functions/domain/outbound-schedule';

/** SPEC §8: first retry within 60 s, growing, at most an hour apart, for at least 24 hours. */

const delays = () =>
  Array.from({ length: OUTBOUND_MAX_ATTEMPTS - 1 }, (_, index) => nextRetryDelayMs(index + 1));

describe('the outbound retry schedule', () => {
  it('retries first within 60 seconds', () => {
    // Assess
    expect(nextRetryDelayMs(1)).toBeLessThanOrEqual(60_000);
  });

  it('never shortens a delay, and never waits more than an hour', () => {
    // Act
    const all = delays() as number[];

    // Assess
    for (const [index, delay] of all.entries()) {
      expect(delay).toBeLessThanOrEqual(OUTBOUND_MAX_DELAY_MS);
      if (index > 0) expect(delay).toBeGreaterThanOrEqual(all[index - 1] as number);
    }
  });

  it('spans at least 24 hours before the last attempt, and not a whole hour more', () => {
    // Act
    const span = retrySpanMs();

    // Assess
    expect(span).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(span - (nextRetryDelayMs(OUTBOUND_MAX_ATTEMPTS - 1) as number)).toBeLessThan(
      24 * 3_600_000,
    );
  });

  it('ends after the last attempt: the event is dead-lettered', () => {
    // Assess
    expect(OUTBOUND_MAX_ATTEMPTS).toBe(30);
    expect(nextRetryDelayMs(OUTBOUND_MAX_ATTEMPTS - 1)).toBe(OUTBOUND_MAX_DELAY_MS);
    expect(nextRetryDelayMs(OUTBOUND_MAX_ATTEMPTS)).toBeUndefined();
  });
});
