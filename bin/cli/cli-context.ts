import type { RuleSettings } from '../../functions/domain/rule-settings';
import { ruleSettingsFromEnv } from '../../functions/domain/rule-settings';
import { type LocalConfig, localConfigFromEnv } from '../local/local-config';
import { UsageError } from './cli-errors';

/** Everything a command needs from the outside world, injected so commands can be tested. */
export interface CliContext {
  readonly env: Record<string, string | undefined>;
  readonly now: () => Date;
  print(text: string): void;
  warn(text: string): void;
  /** Whether stdout/stderr is an interactive terminal (progress bars, colours). */
  readonly interactive: boolean;
}

export const ruleSettingsOf = (context: CliContext): RuleSettings => {
  try {
    return ruleSettingsFromEnv(context.env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
};

export const localConfigOf = (context: CliContext): LocalConfig => {
  try {
    return localConfigFromEnv(context.env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
};
