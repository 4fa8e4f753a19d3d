import type { CandidateView } from '../../functions/domain/event-fold';
import { type RuleSettings, ruleSettingsFromEnv } from '../../functions/domain/rule-settings';
import { UsageError } from './cli-errors';

/** What the commands read from a store. */
export interface StoreReader {
  /** Every candidate, or only one (after merges: the surviving account). */
  candidates(candidateId?: string): Promise<CandidateView[]>;
}

/** Everything a command needs from the outside world, injected so commands can be tested. */
export interface CliContext {
  readonly env: Record<string, string | undefined>;
  readonly now: () => Date;
  ruleSettings(): RuleSettings;
  print(text: string): void;
  warn(text: string): void;
  openStore(target?: string): Promise<StoreReader>;
}

export const ruleSettingsOrUsageError = (env: Record<string, string | undefined>): RuleSettings => {
  try {
    return ruleSettingsFromEnv(env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
};
