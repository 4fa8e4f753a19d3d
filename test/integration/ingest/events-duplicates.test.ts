import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { attemptEvent, createTestApp, type TestApp, uniqueId } from '../support/harness';
import { attemptItems, candidateItems, scanTable, snapshotTable } from '../support/table';
import { errorKeys, post, postAll } from './ingest-support';

/** SPEC §2 and §3 through the webhook: repeated webhook-ids, repeated attempts, unknown fields. */

let shared: TestApp;

beforeAll(async () => {
  shared = await createTestApp();
});

describe('duplicates', () => {
  it('answers a repeated webhook-id with 202 duplicate and stores nothing more', async () => {
    // Prepare
    const id = `msg_${randomUUID()}`;
    const event = attemptEvent({
      candidateId: uniqueId('dup'),
      outcome: 'pass',
      takenAt: '2026-04-01T10:00:00Z',
    });
    expect((await post(shared, event, id)).json).toEqual({ status: 'accepted', id });
    const before = await snapshotTable(shared);

    // Act
    const repeat = await post(shared, event, id);
    const otherBodySameId = await post(
      shared,
      attemptEvent({
        candidateId: uniqueId('dup'),
        outcome: 'fail',
        takenAt: '2026-04-02T10:00:00Z',
      }),
      id,
    );

    // Assess
    expect(repeat.statusCode).toBe(202);
    expect(repeat.json).toEqual({ status: 'duplicate', id });
    expect(otherBodySameId.statusCode).toBe(202);
    expect(otherBodySameId.json).toEqual({ status: 'duplicate', id });
    const after = await snapshotTable(shared);
    expect(after.count).toBe(before.count);
    expect(after.hash).toBe(before.hash);
  });

  it('answers a seen webhook-id with an invalid body with 400, not duplicate, since the id is read only after the body is validated', async () => {
    // Prepare
    const id = `msg_${randomUUID()}`;
    const event = attemptEvent({
      candidateId: uniqueId('dup-invalid'),
      outcome: 'pass',
      takenAt: '2026-04-01T10:00:00Z',
    });
    expect((await post(shared, event, id)).json).toEqual({ status: 'accepted', id });
    const before = await snapshotTable(shared);

    // Act
    const notJson = await post(shared, '{"type": "attempt.recorded", ', id);
    const badPayload = await post(
      shared,
      { ...event, data: { ...event.data, outcome: 'maybe' } },
      id,
    );
    const validAgain = await post(shared, event, id);

    // Assess
    expect(notJson.statusCode).toBe(400);
    expect(Object.keys(notJson.json).sort()).toEqual(errorKeys());
    expect(notJson.json.error).toBe('invalid_json');
    expect(badPayload.statusCode).toBe(400);
    expect(Object.keys(badPayload.json).sort()).toEqual(errorKeys(['issues']));
    expect(badPayload.json.error).toBe('invalid_payload');
    expect(validAgain.statusCode).toBe(202);
    expect(validAgain.json).toEqual({ status: 'duplicate', id });
    const after = await snapshotTable(shared);
    expect(after.count).toBe(before.count);
    expect(after.hash).toBe(before.hash);
  });

  it('answers an identical attemptId replayed under a new webhook-id with 202 duplicate, keeping one attempt', async () => {
    // Prepare
    const candidateId = uniqueId('replay');
    const event = attemptEvent({ candidateId, outcome: 'fail', takenAt: '2026-04-03T10:00:00Z' });
    await postAll(shared, [event]);
    const before = candidateItems(await scanTable(shared), candidateId);
    const replayId = `msg_${randomUUID()}`;

    // Act
    const replay = await post(shared, event, replayId);

    // Assess
    expect(replay.statusCode).toBe(202);
    expect(replay.json).toEqual({ status: 'duplicate', id: replayId });
    const items = await scanTable(shared);
    expect(before).toHaveLength(1);
    expect(candidateItems(items, candidateId)).toEqual(before);
    expect(attemptItems(items, [event.data.attemptId])).toHaveLength(1);
    const record = await shared.app.store.loadCandidate(candidateId);
    expect(record.states.flatMap((state) => state.attempts)).toHaveLength(1);
  });

  it('ignores unknown fields anywhere in the event', async () => {
    // Prepare
    const candidateId = uniqueId('extra');
    const base = attemptEvent({
      candidateId,
      outcome: 'pass',
      takenAt: '2026-04-04T10:00:00Z',
      name: 'Ana Lima',
    });
    const event = {
      ...base,
      surplusTop: { nested: true },
      data: {
        ...base.data,
        surplusData: 1,
        candidate: { ...base.data.candidate, surplusCandidate: 'x' },
        credential: { ...base.data.credential, surplusCredential: ['y'] },
      },
    };

    // Act
    const result = await post(shared, event);

    // Assess
    expect(result.statusCode).toBe(202);
    expect(result.json?.status).toBe('accepted');
    const record = await shared.app.store.loadCandidate(candidateId);
    expect(record.profile?.profile).toEqual({
      candidateId,
      email: `${candidateId}@example.com`,
      name: 'Ana Lima',
    });
    const items = await scanTable(shared);
    expect(candidateItems(items, candidateId)).toHaveLength(1);
    expect(JSON.stringify(candidateItems(items, candidateId))).not.toMatch(/surplus/);
    expect(JSON.stringify(attemptItems(items, [base.data.attemptId]))).not.toMatch(/surplus/);
  });
});
