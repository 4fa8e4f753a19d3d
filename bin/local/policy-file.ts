import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { settingsWithPolicy } from '../../functions/domain/policy-schema';
import type { RuleSettings } from '../../functions/domain/rule-settings';
import { RuntimeFailure } from '../cli/cli-errors';

/**
 * Reads a policy file (SPEC §9) as the local stack and the commands do: a path relative to the
 * working directory, read once at start.
 *
 * @throws RuntimeFailure when it cannot be read.
 * @example
 * readPolicyFile('examples/policies.json').slice(0, 1); // '{'
 */
export const readPolicyFile = (path: string): string => {
  try {
    return readFileSync(resolve(path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RuntimeFailure(
      `POLICY_FILE ${path}: cannot be read${code === undefined ? '' : ` (${code})`}`,
    );
  }
};

/**
 * The rule settings with the policy of `POLICY_FILE` when it is set (`path`), else as they are:
 * every credential then follows the default policy (SPEC §6).
 *
 * @throws RuntimeFailure with one line, `POLICY_FILE <path>: <field>: <reason>`, when the file
 * cannot be read or is invalid: nothing starts on a policy it would not follow.
 * @example
 * withPolicyFile(ruleSettingsFromEnv(process.env), process.env.POLICY_FILE);
 */
export const withPolicyFile = (settings: RuleSettings, path: string | undefined): RuleSettings => {
  if (path === undefined || path.trim() === '') return settings;
  const text = readPolicyFile(path);
  try {
    return settingsWithPolicy(settings, text, `POLICY_FILE ${path}`);
  } catch (error) {
    throw new RuntimeFailure((error as Error).message);
  }
};
