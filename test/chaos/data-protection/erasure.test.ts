import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageRejected, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import { makeSesEvents } from '../../../functions/handlers/ses-events';
import { importEvents } from '../../../functions/use-cases/import-events';
import {
  attemptEvent,
  createTestApp,
  httpEvent,
  postEvent,
  runAt,
  type TestApp,
  UNSUBSCRIBE_SECRET,
} from '../../integration/support/harness';
import { scanTable } from '../../integration/support/table';
import {
  expectErased,
  type PiiMarkers,
  piiMarkers,
  sesNotification,
  snsEventOf,
} from './pii-support';

/**
 * SPEC §11 after `candidate.erased`: a full scan of the table (every item, every attribute, the
 * candidate state in `data` parsed) finds none of the person's addresses, guardian address,
 * names, attempt ids or credential names, and nothing but their tombstones names their
 * candidate ids (run records included). Each person is first made to leave as many traces as
 * possible: reminders emailed, skipped and failed, a profile change, a bounce that suppressed the
 * address, a complaint, an unsubscribe, merges.
 */

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dp-erasure-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

interface Someone {
  readonly candidateId: string;
  readonly m: PiiMarkers;
  readonly attemptIds: string[];
}

const someone = (label: string): Someone => ({
  candidateId: `dp-${label}-${randomUUID().slice(0, 8)}`,
  m: piiMarkers(label),
  attemptIds: [],
});

/** A passed attempt (renewal due 9 months later) and a failed one of another credential. */
const historyOf = (person: Someone, passedAt: string, failedAt: string) => {
  const attempt = (
    credentialId: string,
    outcome: 'pass' | 'fail',
    takenAt: string,
    credentialName: string,
  ) => {
    const attemptId = `att-${randomUUID()}`;
    person.attemptIds.push(attemptId);
    return attemptEvent({
      candidateId: person.candidateId,
      attemptId,
      email: person.m.email,
      name: person.m.name,
      guardianEmail: person.m.guardianEmail,
      timeZone: 'America/Los_Angeles',
      credentialId,
      credentialName,
      outcome,
      takenAt,
    });
  };
  return [
    attempt('dp-cred-main', 'pass', passedAt, person.m.credentialName),
    attempt('dp-cred-second', 'fail', failedAt, `${person.m.credentialName} Second`),
  ];
};

const postAll = async (testApp: TestApp, events: readonly unknown[]) => {
  for (const event of events) {
    const answer = await postEvent(testApp.app, event);
    expect(answer.statusCode, answer.body).toBe(202);
  }
};

const updated = (person: Someone, timestamp: string) => ({
  type: 'candidate.updated',
  timestamp,
  data: { candidateId: person.candidateId, email: person.m.otherEmail, name: person.m.otherName },
});
const merged = (from: Someone, to: Someone, timestamp: string) => ({
  type: 'account.merged',
  timestamp,
  data: { fromCandidateId: from.candidateId, toCandidateId: to.candidateId },
});
const erased = (person: Someone, timestamp: string) => ({
  type: 'candidate.erased',
  timestamp,
  data: { candidateId: person.candidateId },
});

const bounceAndComplain = async (testApp: TestApp, person: Someone) => {
  const handle = makeSesEvents({ stores: testApp.app.stores, clock: testApp.app.clock });
  const result = await handle(
    snsEventOf([
      sesNotification('Bounce', [`"${person.m.name}" <${person.m.otherEmail.toUpperCase()}>`], {
        subject: `Renew ${person.m.credentialName}`,
      }),
      sesNotification('Complaint', [person.m.guardianEmail]),
    ]),
  );
  expect(result).toEqual({ suppressed: 2 });
};

/** What the person was, for the scan: every id, address, name and attempt. */
const personOf = (...people: Someone[]) => ({
  candidateIds: people.map((person) => person.candidateId),
  emails: people.flatMap((person) => [person.m.email, person.m.otherEmail, person.m.guardianEmail]),
  names: people.flatMap((person) => [person.m.name, person.m.otherName, `PiiName${person.m.tag}`]),
  attemptIds: people.flatMap((person) => person.attemptIds),
  credentialNames: people.map((person) => `PiiCredential${person.m.tag}`),
});

