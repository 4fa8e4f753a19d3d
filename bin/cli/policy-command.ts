import type { Command } from 'commander';
import {
  type DatedPolicyVersion,
  type PolicyTerms,
  policiesOf,
} from '../../functions/domain/credential-policy';
import {
  describePolicyIssue,
  type PolicyIssue,
  parsePolicyText,
} from '../../functions/domain/policy-schema';
import { type RuleSettings, ruleSettingsFromEnv } from '../../functions/domain/rule-settings';
import { readPolicyFile } from '../local/policy-file';
import type { CliContext } from './cli-context';
import { RuntimeFailure, UsageError } from './cli-errors';
import { formatTable } from './cli-options';

/** What `policy check --json` prints (SPEC §9). */
export type PolicyReport =
  | {
      readonly valid: true;
      readonly file: string | null;
      readonly default: PolicyTerms;
      readonly credentials: Readonly<Record<string, readonly DatedPolicyVersion[]>>;
    }
  | { readonly valid: false; readonly file: string; readonly issues: readonly PolicyIssue[] };

/**
 * Checks the policy file at `file` (none: the default policy of SPEC §1) and resolves every
 * version as it applies: missing fields from `default`, then from SPEC §1.
 *
 * @example
 * checkPolicy('examples/policies.json', settings).valid; // true
 */
export const checkPolicy = (file: string | undefined, settings: RuleSettings): PolicyReport => {
  if (file === undefined) {
    const policies = policiesOf(settings);
    return { valid: true, file: null, ...policies };
  }
  let text: string;
  try {
    text = readPolicyFile(file);
  } catch {
    return { valid: false, file, issues: [{ path: '', message: 'cannot be read' }] };
  }
  const parsed = parsePolicyText(text, settings);
  return parsed.ok
    ? { valid: true, file, ...parsed.policies }
    : { valid: false, file, issues: parsed.issues };
};

const termCells = (terms: PolicyTerms) => [
  String(terms.validityMonths),
  terms.renewable ? String(terms.renewalOpensAfterMonths) : 'not renewable',
  String(terms.retakeWaitDays),
  terms.expiryWarningDays.length === 0 ? 'none' : terms.expiryWarningDays.join(', '),
];

/** Each credential's versions as a table, the default first. */
export const describePolicy = (report: Extract<PolicyReport, { valid: true }>): string => {
  const rows = [
    ['default', '-', ...termCells(report.default)],
    ...Object.entries(report.credentials)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([credentialId, versions]) =>
        versions.map((version) => [credentialId, version.effectiveFrom, ...termCells(version)]),
      ),
  ];
  const count = Object.keys(report.credentials).length;
  return [
    report.file === null
      ? 'No policy file (POLICY_FILE unset): every credential follows the default policy.'
      : `${report.file} is valid: ${count} credential${count === 1 ? '' : 's'} with their own versions; the others follow the default.`,
    '',
    formatTable(
      [
        'credential',
        'effectiveFrom',
        'validityMonths',
        'renewalOpensAfterMonths',
        'retakeWaitDays',
        'expiryWarningDays',
      ],
      rows,
    ),
    '',
    'An attempt follows the version in force on its local date; attempts before a credential’s first version follow the default.',
  ].join('\n');
};

export const registerPolicy = (program: Command, context: CliContext) => {
  const policy = program
    .command('policy')
    .description('Credential policies (SPEC §9): validity, renewal, waits and warnings.');
  policy
    .command('check')
    .description(
      "Validate a policy file and print each credential's policy versions; exit 1 with the field and the reason when it is invalid.",
    )
    .option('--file <path>', 'the policy file (default: POLICY_FILE; neither: the default policy)')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExample:\n  npm run reminders -- policy check --file examples/policies.json',
    )
    .action((options: { file?: string; json?: boolean }) => {
      let settings: RuleSettings;
      try {
        settings = ruleSettingsFromEnv(context.env);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const file = options.file ?? (context.env.POLICY_FILE || undefined);
      const report = checkPolicy(file, settings);
      if (options.json) context.print(JSON.stringify(report, null, 2));
      else if (report.valid) context.print(describePolicy(report));
      if (report.valid) return;
      if (!options.json && report.issues.length > 1)
        for (const issue of report.issues) context.warn(`${file}: ${describePolicyIssue(issue)}`);
      const [first] = report.issues;
      throw new RuntimeFailure(
        report.issues.length === 1 && first
          ? `${report.file}: ${describePolicyIssue(first)}`
          : `${report.file} is not a valid policy file: ${report.issues.length} issues`,
      );
    });
};
