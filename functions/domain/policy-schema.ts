import * as z from 'zod/mini';
import { isCalendarDate } from './calendar';
import type { CredentialPolicies } from './credential-policy';
import {
  NOT_A_DOCUMENT,
  type PolicyIssue,
  type PolicyParse,
  policyJson,
  resolvePolicyDocument,
  SHORTEST_MONTH_DAYS,
  withPolicies,
} from './policy-document';

export type { PolicyIssue, PolicyParse } from './policy-document';
export { describePolicyIssue } from './policy-document';

/**
 * The policy file of SPEC §9 (`POLICY_FILE`), validated: a `default` and, per credential, a list of
 * versions. Every refusal names the field (`credentials.aws-x[1].effectiveFrom`) and the reason.
 * Pure: it reads a parsed JSON value (or its text), never a file. The shape is checked here, with
 * zod, by `policy check`, the local stack and `cdk synth`; resolving the checked document is
 * `policy-document.ts`, which the functions use alone on the document synth bundled.
 */

/** Bounds of the numbers (a century of validity is plenty; a warning a day before at least). */
const MAX_VALIDITY_MONTHS = 1200;
const MAX_RETAKE_WAIT_DAYS = 3650;
const MAX_WARNINGS = 12;
const CREDENTIAL_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.int(message).check(z.gte(min, message), z.lte(max, message));
};

const TERM_FIELDS = {
  validityMonths: z.optional(wholeNumber(1, MAX_VALIDITY_MONTHS)),
  renewalOpensAfterMonths: z.optional(wholeNumber(1, MAX_VALIDITY_MONTHS - 1)),
  retakeWaitDays: z.optional(wholeNumber(1, MAX_RETAKE_WAIT_DAYS)),
  expiryWarningDays: z.optional(
    z
      .array(
        wholeNumber(1, SHORTEST_MONTH_DAYS * MAX_VALIDITY_MONTHS - 1),
        'must be a list of days',
      )
      .check(z.maxLength(MAX_WARNINGS, `must hold at most ${MAX_WARNINGS} warnings`)),
  ),
};

const objectError = { error: 'must be an object' };
const defaultSchema = z.strictObject(TERM_FIELDS, objectError);
const versionSchema = z.strictObject(
  {
    effectiveFrom: z
      .string('must be a date YYYY-MM-DD')
      .check(z.refine(isCalendarDate, 'must be a date YYYY-MM-DD')),
    renewable: z.optional(z.boolean('must be true or false')),
    ...TERM_FIELDS,
  },
  objectError,
);
const documentSchema = z.strictObject(
  {
    default: z.optional(defaultSchema),
    credentials: z.optional(
      z.record(
        z
          .string()
          .check(
            z.regex(CREDENTIAL_ID, 'credential ids are 1-128 characters of A-Z a-z 0-9 . _ : @ -'),
          ),
        z
          .array(versionSchema, 'must be a list of versions')
          .check(z.minLength(1, 'must hold at least one version')),
        objectError,
      ),
    ),
  },
  { error: NOT_A_DOCUMENT },
);

/** `credentials.aws-x[1].effectiveFrom` */
const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');

const allowedFields = (path: ReadonlyArray<PropertyKey>): string[] => {
  if (path.length === 0) return ['default', 'credentials'];
  const terms = Object.keys(TERM_FIELDS);
  return path[0] === 'default' ? terms : ['effectiveFrom', 'renewable', ...terms];
};

const shapeIssues = (issues: readonly z.core.$ZodIssue[]): PolicyIssue[] =>
  issues.flatMap((issue): PolicyIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: pathText([...issue.path, key]),
        message: `unknown field (allowed: ${allowedFields(issue.path).join(', ')})`,
      }));
    }
    if (issue.code === 'invalid_key')
      return [{ path: pathText(issue.path), message: issue.issues[0]?.message ?? issue.message }];
    return [{ path: pathText(issue.path), message: issue.message }];
  });

/**
 * Validates a policy document (already parsed JSON) and resolves it: each version's missing
 * fields come from `default`, then from SPEC §1 (`expiryWarningDays`: `EXPIRY_WARNING_DAYS`).
 *
 * Refused, with the field and the reason: unknown fields; numbers that are not whole or out of
 * bounds; versions not sorted by `effectiveFrom` or two on one date; a warning of N days where N ≥
 * 28 × `validityMonths`; `renewalOpensAfterMonths` ≥ `validityMonths` (of the version as it
 * applies, merged with the default). An empty `expiryWarningDays` is valid: no warnings.
 *
 * @example
 * const parsed = parsePolicyDocument(
 *   { credentials: { 'aws-x': [{ effectiveFrom: '2000-01-01', validityMonths: 6, renewalOpensAfterMonths: 6 }] } },
 *   { expiryWarningDays: [30] },
 * );
 * parsed.ok; // false
 * parsed.issues[0].path; // 'credentials.aws-x[0].renewalOpensAfterMonths'
 */
export const parsePolicyDocument = (
  value: unknown,
  fallback: { readonly expiryWarningDays: readonly number[] },
): PolicyParse => {
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) return { ok: false, issues: shapeIssues(parsed.error.issues) };
  // What the schema accepts is a `PolicyDocument`: the compiler holds the two together here.
  return resolvePolicyDocument(parsed.data, fallback);
};

/**
 * {@link parsePolicyDocument} on the text of a file; text that is not JSON is one issue.
 *
 * @example
 * parsePolicyText('{"default": {"validityMonths": 24}}', { expiryWarningDays: [30] }).ok; // true
 */
export const parsePolicyText = (
  text: string,
  fallback: { readonly expiryWarningDays: readonly number[] },
): PolicyParse => {
  const json = policyJson(text);
  return json.ok ? parsePolicyDocument(json.value, fallback) : json;
};

/**
 * Settings with the policy of `text` (a policy file's content); `text` undefined leaves them as
 * they are (the default policy).
 *
 * @throws Error with one line: `<source>: <field>: <reason>` (and how many more issues there are).
 * @example
 * settingsWithPolicy(settings, readFileSync(path, 'utf8'), `POLICY_FILE ${path}`);
 */
export const settingsWithPolicy = <
  Settings extends { readonly expiryWarningDays: readonly number[] },
>(
  settings: Settings,
  text: string | undefined,
  source: string,
): Settings & { readonly policies?: CredentialPolicies } => {
  if (text === undefined || text.trim() === '') return settings;
  return withPolicies(settings, parsePolicyText(text, settings), source);
};
