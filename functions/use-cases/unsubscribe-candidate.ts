import type { RuleSettings } from '../domain/rule-settings';
import type { CandidateRepository, Clock } from './ports';
import { changeSurvivingAccount } from './surviving-account';

/**
 * Records that a candidate asked for no more reminders (SPEC §3 `POST /unsubscribe`), on the
 * account their id leads to; the first opt-out's time is kept.
 *
 * @returns the candidate id unsubscribed, or `undefined` when the person was erased.
 * @example
 * await unsubscribeCandidate({ candidates, settings, clock }, 'cand-ana');
 */
export const unsubscribeCandidate = async (
  deps: {
    readonly candidates: CandidateRepository;
    readonly settings: RuleSettings;
    readonly clock: Clock;
  },
  candidateId: string,
): Promise<string | undefined> => {
  const at = deps.clock.now().toISOString();
  const written = await changeSurvivingAccount(deps, candidateId, (state) => ({
    ...(state.unsubscribedAt === undefined ? { next: { ...state, unsubscribedAt: at } } : {}),
    result: state.candidateId,
  }));
  return written.erased ? undefined : written.result;
};