const emailedIds = (report: Awaited<ReturnType<typeof runAt>>) =>
  report.emails.map((email) => email.candidateId);

describe('candidate.erased leaves nothing personal in the table', () => {
  it('for a person erased after reminders were emailed and a bounce suppressed their address', async () => {
    // Prepare: emailed, renamed and re-addressed, bounced and complained about, skipped
    const testApp = await createTestApp();
    const ana = someone('ana');
    await postAll(testApp, historyOf(ana, '2026-01-15T18:00:00Z', '2026-09-20T18:00:00Z'));
    const firstRun = await runAt(testApp.app, '2026-10-16T13:00:00Z');
    await postAll(testApp, [updated(ana, '2026-10-17T00:00:00Z')]);
    await bounceAndComplain(testApp, ana);
    const suppressedRun = await runAt(testApp.app, '2026-12-17T13:00:00Z');

    const beforeErasure = JSON.stringify(await scanTable(testApp));

    // Act
    await postAll(testApp, [erased(ana, '2026-12-18T00:00:00Z')]);
    const afterErasure = await scanTable(testApp);
    const late = historyOf(ana, '2026-11-01T18:00:00Z', '2026-11-02T18:00:00Z');
    await postAll(testApp, late);
    const laterRun = await runAt(testApp.app, '2027-08-05T13:00:00Z');

    // Assess
    expect(emailedIds(firstRun)).toEqual([ana.candidateId]);
    expect(suppressedRun.skipped.map((skip) => skip.reason)).toContain('unsubscribed');
    expect(emailedIds(laterRun)).toEqual([]);
    for (const trace of [
      ana.m.otherEmail,
      ana.m.guardianEmail,
      ana.m.otherName,
      ...ana.attemptIds.slice(0, 2),
    ])
      expect(beforeErasure, 'what the erasure must remove was there').toContain(trace);
    expectErased(afterErasure, personOf(ana));
    expectErased(await scanTable(testApp), personOf(ana));
    expect(afterErasure.filter((item) => String(item.pk).startsWith('SUPPRESS#'))).toHaveLength(2);
  });

  it('for a person whose reminders SES refused, recorded as failed with its message', async () => {
    // Prepare: SES refuses every message to them, naming the recipient
    const kit = someone('kit');
    const ses = new SESv2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    mockClient(ses)
      .on(SendEmailCommand)
      .rejects(
        new MessageRejected({
          message: `Illegal address: "${kit.m.name}" <${kit.m.email}>, cc ${kit.m.guardianEmail}`,
          $metadata: { httpStatusCode: 400 },
        }),
      );
    const testApp = await createTestApp({ ses });
    await postAll(testApp, historyOf(kit, '2026-01-15T18:00:00Z', '2026-09-20T18:00:00Z'));
    const refused = await runAt(testApp.app, '2026-10-16T13:00:00Z');

    // Act
    await postAll(testApp, [erased(kit, '2026-10-17T00:00:00Z')]);

    // Assess
    expect(refused.failed.map((failure) => failure.candidateId)).toEqual([kit.candidateId]);
    expectErased(await scanTable(testApp), personOf(kit));
  });

  it('for merged accounts erased through the account they were merged into', async () => {
    // Prepare: both emailed before the merge, the survivor after it
    const testApp = await createTestApp();
    const bo = someone('bo');
    const cy = someone('cy');
    await postAll(testApp, [
      ...historyOf(bo, '2026-01-15T18:00:00Z', '2026-09-20T18:00:00Z'),
      ...historyOf(cy, '2026-01-20T18:00:00Z', '2026-09-25T18:00:00Z'),
    ]);
    const beforeMerge = await runAt(testApp.app, '2026-10-21T13:00:00Z');
    await postAll(testApp, [
      merged(bo, cy, '2026-10-22T00:00:00Z'),
      updated(cy, '2026-10-23T00:00:00Z'),
    ]);
    await bounceAndComplain(testApp, bo);
    const afterMerge = await runAt(testApp.app, '2026-12-21T13:00:00Z');

    // Act
    await postAll(testApp, [erased(cy, '2026-12-22T00:00:00Z')]);

    // Assess
    expect(emailedIds(beforeMerge).sort()).toEqual([bo.candidateId, cy.candidateId].sort());
    expect(emailedIds(afterMerge)).toEqual([cy.candidateId]);
    expectErased(await scanTable(testApp), personOf(bo, cy));
  });

  it('for merged accounts erased through the merged-away id, with an unsubscribe among them', async () => {
    // Prepare
    const testApp = await createTestApp();
    const dee = someone('dee');
    const eve = someone('eve');
    await postAll(testApp, [
      ...historyOf(dee, '2026-01-15T18:00:00Z', '2026-09-20T18:00:00Z'),
      ...historyOf(eve, '2026-01-15T18:00:00Z', '2026-09-20T18:00:00Z'),
    ]);
    await runAt(testApp.app, '2026-10-16T13:00:00Z');
    const unsubscribed = await testApp.app.unsubscribe(
      httpEvent('POST', '/unsubscribe', {
        query: `token=${createUnsubscribeToken(dee.candidateId, UNSUBSCRIBE_SECRET)}`,
        body: 'List-Unsubscribe=One-Click',
      }),
    );
    expect(unsubscribed.statusCode).toBe(200);
    await postAll(testApp, [merged(dee, eve, '2026-10-20T00:00:00Z')]);

    // Act
    await postAll(testApp, [erased(dee, '2026-10-21T00:00:00Z')]);
    const laterRun = await runAt(testApp.app, '2026-12-17T13:00:00Z');

    // Assess
    expect(emailedIds(laterRun)).toEqual([]);
    expectErased(await scanTable(testApp), personOf(dee, eve));
  });

  it('for a chain of merges erased through its first id', async () => {
    // Prepare: fay → gus → hal, each with a history, emailed along the way
    const testApp = await createTestApp();
    const [fay, gus, hal] = [someone('fay'), someone('gus'), someone('hal')] as [
      Someone,
      Someone,
      Someone,
    ];
    for (const person of [fay, gus, hal])
      await postAll(testApp, historyOf(person, '2026-01-15T18:00:00Z', '2026-09-20T18:00:00Z'));
    await runAt(testApp.app, '2026-10-16T13:00:00Z');
    await postAll(testApp, [
      merged(fay, gus, '2026-10-17T00:00:00Z'),
      merged(gus, hal, '2026-10-18T00:00:00Z'),
    ]);
    await runAt(testApp.app, '2026-12-17T13:00:00Z');

    // Act
    await postAll(testApp, [erased(fay, '2026-12-18T00:00:00Z')]);

    // Assess
    expectErased(await scanTable(testApp), personOf(fay, gus, hal));
  });

  it('for a person erased by an import file, and imported again after', async () => {
    // Prepare
    const testApp = await createTestApp();
    const ivy = someone('ivy');
    const jon = someone('jon');
    const lines = [
      ...historyOf(ivy, '2026-01-15T18:00:00Z', '2026-09-20T18:00:00Z'),
      ...historyOf(jon, '2026-01-16T18:00:00Z', '2026-09-21T18:00:00Z'),
      updated(ivy, '2026-09-22T00:00:00Z'),
      merged(jon, ivy, '2026-09-23T00:00:00Z'),
    ];
    const deps = {
      stores: testApp.app.stores,
      settings: testApp.settings,
      clock: { now: () => new Date() },
    };
    const first = join(directory, `first-${ivy.candidateId}.jsonl`);
    await writeFile(first, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    await importEvents(deps, first);
    await runAt(testApp.app, '2026-10-16T13:00:00Z');
    const second = join(directory, `second-${ivy.candidateId}.jsonl`);
    const again = historyOf(ivy, '2026-10-01T18:00:00Z', '2026-10-02T18:00:00Z');
    await writeFile(
      second,
      `${[erased(ivy, '2026-10-17T00:00:00Z'), ...again].map((line) => JSON.stringify(line)).join('\n')}\n`,
    );

    // Act
    const summary = await importEvents(deps, second);

    // Assess
    expect(summary.rejected).toEqual([]);
    expectErased(await scanTable(testApp), personOf(ivy, jon));
  });
});
