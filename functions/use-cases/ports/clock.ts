/**
 * The wall clock, injected so that nothing below the composition roots reads the time itself.
 * Judgements of a run use the run's own instant; the clock serves what asks "when is it now":
 * claim leases, webhook timestamps, when an unsubscribe or a bounce happened.
 */
export interface Clock {
  now(): Date;
}

/** The system clock: used by the composition roots only. */
export const systemClock: Clock = { now: () => new Date() };
