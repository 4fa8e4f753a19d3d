import { Webhook } from 'standardwebhooks';
import { splitSecrets } from './secret-lists';

export { splitSecrets };

/**
 * Standard Webhooks signatures with several secrets for rotation (`WEBHOOK_SECRET` may hold a
 * comma-separated list of `whsec_<base64>` secrets).
 */

/** Secrets from a comma-separated list. Throws on anything that is not a usable `whsec_` secret. */
export const parseWebhookSecrets = (value: string): string[] => {
  const secrets = splitSecrets(value);
  if (secrets.length === 0)
    throw new Error('WEBHOOK_SECRET is empty: it must hold one or more whsec_ secrets');
  for (const secret of secrets) {
    if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) {
      throw new Error('WEBHOOK_SECRET must hold whsec_<base64> secrets, comma-separated');
    }
    try {
      new Webhook(secret);
    } catch {
      throw new Error('WEBHOOK_SECRET must hold whsec_<base64> secrets, comma-separated');
    }
  }
  return secrets;
};

export interface SignedHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * Verifies a request against any of the secrets; `undefined` when it is valid, otherwise why not.
 * Timestamps more than 5 minutes off are refused.
 *
 * @example
 * const problem = verifyWebhook(['whsec_...'], body, headers);
 */
export const verifyWebhook = (
  secrets: readonly string[],
  body: string,
  headers: Readonly<Record<string, string | undefined>>,
): string | undefined => {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature) {
    return 'missing webhook-id, webhook-timestamp or webhook-signature header';
  }
  if (!/^\d{1,12}$/.test(timestamp)) return 'webhook-timestamp must be Unix seconds';
  let reason = 'no signature matches';
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(
        body,
        { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
        { jsonParse: false },
      );
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (/too old|too new/i.test(message)) return 'webhook-timestamp is more than 5 minutes off';
      reason = 'no signature matches';
    }
  }
  return reason;
};

/**
 * Signs a body the way the certification programme does, for the local helper and tests.
 *
 * @example
 * const headers = signWebhook('whsec_...', 'msg_1', new Date(), body);
 */
export const signWebhook = (secret: string, id: string, at: Date, body: string): SignedHeaders => ({
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
  'webhook-signature': new Webhook(secret).sign(id, at, body),
});
