import type { CertificationEvent } from '../domain/event-schemas';
import { loadOrEmpty } from './candidate-changes';
import type { Stores } from './ports';
import {
  addressedIdOf,
  type RecordEventDeps,
  type RecordOutcome,
  recordEvent,
} from './record-event';

export interface ReceiveEventDeps extends RecordEventDeps {
  readonly stores: Pick<Stores, 'candidates' | 'attempts' | 'webhooks'>;
}

/**
 * A webhook delivery (SPEC §3): a `webhook-id` seen before is a duplicate; otherwise the event is
 * recorded and its id remembered. The id and the candidate the event names are read together,
 * in one request, so an `attempt.recorded` costs four: that read, the registry, the candidate's
 * write and the id's.
 *
 * @example
 * const outcome = await receiveEvent(deps, 'msg_2Kx…', event); // 'accepted' | 'duplicate' | 'conflict'
 */
export const receiveEvent = async (
  deps: ReceiveEventDeps,
  webhookId: string,
  event: CertificationEvent,
): Promise<RecordOutcome> => {
  const now = deps.clock.now();
  const [seen, known] = await Promise.all([
    deps.stores.webhooks.isSeen(webhookId, now),
    loadOrEmpty(deps.stores.candidates, addressedIdOf(event)),
  ]);
  if (seen) return 'duplicate';
  const outcome = await recordEvent(deps, event, known);
  if (outcome !== 'conflict') await deps.stores.webhooks.remember(webhookId, now);
  return outcome;
};
