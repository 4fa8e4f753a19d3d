import { createHash, randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { LocalApp } from '../../../bin/local/local-app';
import { snsEventOf } from '../../../bin/local/mailbox-simulator';
import { ensureTable } from '../../../functions/adapters/dynamodb/create-table';
import { documentClientFor } from '../../../functions/handlers/lambda-runtime';
import { newCandidate, postAccepted } from '../run/run-helpers';
import { attemptEvent, createTestClock } from '../support/harness';
import { createOutboundTestApp, startReceiver } from './outbound-support';

/**
 * SPEC §8 with §11 on the emulator: a bounce or a complaint names every candidate using the
 * address, found through the address indexes, which hold hashes of addresses and never one.
 */

const PASSED_AT = '2026-02-12T09:00:00Z';
const PARENT = 'Parent.Shared@Example.com';

let receivers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  receivers = [];
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A permanent bounce or a complaint of `address`, as SES sends it, with no unsubscribe header. */
const notificationOf = (kind: 'Bounce' | 'Complaint', address: string, messageId: string) =>
  kind === 'Bounce'
    ? {
        notificationType: 'Bounce',
        mail: { messageId, headers: [] },
        bounce: {
          bounceType: 'Permanent',
          timestamp: '2026-11-12T13:00:05.000Z',
          bouncedRecipients: [{ emailAddress: address }],
        },
      }
    : {
        notificationType: 'Complaint',
        mail: { messageId, headers: [] },
        complaint: {
          timestamp: '2026-11-12T13:00:05.000Z',
          complainedRecipients: [{ emailAddress: address }],
        },
      };

/** The outbound events delivered so far, as the receiver got them. */
const deliveredEvents = async (
  app: LocalApp,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
) => {
  const outbound = app.outbound;
  if (outbound === undefined) throw new Error('outbound webhooks are off');
  await outbound.outbox.drain(outbound.endpoint);
  return receiver.requests.map(
    (request) => JSON.parse(request.body) as { type: string; data: Record<string, unknown> },
  );
};

/** Every entry of one index of the table (keys only), every page. */
const scanIndex = async (
  clients: { dynamodb: Parameters<typeof documentClientFor>[0] },
  tableName: string,
  indexName: string,
) => {
  const db = documentClientFor(clients.dynamodb);
  const entries: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: tableName, IndexName: indexName, ExclusiveStartKey }),
    );
    entries.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return entries;
};

describe('the address indexes', () => {
  it('name every candidate using a bounced address, as email or as guardian email, and hold hashes only', async () => {
    // Prepare: a parent with their own account, and a teen whose guardian is that parent.
    const receiver = await startReceiver(() => 204);
    receivers.push(receiver);
    const clock = createTestClock();
    const { app, clients, tableName } = await createOutboundTestApp(receiver.url, clock);
    const parent = newCandidate('addr-parent');
    const teen = newCandidate('addr-teen');
    const stranger = newCandidate('addr-stranger');
    await postAccepted(
      app,
      attemptEvent({
        candidateId: parent.candidateId,
        email: PARENT,
        outcome: 'pass',
        takenAt: PASSED_AT,
      }),
    );
    await postAccepted(
      app,
      attemptEvent({
        candidateId: teen.candidateId,
        email: teen.email,
        guardianEmail: PARENT.toUpperCase(),
        outcome: 'pass',
        takenAt: PASSED_AT,
      }),
    );
    await postAccepted(
      app,
      attemptEvent({ candidateId: stranger.candidateId, outcome: 'pass', takenAt: PASSED_AT }),
    );

    // Act: SES tells of a hard bounce of the shared address, in another case.
    const result = await app.sesEvents(
      snsEventOf(notificationOf('Bounce', PARENT.toLowerCase(), 'ses-bounce-1'), clock.now()),
    );
    const events = await deliveredEvents(app, receiver);

    // Assess: suppressed once, and both candidates named, sorted, without the address.
    expect(result).toEqual({ suppressed: 1 });
    expect(events.map((event) => [event.type, event.data])).toEqual([
      [
        'email.bounced',
        {
          candidateIds: [parent.candidateId, teen.candidateId].sort(),
          bounceType: 'Permanent',
        },
      ],
    ]);
    for (const request of receiver.requests) expect(request.body).not.toMatch(/@|example/i);
    const suppressed = await app.stores.suppressions.suppressed([PARENT]);
    expect([...suppressed]).toEqual([PARENT]);

    // Assess: each index holds keys only, its key a hash of the lowercased address.
    const byEmail = await scanIndex(clients, tableName, 'by-email');
    const byGuardian = await scanIndex(clients, tableName, 'by-guardian-email');
    expect(byEmail).toHaveLength(3);
    expect(byGuardian).toEqual([
      {
        pk: `CAND#${teen.candidateId}`,
        sk: 'CANDIDATE',
        guardianKey: `EMAIL#${sha256(PARENT.toLowerCase())}`,
      },
    ]);
    for (const entry of [...byEmail, ...byGuardian]) {
      expect(Object.keys(entry).sort()).toEqual(
        ['pk', 'sk', 'emailKey' in entry ? 'emailKey' : 'guardianKey'].sort(),
      );
      expect(String(entry.emailKey ?? entry.guardianKey)).toMatch(/^EMAIL#[0-9a-f]{64}$/);
      expect(JSON.stringify(entry)).not.toMatch(/@|example/i);
    }
  });

  it('forget an erased candidate, so a complaint of the address names only who still uses it', async () => {
    // Prepare
    const receiver = await startReceiver(() => 204);
    receivers.push(receiver);
    const clock = createTestClock();
    const { app, clients, tableName } = await createOutboundTestApp(receiver.url, clock);
    const parent = newCandidate('addr-parent');
    const teen = newCandidate('addr-teen');
    for (const [candidate, fields] of [
      [parent, { email: PARENT }],
      [teen, { email: teen.email, guardianEmail: PARENT }],
    ] as const) {
      await postAccepted(
        app,
        attemptEvent({
          candidateId: candidate.candidateId,
          ...fields,
          outcome: 'pass',
          takenAt: PASSED_AT,
        }),
      );
    }
    await postAccepted(app, {
      type: 'candidate.erased',
      timestamp: '2026-03-01T00:00:00Z',
      data: { candidateId: teen.candidateId },
    });

    // Act
    await app.sesEvents(
      snsEventOf(notificationOf('Complaint', PARENT, 'ses-complaint-1'), clock.now()),
    );
    const events = await deliveredEvents(app, receiver);

    // Assess: the tombstone is in neither index.
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['email.complained', { candidateIds: [parent.candidateId] }],
    ]);
    const entries = [
      ...(await scanIndex(clients, tableName, 'by-email')),
      ...(await scanIndex(clients, tableName, 'by-guardian-email')),
    ];
    expect(entries.map((entry) => entry.pk)).toEqual([`CAND#${parent.candidateId}`]);
  });
});

describe('a table made before the address indexes', () => {
  it('is refused with what to do, as the emulator cannot add an index to a table', async () => {
    // Prepare: the table as it was created before, with the due index only.
    const client = new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const tableName = `test-${randomUUID()}`;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'duePk', 'dueSk'].map((AttributeName) => ({
          AttributeName,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'due-index',
            KeySchema: [
              { AttributeName: 'duePk', KeyType: 'HASH' },
              { AttributeName: 'dueSk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );

    // Act
    const ensuring = ensureTable(client, tableName);

    // Assess
    await expect(ensuring).rejects.toThrow(
      /predates the index by-email.*start from an empty data directory/,
    );
  });
});
