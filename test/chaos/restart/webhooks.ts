import { createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

/**
 * Signed `POST /v1/events` deliveries as the programme sends them (SPEC §3, Standard Webhooks:
 * `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with the secret's key), signed here
 * from the contract rather than with the product's own helper.
 */

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export const signedHeaders = (secret: string, id: string, body: string, at = new Date()) => {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
};

/** One delivery's answer: status and `status` field, or the network error. */
export interface Delivery {
  readonly status: number;
  readonly outcome?: string;
  readonly error?: string;
  readonly ms: number;
}

/** Keep-alive connections to the API, as a busy sender would hold them. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** Posts one signed delivery (signed afresh, as a retrying sender does). */
export const deliver = (
  api: string,
  secret: string,
  webhookId: string,
  body: string,
  timeoutMs = 30_000,
): Promise<Delivery> =>
  new Promise((resolve) => {
    const started = performance.now();
    const url = new URL('/v1/events', api);
    const sent = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...signedHeaders(secret, webhookId, body),
        },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let outcome: string | undefined;
          try {
            const answer = JSON.parse(text) as { status?: string; error?: string };
            outcome = answer.status ?? answer.error;
          } catch {
            outcome = text.slice(0, 80);
          }
          resolve({
            status: response.statusCode ?? 0,
            ...(outcome === undefined ? {} : { outcome }),
            ms: performance.now() - started,
          });
        });
        response.on('error', (error) =>
          resolve({ status: 0, error: error.message, ms: performance.now() - started }),
        );
      },
    );
    sent.on('timeout', () => sent.destroy(new Error('timed out')));
    sent.on('error', (error) =>
      resolve({ status: 0, error: error.message, ms: performance.now() - started }),
    );
    sent.end(body);
  });

/** An `attempt.recorded` event body (SPEC §2). */
export const attemptBody = (options: {
  readonly attemptId: string;
  readonly candidateId: string;
  readonly takenAt: string;
  readonly outcome: 'pass' | 'fail';
  readonly credentialId?: string;
}) => {
  const credentialId = options.credentialId ?? 'aws-serverless';
  return JSON.stringify({
    type: 'attempt.recorded',
    timestamp: options.takenAt,
    data: {
      attemptId: options.attemptId,
      candidate: {
        candidateId: options.candidateId,
        email: `${options.candidateId}@example.com`,
        name: `Candidate ${options.candidateId}`,
        timeZone: 'Europe/Lisbon',
      },
      credential: { credentialId, name: `Credential ${credentialId}` },
      outcome: options.outcome,
      takenAt: options.takenAt,
    },
  });
};
