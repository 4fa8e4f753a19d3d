import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../functions/adapters/webhook-signature';
import {
  attemptEvent,
  createTestApp,
  OLD_WEBHOOK_SECRET,
  type TestApp,
  uniqueId,
  WEBHOOK_SECRET,
} from '../support/harness';
import { snapshotTable } from '../support/table';
import { errorKeys, type ParsedResult, send, signedPost } from './ingest-support';

/** SPEC §3: Standard Webhooks signatures on `POST /v1/events`. */

const UNKNOWN_SECRET = 'whsec_c29tZW9uZSBlbHNlJ3Mgc2VjcmV0IGtleSEh';
const MINUTE = 60_000;

let testApp: TestApp;

beforeAll(async () => {
  testApp = await createTestApp();
});

const someAttempt = () =>
  JSON.stringify(
    attemptEvent({
      candidateId: uniqueId('sig'),
      outcome: 'pass',
      takenAt: '2026-03-10T09:30:00Z',
    }),
  );

const expectAccepted = (result: ParsedResult, id: string) => {
  expect(result.statusCode).toBe(202);
  expect(result.json).toEqual({ status: 'accepted', id });
};

const expectInvalidSignature = (result: ParsedResult) => {
  expect(result.statusCode).toBe(401);
  expect(Object.keys(result.json ?? {}).sort()).toEqual(errorKeys());
  expect(result.json?.error).toBe('invalid_signature');
  expect(typeof result.json?.message).toBe('string');
  expect(String(result.json?.message).length).toBeGreaterThan(0);
};

/**
 * Sends a request that must be refused with 401 and checks that nothing was stored, not even the
 * webhook-id: the same id correctly signed afterwards is accepted, not a duplicate.
 */
const expectRefusedAndNothingStored = async (
  request: Parameters<typeof signedPost>[1] & { readonly body?: string },
  signedBody: string,
) => {
  // Prepare
  const id = request.id ?? `msg_${randomUUID()}`;
  const before = await snapshotTable(testApp);

  // Act
  const result = await send(testApp, signedPost(signedBody, { ...request, id }));

  // Assess
  expectInvalidSignature(result);
  const after = await snapshotTable(testApp);
  expect(after.count).toBe(before.count);
  expect(after.hash).toBe(before.hash);
  const retry = await send(testApp, signedPost(signedBody, { id }));
  expectAccepted(retry, id);
};

describe('POST /v1/events: Standard Webhooks signatures', () => {
  it('accepts an event signed with the current secret and echoes its webhook-id', async () => {
    // Prepare
    const id = `msg_${randomUUID()}`;

    // Act
    const result = await send(testApp, signedPost(someAttempt(), { id }));

    // Assess
    expectAccepted(result, id);
  });

  it('accepts an event signed with the older of two rotated secrets', async () => {
    // Prepare
    const id = `msg_${randomUUID()}`;

    // Act
    const result = await send(
      testApp,
      signedPost(someAttempt(), { id, secret: OLD_WEBHOOK_SECRET }),
    );

    // Assess
    expectAccepted(result, id);
  });

  it('refuses an event signed with a secret it does not hold, and stores nothing', async () => {
    await expectRefusedAndNothingStored({ secret: UNKNOWN_SECRET }, someAttempt());
  });

  it('refuses a timestamp 6 minutes in the past, and stores nothing', async () => {
    await expectRefusedAndNothingStored({ at: new Date(Date.now() - 6 * MINUTE) }, someAttempt());
  });

  it('refuses a timestamp 6 minutes in the future, and stores nothing', async () => {
    await expectRefusedAndNothingStored({ at: new Date(Date.now() + 6 * MINUTE) }, someAttempt());
  });

  it.each([
    ['4 minutes in the past', -4],
    ['4 minutes in the future', 4],
  ])('accepts a timestamp %s', async (_label, minutes) => {
    // Prepare
    const id = `msg_${randomUUID()}`;

    // Act
    const result = await send(
      testApp,
      signedPost(someAttempt(), { id, at: new Date(Date.now() + minutes * MINUTE) }),
    );

    // Assess
    expectAccepted(result, id);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses a request without the %s header, and stores nothing',
    async (header) => {
      await expectRefusedAndNothingStored({ omit: [header] }, someAttempt());
    },
  );

  it.each([
    ['garbage', 'not-a-signature'],
    ['a version without a signature', 'v1'],
    ['an empty v1 signature', 'v1,'],
    ['a signature of another scheme', 'v1a,c2lnbmF0dXJl'],
    ['random base64', 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='],
    ['an empty header made of spaces', '   '],
  ])('refuses a malformed signature header (%s), and stores nothing', async (_label, signature) => {
    await expectRefusedAndNothingStored(
      { headers: { 'webhook-signature': signature } },
      someAttempt(),
    );
  });

  it('refuses a non-numeric webhook-timestamp, and stores nothing', async () => {
    await expectRefusedAndNothingStored(
      { headers: { 'webhook-timestamp': 'yesterday' } },
      someAttempt(),
    );
  });

  it('accepts a space-separated signature list in which one signature is valid', async () => {
    // Prepare
    const id = `msg_${randomUUID()}`;
    const body = someAttempt();
    const at = new Date();
    const valid = signWebhook(WEBHOOK_SECRET, id, at, body)['webhook-signature'];
    const foreign = signWebhook(UNKNOWN_SECRET, id, at, body)['webhook-signature'];

    // Act
    const validLast = await send(
      testApp,
      signedPost(body, {
        id,
        at,
        headers: { 'webhook-signature': `${foreign} v1,bm9wZQ== ${valid}` },
      }),
    );

    // Assess
    expectAccepted(validLast, id);
  });

  it('refuses a space-separated list in which no signature is valid, and stores nothing', async () => {
    // Prepare
    const id = `msg_${randomUUID()}`;
    const body = someAttempt();
    const foreign = signWebhook(UNKNOWN_SECRET, id, new Date(), body)['webhook-signature'];

    // Act / Assess
    await expectRefusedAndNothingStored(
      { id, headers: { 'webhook-signature': `${foreign} v1,bm9wZQ==` } },
      body,
    );
  });

  it('refuses a body tampered with after signing, and stores nothing', async () => {
    // Prepare
    const id = `msg_${randomUUID()}`;
    const original = someAttempt();
    const tampered = original.replace('"pass"', '"fail"');
    const signature = signWebhook(WEBHOOK_SECRET, id, new Date(), original)['webhook-signature'];
    expect(tampered).not.toBe(original);

    // Act / Assess
    await expectRefusedAndNothingStored(
      { id, headers: { 'webhook-signature': signature } },
      tampered,
    );
  });

  it('refuses a webhook-id or webhook-timestamp changed after signing, and stores nothing', async () => {
    // Prepare
    const originalId = `msg_${randomUUID()}`;
    const at = new Date();
    const forOtherId = someAttempt();
    const forOtherTimestamp = someAttempt();
    const otherIdSignature = signWebhook(WEBHOOK_SECRET, originalId, at, forOtherId);
    const otherTimestampSignature = signWebhook(WEBHOOK_SECRET, originalId, at, forOtherTimestamp);

    // Act / Assess
    await expectRefusedAndNothingStored(
      { headers: { 'webhook-signature': otherIdSignature['webhook-signature'] } },
      forOtherId,
    );
    await expectRefusedAndNothingStored(
      {
        id: originalId,
        headers: {
          'webhook-signature': otherTimestampSignature['webhook-signature'],
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000) - 1),
        },
      },
      forOtherTimestamp,
    );
  });
});
