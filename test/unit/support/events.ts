import {
  type CertificationEvent,
  createEventValidator,
} from '../../../functions/domain/event-schemas';

/**
 * Builders of SPEC §2 events for the rule tests. Every event goes through the real validator
 * with a fixed clock far in the future, so the tests can use any past or future date.
 */

export const TEST_CLOCK = new Date('2035-01-01T00:00:00Z');

const validate = createEventValidator(() => TEST_CLOCK);

/** Validates a raw event and fails loudly when the builder produced something invalid. */
export const valid = (raw: unknown): CertificationEvent => {
  const result = validate(raw);
  if (!result.ok) throw new Error(`test event is invalid: ${JSON.stringify(result.issues)}`);
  return result.event;
};

export interface AttemptSpec {
  readonly attemptId: string;
  readonly candidateId: string;
  readonly credentialId?: string;
  readonly outcome: 'pass' | 'fail';
  readonly takenAt: string;
  /** Defaults to `takenAt`. */
  readonly timestamp?: string;
  readonly email?: string;
  readonly name?: string;
  readonly timeZone?: string;
  readonly credentialName?: string;
}

export const attemptRecorded = (spec: AttemptSpec) => ({
  type: 'attempt.recorded',
  timestamp: spec.timestamp ?? spec.takenAt,
  data: {
    attemptId: spec.attemptId,
    candidate: {
      candidateId: spec.candidateId,
      email: spec.email ?? `${spec.candidateId}@example.com`,
      ...(spec.name === undefined ? {} : { name: spec.name }),
      ...(spec.timeZone === undefined ? {} : { timeZone: spec.timeZone }),
    },
    credential: {
      credentialId: spec.credentialId ?? 'aws-cp',
      name: spec.credentialName ?? 'Cloud Practitioner',
    },
    outcome: spec.outcome,
    takenAt: spec.takenAt,
  },
});

export const candidateUpdated = (
  candidateId: string,
  timestamp: string,
  changes: Record<string, string | null>,
) => ({ type: 'candidate.updated', timestamp, data: { candidateId, ...changes } });

export const candidateErased = (candidateId: string, timestamp: string) => ({
  type: 'candidate.erased',
  timestamp,
  data: { candidateId },
});

export const accountMerged = (
  fromCandidateId: string,
  toCandidateId: string,
  timestamp: string,
) => ({
  type: 'account.merged',
  timestamp,
  data: { fromCandidateId, toCandidateId },
});
