import { compareDates, isCalendarDate, type LocalDate } from './calendar';
import {
  type CredentialPolicies,
  type DatedPolicyVersion,
  defaultTerms,
  type PolicyTerms,
} from './credential-policy';

/**
 * The policy file of SPEC §9 once its shape is known to be right: resolving it into the
 * {@link CredentialPolicies} of the rules, with the refusals that compare fields (versions out of
 * order, warnings too early for the validity, a renewal window that opens after expiry). No schema
 * library: the shape is checked by `policy-schema.ts` (`policy check`, the local stack, `cdk
 * synth`), and the functions read the document synth checked, so their bundles need none.
 */

/** One problem with a policy file: the field's path and what is wrong with it. */
export interface PolicyIssue {
  readonly path: string;
  readonly message: string;
}

export type PolicyParse =
  | { readonly ok: true; readonly policies: CredentialPolicies }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

/** The shortest month: a warning of N ≥ 28 × validityMonths days could fall on or before the pass. */
export const SHORTEST_MONTH_DAYS = 28;

/** The refusal of a file that is not a JSON object. */
export const NOT_A_DOCUMENT =
  'a policy file must be a JSON object with "default" and "credentials"';

/** The terms a file sets for `default` or a version; missing ones are inherited. */
export type PolicyTermFields = Partial<Omit<PolicyTerms, 'renewable'>>;

/** One version of a credential's policy as the file writes it. */
export interface PolicyVersionFields extends PolicyTermFields {
  readonly effectiveFrom: LocalDate;
  readonly renewable?: boolean;
}

/** A policy file of the right shape (what `policy-schema.ts` accepts). */
export interface PolicyDocument {
  readonly default?: PolicyTermFields;
  readonly credentials?: Readonly<Record<string, readonly PolicyVersionFields[]>>;
}

/** Checks the terms of a version as they apply (merged with the default): the SPEC §9 refusals. */
const termIssues = (
  at: string,
  terms: PolicyTerms,
  own: PolicyTermFields,
  inherited: string,
): PolicyIssue[] => {
  const issues: PolicyIssue[] = [];
  const from = (field: keyof PolicyTermFields) =>
    own[field] === undefined ? ` (${inherited})` : '';
  if (terms.renewable && terms.renewalOpensAfterMonths >= terms.validityMonths) {
    issues.push({
      path: `${at}renewalOpensAfterMonths`,
      message: `${terms.renewalOpensAfterMonths} months${from('renewalOpensAfterMonths')} must be less than validityMonths (${terms.validityMonths}${from('validityMonths')}): the renewal window must open before expiry`,
    });
  }
  const limit = SHORTEST_MONTH_DAYS * terms.validityMonths;
  const seen = new Set<number>();
  // As the file lists them (the terms hold them sorted), so that `[i]` points into the file.
  (own.expiryWarningDays ?? terms.expiryWarningDays).forEach((days, index) => {
    const path = `${at}expiryWarningDays${own.expiryWarningDays === undefined ? '' : `[${index}]`}`;
    if (days >= limit) {
      issues.push({
        path,
        message: `a warning of ${days} days${from('expiryWarningDays')} must be less than 28 × validityMonths = ${limit} days (validityMonths ${terms.validityMonths}${from('validityMonths')}): it could fall on or before the pass`,
      });
    }
    if (seen.has(days))
      issues.push({ path, message: `${days} days appears more than once: list each warning once` });
    seen.add(days);
  });
  return issues;
};

const sortedDescending = (days: readonly number[]) => [...days].sort((a, b) => b - a);

/**
 * Resolves a policy document of the right shape: each version's missing fields come from
 * `default`, then from SPEC §1 (`expiryWarningDays`: `EXPIRY_WARNING_DAYS`, the `fallback`).
 * Refused, with the field and the reason: an `effectiveFrom` that is not a calendar date (the
 * versions are ordered by it); versions not sorted by `effectiveFrom` or two on one date; a warning
 * of N days where N ≥ 28 × `validityMonths`; `renewalOpensAfterMonths` ≥ `validityMonths` (of the
 * version as it applies, merged with the default). An empty `expiryWarningDays` is valid.
 *
 * @example
 * const parsed = resolvePolicyDocument(
 *   { credentials: { 'aws-x': [{ effectiveFrom: '2000-01-01', validityMonths: 6, renewalOpensAfterMonths: 6 }] } },
 *   { expiryWarningDays: [30] },
 * );
 * parsed.ok; // false
 * parsed.issues[0].path; // 'credentials.aws-x[0].renewalOpensAfterMonths'
 */
