import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { localConfigFromEnv } from '../../../bin/local/local-config';
import { startLocalStack } from '../../../bin/local/local-stack';
import { DEFAULT_RULE_SETTINGS } from '../../../functions/domain/rule-settings';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import { createTestClock, httpEvent } from '../support/harness';
import { startReceiver } from './outbound-support';

/**
 * SPEC §8: locally, the outbound queue survives a restart of the stack. An event whose first
 * attempt failed before the stack stopped is delivered by the next start, with the same
 * `webhook-id` and body, signed with the outbound secret kept in `DATA_DIR`.
 */

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const waitFor = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('the local outbound queue', () => {
  it('survives a restart of the stack: what was queued before is delivered after', async () => {
    // Prepare: a receiver that is down, and a stack whose worker only drains when it stops.
    const receiver = await startReceiver(() => 503);
    cleanups.push(() => receiver.close());
    const dataDir = await mkdtemp(join(tmpdir(), 'outbox-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = {
      DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
      SES_ENDPOINT: inject('sesEndpoint'),
      PORT: '0',
      DATA_DIR: dataDir,
      TABLE_NAME: `test-${randomUUID()}`,
      OUTBOUND_WEBHOOK_URL: receiver.url,
    };
    const config = localConfigFromEnv(env);
    const clock = createTestClock();
    const first = await startLocalStack(config, DEFAULT_RULE_SETTINGS, env, {
      outboundPollMs: 3_600_000,
      clock,
    });
    const token = createUnsubscribeToken(
      'cand-restart',
      first.secrets.unsubscribeSecrets[0] as string,
    );
    // An unsubscribe (recorded even before the candidate's first event) queues one event.
    await first.app.unsubscribe(
      httpEvent('POST', '/unsubscribe', { query: new URLSearchParams({ token }).toString() }),
    );
    const queued = await first.app.outbound?.outbox.entries();

    // Act: stop (its last drain fails against the receiver), bring the receiver up, start again.
    await first.stop();
    receiver.behave(() => 204);
    clock.advance(31_000);
    const second = await startLocalStack(config, DEFAULT_RULE_SETTINGS, env, {
      outboundPollMs: 20,
      clock,
    });
    cleanups.push(() => second.stop());
    await waitFor(() => receiver.requests.some((request) => request.answered === 204));
    // The worker records the delivery once the receiver's answer is in: wait for that write.
    let settled = await second.app.outbound?.outbox.entries();
    for (let tries = 0; tries < 200 && settled?.[0]?.state !== 'delivered'; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      settled = await second.app.outbound?.outbox.entries();
    }

    // Assess
    expect(queued).toHaveLength(1);
    expect(settled).toMatchObject([{ state: 'delivered', attempts: 2 }]);
    expect(receiver.requests.map((request) => request.answered)).toEqual([503, 204]);
    const [before, after] = receiver.requests;
    expect(after?.headers['webhook-id']).toBe(before?.headers['webhook-id']);
    expect(after?.body).toBe(before?.body);
    expect(second.secrets.outboundWebhookSecrets).toEqual(first.secrets.outboundWebhookSecrets);
    const secret = second.secrets.outboundWebhookSecrets?.[0] as string;
    expect(() =>
      new Webhook(secret).verify(after?.body ?? '', after?.headers as Record<string, string>),
    ).not.toThrow();
  });
});
