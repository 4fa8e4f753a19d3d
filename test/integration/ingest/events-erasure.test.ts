import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storedCandidates } from '../../../bin/cli/open-store';
import { attemptEvent, createTestApp, emailsTo, runAt, uniqueId } from '../support/harness';
import { scanTable } from '../support/table';
import { erasedEvent, mergedEvent, post, postAll, updateEvent } from './ingest-support';
import { expectTombstone } from './stored-layout';

/** SPEC §2 `candidate.erased` through the webhook, and SPEC §11: nothing personal is left. */

describe('candidate.erased', () => {
  it('deletes everything of the candidate but the tombstone, and later events store nothing and send nothing', async () => {
    // Prepare
    const testApp = await createTestApp();
    const candidateId = uniqueId('erase');
    const email = `${candidateId}@example.com`;
    const name = `Erin ${randomUUID().slice(0, 8)}`;
    const attempts = [
      attemptEvent({
        candidateId,
        name,
        guardianEmail: `${candidateId}.parent@example.com`,
        outcome: 'pass',
        takenAt: '2026-02-21T10:00:00Z',
      }),
      attemptEvent({
        candidateId,
        name,
        credentialId: 'gcp-ace',
        credentialName: 'GCP ACE',
        outcome: 'fail',
        takenAt: '2026-11-01T10:00:00Z',
      }),
    ];
    await postAll(testApp, attempts);
    const firstRun = await runAt(testApp.app, '2026-11-21T13:00:00Z');
    expect(firstRun.emails.map((sent) => sent.candidateId)).toContain(candidateId);
    const attemptIds = attempts.map((event) => event.data.attemptId);

    // Act
    const erased = await post(testApp, erasedEvent(candidateId, '2026-11-22T00:00:00Z'));
    const itemsAfterErasure = await scanTable(testApp);
    const laterAttempt = attemptEvent({
      candidateId,
      name,
      credentialId: 'k8s',
      outcome: 'fail',
      takenAt: '2026-11-10T10:00:00Z',
    });
    const later = await post(testApp, laterAttempt);
    const laterUpdate = await post(
      testApp,
      updateEvent(candidateId, '2026-11-23T00:00:00Z', { name: 'Back Again' }),
    );
    const laterRun = await runAt(testApp.app, '2026-12-06T13:00:00Z');
    const retakeRun = await runAt(testApp.app, '2026-11-26T13:00:00Z');

    // Assess
    expect(erased.statusCode).toBe(202);
    expect(erased.json?.status).toBe('accepted');
    expect(later.statusCode).toBe(202);
    expect(later.json?.status).toBe('accepted');
    expect(laterUpdate.statusCode).toBe(202);
    const items = await scanTable(testApp);
    expectTombstone(itemsAfterErasure, candidateId, { attemptIds });
    expectTombstone(items, candidateId, {
      attemptIds: [...attemptIds, laterAttempt.data.attemptId],
    });
    for (const snapshot of [itemsAfterErasure, items]) {
      const text = JSON.stringify(snapshot);
      expect(text).not.toContain(email);
      expect(text).not.toContain(name);
      expect(text).not.toContain('.parent@example.com');
    }
    expect(laterRun.emails.filter((sent) => sent.candidateId === candidateId)).toEqual([]);
    expect(retakeRun.emails.filter((sent) => sent.candidateId === candidateId)).toEqual([]);
    expect(await storedCandidates(testApp.app, candidateId)).toEqual([]);
    expect((await emailsTo(email)).length).toBe(1);
  });

  it('erases the accounts merged into an erased person too, and nothing is stored or sent for them afterwards', async () => {
    // Prepare
    const testApp = await createTestApp();
    const from = uniqueId('erase-from');
    const to = uniqueId('erase-to');
    const fromPass = attemptEvent({
      candidateId: from,
      name: 'Merged Away',
      outcome: 'pass',
      takenAt: '2026-02-21T10:00:00Z',
    });
    const toFail = attemptEvent({
      candidateId: to,
      name: 'Kept Account',
      credentialId: 'gcp-ace',
      credentialName: 'GCP ACE',
      outcome: 'fail',
      takenAt: '2026-03-01T10:00:00Z',
    });
    await postAll(testApp, [fromPass, toFail, mergedEvent(from, to, '2026-04-01T00:00:00Z')]);

    // Act
    const erased = await post(testApp, erasedEvent(to, '2026-05-01T00:00:00Z'));
    const laterForSource = attemptEvent({
      candidateId: from,
      outcome: 'fail',
      takenAt: '2026-05-02T10:00:00Z',
    });
    const later = await post(testApp, laterForSource);
    const renewalRun = await runAt(testApp.app, '2026-11-21T13:00:00Z');

    // Assess
    expect(erased.statusCode).toBe(202);
    expect(erased.json?.status).toBe('accepted');
    expect(later.statusCode).toBe(202);
    const items = await scanTable(testApp);
    const attemptIds = [fromPass, toFail, laterForSource].map((event) => event.data.attemptId);
    expectTombstone(items, to, { attemptIds });
    expectTombstone(items, from, { attemptIds, mergedInto: to });
    const text = JSON.stringify(items);
    for (const personal of [
      'Merged Away',
      'Kept Account',
      `${from}@example.com`,
      `${to}@example.com`,
    ])
      expect(text).not.toContain(personal);
    expect(renewalRun.emails).toEqual([]);
    expect(renewalRun.skipped).toEqual([]);
    expect(await storedCandidates(testApp.app, from)).toEqual([]);
    expect(await storedCandidates(testApp.app, to)).toEqual([]);
  });
});