export const resolvePolicyDocument = (
  document: PolicyDocument,
  fallback: { readonly expiryWarningDays: readonly number[] },
): PolicyParse => {
  const ownDefault: PolicyTermFields = document.default ?? {};
  const base = defaultTerms(fallback.expiryWarningDays);
  const resolvedDefault: PolicyTerms = {
    ...base,
    ...ownDefault,
    renewable: true,
    expiryWarningDays: sortedDescending(ownDefault.expiryWarningDays ?? base.expiryWarningDays),
  };
  const issues = termIssues('default.', resolvedDefault, ownDefault, 'from SPEC §1');
  const credentials: Record<string, DatedPolicyVersion[]> = {};
  for (const [credentialId, versions] of Object.entries(document.credentials ?? {})) {
    credentials[credentialId] = versions.map((own, index) => {
      const at = `credentials.${credentialId}[${index}].`;
      const previous = versions[index - 1];
      if (!isCalendarDate(own.effectiveFrom)) {
        issues.push({ path: `${at}effectiveFrom`, message: 'must be a date YYYY-MM-DD' });
      } else if (
        previous !== undefined &&
        compareDates(previous.effectiveFrom, own.effectiveFrom) >= 0
      ) {
        issues.push({
          path: `${at}effectiveFrom`,
          message: `versions must be sorted by effectiveFrom with no two on the same date (${own.effectiveFrom} comes after ${previous.effectiveFrom})`,
        });
      }
      const version: DatedPolicyVersion = {
        ...resolvedDefault,
        ...own,
        renewable: own.renewable ?? true,
        expiryWarningDays: sortedDescending(
          own.expiryWarningDays ?? resolvedDefault.expiryWarningDays,
        ),
      };
      issues.push(...termIssues(at, version, own, 'from default'));
      return version;
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, policies: { default: resolvedDefault, credentials } };
};

/**
 * The JSON value of a policy file's text, or the one issue that it is not JSON.
 *
 * @example
 * policyJson('{"default": {}}'); // { ok: true, value: { default: {} } }
 */
export const policyJson = (
  text: string,
): { readonly ok: true; readonly value: unknown } | Extract<PolicyParse, { ok: false }> => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      issues: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
};

/** One line for an issue: `path: message`. */
export const describePolicyIssue = (issue: PolicyIssue): string =>
  issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;

/**
 * Settings with the policies of `parsed`, or an error naming its first issue.
 *
 * @throws Error with one line: `<source>: <field>: <reason>` (and how many more issues there are).
 * @example
 * withPolicies(settings, resolvePolicyDocument(document, settings), 'the bundled policy');
 */
export const withPolicies = <Settings extends object>(
  settings: Settings,
  parsed: PolicyParse,
  source: string,
): Settings & { readonly policies?: CredentialPolicies } => {
  if (!parsed.ok) {
    const [first, ...rest] = parsed.issues;
    const more = rest.length === 0 ? '' : ` (and ${rest.length} more)`;
    throw new Error(`${source}: ${first ? describePolicyIssue(first) : 'invalid'}${more}`);
  }
  return { ...settings, policies: parsed.policies };
};

/**
 * Settings with the policy that `cdk synth` bundled into a function (`text`, a document the policy
 * schema accepted at synth), resolved with these settings' warnings; `text` undefined or blank
 * leaves them as they are (the default policy). Its shape is trusted, not checked again, so that
 * the functions bundle no schema library (SPEC §12); the refusals that depend on the settings
 * (warnings too early for a validity) still apply.
 *
 * @throws Error with one line, `<source>: <field>: <reason>`, for text that is not JSON or a
 * document that does not resolve.
 * @example
 * settingsWithBundledPolicy(ruleSettingsFromEnv(env), env.POLICY_DOCUMENT, 'the bundled policy');
 */
export const settingsWithBundledPolicy = <
  Settings extends { readonly expiryWarningDays: readonly number[] },
>(
  settings: Settings,
  text: string | undefined,
  source: string,
): Settings & { readonly policies?: CredentialPolicies } => {
  if (text === undefined || text.trim() === '') return settings;
  const json = policyJson(text);
  if (!json.ok) return withPolicies(settings, json, source);
  const { value } = json;
  const parsed: PolicyParse =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? resolvePolicyDocument(value as PolicyDocument, settings)
      : { ok: false, issues: [{ path: '', message: NOT_A_DOCUMENT }] };
  return withPolicies(settings, parsed, source);
};
