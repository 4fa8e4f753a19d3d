import type { OutboundMessage } from '../domain/outbound-events';
import type { PostOutcome, WebhookEndpoint } from '../use-cases/ports';
import { signWebhook } from './webhook-signature';

/** How long the receiver has to answer one attempt (SPEC §8). */
export const OUTBOUND_TIMEOUT_MS = 10_000;

/**
 * The programme's receiver over HTTP: each attempt is a `POST` of the event's body, signed now
 * with the first of `secrets` (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`), answered within {@link OUTBOUND_TIMEOUT_MS}. Only a 2xx answer counts as
 * delivered; redirects are not followed.
 *
 * @example
 * const endpoint = createWebhookEndpoint({ url, secrets: async () => ['whsec_…'] });
 * await endpoint.post(message, new Date());
 */
export const createWebhookEndpoint = (options: {
  readonly url: string;
  readonly secrets: () => Promise<readonly string[]>;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}): WebhookEndpoint => ({
  async post(message: OutboundMessage, at: Date): Promise<PostOutcome> {
    const [secret] = await options.secrets();
    if (secret === undefined) throw new Error('OUTBOUND_WEBHOOK_SECRET is empty');
    const headers = signWebhook(secret, message.webhookId, at, message.body);
    const timeoutMs = options.timeoutMs ?? OUTBOUND_TIMEOUT_MS;
    try {
      const response = await (options.fetch ?? fetch)(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'cert-reminders-outbound/1',
          ...headers,
        },
        body: message.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The answer's body is not needed; reading it frees the connection.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300)
        return { ok: true, status: response.status };
      return {
        ok: false,
        status: response.status,
        reason: `the receiver answered ${response.status}`,
      };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return { ok: false, reason: `no answer within ${timeoutMs / 1000} s` };
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return {
        ok: false,
        reason: `the receiver could not be reached${cause ? ` (${cause})` : ''}`,
      };
    }
  },
});
