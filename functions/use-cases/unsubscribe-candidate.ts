import type { RuleSettings } from '../domain/rule-settings';
import type { CandidateRepository, Clock } from './ports';
import { changeSurvivingAccount } from './surviving-account';

/**
 * Records that a candidate asked for no more reminders (SPEC §3 `POST /unsubscribe`), on the
 * account their id leads to; the first opt-out's time is kept.
 *
 * @returns the candidate id unsubscribed and when they first opted out (a repeat keeps that
 * instant), or `undefined` when the person was erased.
 * @example
 * await unsubscribeCandidate({ candidates, settings, clock }, 'cand-ana');
 * // { candidateId: 'cand-ana', at: '2027-11-29T14:00:00.000Z' }
 */
export const unsubscribeCandidate = async (
  deps: {
    readonly candidates: CandidateRepository;
    readonly settings: RuleSettings;
    readonly clock: Clock;
  },
  candidateId: string,
): Promise<{ readonly candidateId: string; readonly at: string } | undefined> => {
  const at = deps.clock.now().toISOString();
  const written = await changeSurvivingAccount(deps, candidateId, (state) => ({
    ...(state.unsubscribedAt === undefined ? { next: { ...state, unsubscribedAt: at } } : {}),
    result: { candidateId: state.candidateId, at: state.unsubscribedAt ?? at },
  }));
  return written.erased ? undefined : written.result;
};
