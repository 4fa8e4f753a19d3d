import { compareDates, type LocalDate } from './calendar';
import { DEFAULT_TERMS, type PolicyLookup } from './credential-policy';
import { type Attempt, dateAttempts, passDates, retakeFromOf } from './reminder-rules';

export type CredentialStatusName = 'valid' | 'expired' | 'not_certified';

/** Where a candidate stands with one credential on a given local date. */
export interface CredentialStatus {
  readonly status: CredentialStatusName;
  readonly passedOn?: LocalDate;
  readonly renewalOpensOn?: LocalDate;
  readonly expiresOn?: LocalDate;
  /** The first date on which the candidate may sit the exam (absent: any time). */
  readonly nextAttemptFrom?: LocalDate;
}

/**
 * The status of one credential on local date `on`, judged on attempts taken on or before it,
 * under the policy versions `versionOn` finds (default: SPEC §1's).
 *
 * @example
 * credentialStatusOn([{ attemptId: 'a', outcome: 'pass', takenAt: '2027-01-10T09:00:00Z' }], 'UTC', '2027-05-01');
 * // { status: 'valid', passedOn: '2027-01-10', renewalOpensOn: '2027-10-10', expiresOn: '2028-01-10', nextAttemptFrom: '2027-10-10' }
 */
export const credentialStatusOn = (
  attempts: readonly Attempt[],
  timeZone: string,
  on: LocalDate,
  versionOn: PolicyLookup = () => DEFAULT_TERMS,
): CredentialStatus => {
  const taken = dateAttempts(attempts, timeZone).filter(
    (attempt) => compareDates(attempt.localDate, on) <= 0,
  );
  const latest = taken.at(-1);
  const latestPassIndex = taken.findLastIndex((attempt) => attempt.outcome === 'pass');
  const latestPass = taken[latestPassIndex];
  const failureWait =
    latest?.outcome === 'fail'
      ? retakeFromOf(
          latest.localDate,
          latestPass?.localDate,
          versionOn(latest.localDate).retakeWaitDays,
          latestPass === undefined ? undefined : versionOn(latestPass.localDate),
        )
      : undefined;
  const stillWaiting = failureWait !== undefined && compareDates(failureWait, on) > 0;
  if (latestPass === undefined) {
    return { status: 'not_certified', ...(stillWaiting ? { nextAttemptFrom: failureWait } : {}) };
  }
  const { expiresOn, renewalOpensOn } = passDates(
    latestPass.localDate,
    versionOn(latestPass.localDate),
  );
  const valid = compareDates(on, expiresOn) < 0;
  const nextAttemptFrom = failureWait ?? (valid ? renewalOpensOn : undefined);
  return {
    status: valid ? 'valid' : 'expired',
    passedOn: latestPass.localDate,
    ...(renewalOpensOn === undefined ? {} : { renewalOpensOn }),
    expiresOn,
    ...(nextAttemptFrom && compareDates(nextAttemptFrom, on) > 0 ? { nextAttemptFrom } : {}),
  };
};
