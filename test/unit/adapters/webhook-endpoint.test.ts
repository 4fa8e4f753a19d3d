import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createWebhookEndpoint } from '../../../functions/adapters/webhook-endpoint';
import { reminderSent } from '../../../functions/domain/outbound-events';

/** One attempt: a POST of the body, signed at the attempt's instant, 2xx or not. */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MESSAGE = reminderSent({
  candidateId: 'cand-a',
  messageId: 'ses-1',
  reminders: [],
  at: '2027-11-29T13:00:00.000Z',
});

const recordingFetch = (answer: () => Promise<Response>) => {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    return answer();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
};

describe('createWebhookEndpoint', () => {
  it('POSTs the body with Standard Webhooks headers signed at the given instant', async () => {
    // Prepare
    const { fetch, requests } = recordingFetch(async () => new Response(null, { status: 204 }));
    const endpoint = createWebhookEndpoint({
      url: 'https://receiver.example/hooks',
      secrets: async () => [SECRET],
      fetch,
    });
    const at = new Date();

    // Act
    const outcome = await endpoint.post(MESSAGE, at);

    // Assess
    expect(outcome).toEqual({ ok: true, status: 204 });
    const [request] = requests;
    const headers = request?.init.headers as Record<string, string>;
    expect(request?.url).toBe('https://receiver.example/hooks');
    expect(request?.init.method).toBe('POST');
    expect(request?.init.body).toBe(MESSAGE.body);
    expect(headers['webhook-id']).toBe(MESSAGE.webhookId);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(() => new Webhook(SECRET).verify(MESSAGE.body, headers)).not.toThrow();
  });

  it('reports a non-2xx answer, a time-out and an unreachable receiver as failures', async () => {
    // Prepare
    const answers = [
      async () => new Response('no', { status: 500 }),
      async () => new Response(null, { status: 302, headers: { location: '/elsewhere' } }),
      () => new Promise<Response>(() => {}),
      async () =>
        Promise.reject(
          Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
        ),
    ];
    const outcomes = [];

    // Act
    for (const answer of answers) {
      const { fetch } = recordingFetch(answer);
      const endpoint = createWebhookEndpoint({
        url: 'https://receiver.example/hooks',
        secrets: async () => [SECRET],
        timeoutMs: 50,
        fetch: ((url: string, init: RequestInit) =>
          Promise.race([
            fetch(url, init),
            new Promise<Response>((_, reject) =>
              init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
            ),
          ])) as typeof globalThis.fetch,
      });
      outcomes.push(await endpoint.post(MESSAGE, new Date()));
    }

    // Assess
    expect(outcomes).toEqual([
      { ok: false, status: 500, reason: 'the receiver answered 500' },
      { ok: false, status: 302, reason: 'the receiver answered 302' },
      { ok: false, reason: 'no answer within 0.05 s' },
      { ok: false, reason: 'the receiver could not be reached (ECONNREFUSED)' },
    ]);
  });
});
