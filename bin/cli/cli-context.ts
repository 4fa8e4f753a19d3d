import type { RuleSettings } from '../../functions/domain/rule-settings';
import { ruleSettingsFromEnv } from '../../functions/domain/rule-settings';
import { type LocalConfig, localConfigFromEnv } from '../local/local-config';
import { withPolicyFile } from '../local/policy-file';
import { RuntimeFailure, UsageError } from './cli-errors';

/** Everything a command needs from the outside world, injected so commands can be tested. */
export interface CliContext {
  readonly env: Record<string, string | undefined>;
  readonly now: () => Date;
  print(text: string): void;
  warn(text: string): void;
  /** Whether stdout/stderr is an interactive terminal (progress bars, colours). */
  readonly interactive: boolean;
}

/**
 * The rules of the command: SPEC §6 variables (a bad one is a usage error) and the credential
 * policy of `POLICY_FILE` (an unreadable or invalid file is a runtime failure, exit 1).
 */
export const ruleSettingsOf = (context: CliContext): RuleSettings => {
  let settings: RuleSettings;
  try {
    settings = ruleSettingsFromEnv(context.env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return withPolicyFile(settings, context.env.POLICY_FILE);
};

export const localConfigOf = (context: CliContext): LocalConfig => {
  try {
    return localConfigFromEnv(context.env);
  } catch (error) {
    if (error instanceof RuntimeFailure) throw error;
    throw new UsageError((error as Error).message);
  }
};
