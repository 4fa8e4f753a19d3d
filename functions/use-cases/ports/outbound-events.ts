import type { OutboundMessage } from '../../domain/outbound-events';

/**
 * Where the functions put what the programme is to be told (SPEC §8): SQS on AWS, the table's
 * outbox locally, nothing when `OUTBOUND_WEBHOOK_URL` is unset.
 */
export interface OutboundEvents {
  publish(messages: readonly OutboundMessage[]): Promise<void>;
}

/** How one delivery attempt ended. */
export type PostOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly reason: string };

/** The programme's webhook receiver (`OUTBOUND_WEBHOOK_URL`), signing each attempt afresh. */
export interface WebhookEndpoint {
  post(message: OutboundMessage, at: Date): Promise<PostOutcome>;
}
