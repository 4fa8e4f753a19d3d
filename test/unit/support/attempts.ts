import type { Attempt } from '../../../functions/domain/reminder-rules';

/** Builders of the attempts the rules take (SPEC §1): a pass or a failure at an instant. */

export const pass = (attemptId: string, takenAt: string): Attempt => ({
  attemptId,
  outcome: 'pass',
  takenAt,
});

export const fail = (attemptId: string, takenAt: string): Attempt => ({
  attemptId,
  outcome: 'fail',
  takenAt,
});
