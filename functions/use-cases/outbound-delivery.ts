import type { OutboundMessage } from '../domain/outbound-events';
import { nextRetryDelayMs } from '../domain/outbound-schedule';
import type { Clock, OutboundEvents, WebhookEndpoint } from './ports';

/**
 * Outbound webhooks (SPEC §8), both halves: publishing, which never makes the work that
 * publishes fail (an email is never held up, retried or re-sent because the outbound queue is
 * unwell), and delivering, which tries one event once and says what to do next.
 */

/**
 * An {@link OutboundEvents} that never throws: a failure to publish is handed to `onFailure`
 * (logged and counted by the composition root) and otherwise ignored.
 *
 * @example
 * const outbound = quietOutbound(sqsOutbound, (error, count) => logger.warn('outbound publish failed', { count }));
 */
export const quietOutbound = (
  outbound: OutboundEvents,
  onFailure: (error: unknown, messages: readonly OutboundMessage[]) => void = () => {},
): OutboundEvents => ({
  async publish(messages) {
    if (messages.length === 0) return;
    try {
      await outbound.publish(messages);
    } catch (error) {
      try {
        onFailure(error, messages);
      } catch {
        // A failing logger must not fail the work either.
      }
    }
  },
});

/** Publishes when outbound webhooks are on; never throws (see {@link quietOutbound}). */
export const publishOutbound = async (
  outbound: OutboundEvents | undefined,
  messages: readonly OutboundMessage[],
): Promise<void> => {
  if (outbound === undefined || messages.length === 0) return;
  await quietOutbound(outbound).publish(messages);
};

/** What follows one attempt. */
export type DeliveryOutcome =
  | { readonly outcome: 'delivered'; readonly status: number }
  | { readonly outcome: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly outcome: 'dead-letter'; readonly reason: string };

/**
 * Attempt number `attempt` (1 for the first) of one event: POSTed and signed now, with its own
 * `webhook-timestamp` and the event's `webhook-id` and body. A failure is retried after the
 * schedule's delay, or dead-lettered once the schedule is exhausted.
 *
 * @example
 * const next = await deliverOutbound({ endpoint, clock }, message, 1);
 * if (next.outcome === 'retry') await queue.retryIn(next.delayMs);
 */
export const deliverOutbound = async (
  deps: { readonly endpoint: WebhookEndpoint; readonly clock: Clock },
  message: OutboundMessage,
  attempt: number,
): Promise<DeliveryOutcome> => {
  let reason: string;
  try {
    const posted = await deps.endpoint.post(message, deps.clock.now());
    if (posted.ok) return { outcome: 'delivered', status: posted.status };
    reason = posted.reason;
  } catch (error) {
    reason = (error as Error).message ?? String(error);
  }
  const delayMs = nextRetryDelayMs(attempt);
  return delayMs === undefined
    ? { outcome: 'dead-letter', reason }
    : { outcome: 'retry', delayMs, reason };
};
