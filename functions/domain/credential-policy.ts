import { compareDates, type LocalDate } from './calendar';

/**
 * Credential policies (SPEC §9): the numbers of the rules of §1, per credential and in versions.
 * Pure: the policy is a value, resolved by the local date of the attempt it governs.
 */

/** The numbers of SPEC §1: the default credential policy. */
export const VALIDITY_MONTHS = 12;
export const RENEWAL_OPENS_AFTER_MONTHS = 9;
export const WAIT_AFTER_FAILURE_DAYS = 25;

/** The terms one policy version sets (every field resolved: missing ones come from `default`). */
export interface PolicyTerms {
  /** A pass is valid for this many months (`expiresOn` = P + N months). */
  readonly validityMonths: number;
  /** The renewal window opens this many months after a pass (`renewalOpensOn`). */
  readonly renewalOpensAfterMonths: number;
  /** `false`: no renewal window, no `renewal_window_open` reminder, no renewal wait. */
  readonly renewable: boolean;
  /** Days a failed attempt waits before a retake. */
  readonly retakeWaitDays: number;
  /** Days before expiry of each `expiring_soon` reminder, largest first (may be empty). */
  readonly expiryWarningDays: readonly number[];
}

/** The terms that govern one attempt, and where they come from. */
export interface PolicyVersion extends PolicyTerms {
  /** First local date of the version; absent for the default policy. */
  readonly effectiveFrom?: LocalDate;
}

/** A version of a credential's policy, in force from `effectiveFrom`. */
export interface DatedPolicyVersion extends PolicyTerms {
  readonly effectiveFrom: LocalDate;
}

/** A whole policy file, resolved: the default and each credential's versions, oldest first. */
export interface CredentialPolicies {
  readonly default: PolicyTerms;
  readonly credentials: Readonly<Record<string, readonly DatedPolicyVersion[]>>;
}

/** Finds the version in force on a local date (of one credential). */
export type PolicyLookup = (on: LocalDate) => PolicyVersion;

/**
 * The default policy of SPEC §1 with the given warnings (`EXPIRY_WARNING_DAYS`).
 *
 * @example
 * defaultTerms([30]).validityMonths; // 12
 */
export const defaultTerms = (expiryWarningDays: readonly number[]): PolicyTerms => ({
  validityMonths: VALIDITY_MONTHS,
  renewalOpensAfterMonths: RENEWAL_OPENS_AFTER_MONTHS,
  renewable: true,
  retakeWaitDays: WAIT_AFTER_FAILURE_DAYS,
  expiryWarningDays,
});

/** SPEC §1 with its default warning, `EXPIRY_WARNING_DAYS=30`. */
export const DEFAULT_TERMS: PolicyTerms = Object.freeze(defaultTerms(Object.freeze([30])));

/** The policies in force: the file's when one was given, else the default for every credential. */
export const policiesOf = (settings: {
  readonly expiryWarningDays: readonly number[];
  readonly policies?: CredentialPolicies;
}): CredentialPolicies =>
  settings.policies ?? { default: defaultTerms(settings.expiryWarningDays), credentials: {} };

/**
 * The version of `credentialId`'s policy in force on local date `on`: the latest version whose
 * `effectiveFrom` is on or before it, or the default for dates before the first version (and for
 * credentials the file does not name).
 *
 * @example
 * policyFor(policies, 'aws-saa', '2027-02-28').validityMonths; // 36
 * policyFor(policies, 'aws-saa', '1999-12-31').effectiveFrom; // undefined: the default
 */
export const policyFor = (
  policies: CredentialPolicies,
  credentialId: string,
  on: LocalDate,
): PolicyVersion => {
  const versions = Object.hasOwn(policies.credentials, credentialId)
    ? (policies.credentials[credentialId] ?? [])
    : [];
  for (let index = versions.length - 1; index >= 0; index -= 1) {
    const version = versions[index] as DatedPolicyVersion;
    if (compareDates(version.effectiveFrom, on) <= 0) return version;
  }
  return policies.default;
};

/**
 * The lookup of one credential's versions, for the rules.
 *
 * @example
 * const versionOn = policyLookupOf(settings, 'aws-saa');
 * versionOn('2027-02-28').retakeWaitDays; // 14
 */
export const policyLookupOf = (
  settings: Parameters<typeof policiesOf>[0],
  credentialId: string,
): PolicyLookup => {
  const policies = policiesOf(settings);
  return (on) => policyFor(policies, credentialId, on);
};

/**
 * How a `why` names the version: nothing for the default policy (SPEC §1's texts stay as they
 * are), " under the policy from D" for a dated version.
 *
 * @example
 * underPolicy({ ...DEFAULT_TERMS, effectiveFrom: '2000-01-01' }); // ' under the policy from 2000-01-01'
 */
export const underPolicy = (version: PolicyVersion): string =>
  version.effectiveFrom === undefined ? '' : ` under the policy from ${version.effectiveFrom}`;
