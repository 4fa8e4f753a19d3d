import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSesEvents } from '../../../functions/handlers/ses-events';
import { importEvents } from '../../../functions/use-cases/import-events';
import { attemptEvent, createTestApp, postEvent, runAt } from '../../integration/support/harness';
import { scanTable, type TableItem } from '../../integration/support/table';
import {
  EMAIL_ADDRESS,
  itemText,
  namesId,
  piiMarkers,
  sesNotification,
  snsEventOf,
} from './pii-support';

/**
 * SPEC §11: the suppression list keeps a SHA-256 hash of the lowercased address, not the address
 * (`SUPPRESS#` + 64 hex characters, whatever case and form SES wrote the address in), and the
 * attempt registry keeps a hash of each attempt's content, not its personal fields, whichever way
 * the attempt came in (webhook, JSONL or CSV import, merge).
 */

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dp-hashes-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the suppression list', () => {
  it('keys each bounced or complained address by the SHA-256 of its lowercased form, and keeps nothing else of it', async () => {
    // Prepare
    const testApp = await createTestApp();
    const m = piiMarkers('suppress');
    const bounced = `Pii.Marker-${m.tag}+Cert@Example.COM`;
    const complained = `PII-Guardian-${m.tag}@Example.ORG`;
    const handle = makeSesEvents({ stores: testApp.app.stores, clock: testApp.app.clock });
    const candidateId = `dp-sup-${randomUUID().slice(0, 8)}`;
    await postEvent(
      testApp.app,
      attemptEvent({
        candidateId,
        email: bounced.toLowerCase(),
        name: m.name,
        guardianEmail: complained,
        credentialName: m.credentialName,
        outcome: 'pass',
        takenAt: '2026-01-15T10:00:00Z',
      }),
    );

    // Act
    const result = await handle(
      snsEventOf([
        sesNotification('Bounce', [`"${m.name}" <${bounced}>`], {
          subject: `Renew ${m.credentialName}`,
        }),
        sesNotification('Complaint', [` ${complained} `]),
        sesNotification('Bounce', [bounced.toUpperCase()]),
      ]),
    );
    const report = await runAt(testApp.app, '2026-10-16T13:00:00Z');

    // Assess
    expect(result).toEqual({ suppressed: 3 });
    const items = await scanTable(testApp);
    const suppressions = items.filter((item) => String(item.pk).startsWith('SUPPRESS#'));
    expect(suppressions.map((item) => item.pk).sort()).toEqual(
      [
        `SUPPRESS#${sha256(bounced.toLowerCase())}`,
        `SUPPRESS#${sha256(complained.toLowerCase())}`,
      ].sort(),
    );
    for (const item of suppressions) {
      expect(String(item.pk)).toMatch(/^SUPPRESS#[0-9a-f]{64}$/);
      expect(Object.keys(item).sort()).toEqual(['at', 'pk', 'reason', 'sk']);
      const text = itemText(item).toLowerCase();
      expect(text).not.toContain('@');
      for (const marker of m.all) expect(text).not.toContain(marker.toLowerCase());
    }
    expect(report.emails.map((email) => email.candidateId)).not.toContain(candidateId);
    expect(
      report.skipped.filter((skip) => skip.candidateId === candidateId).map((skip) => skip.reason),
    ).toContain('unsubscribed');
  });
});

describe('the attempt registry', () => {
  it('holds for each attempt only its id, a content hash and when it was first emitted', async () => {
    // Prepare: attempts by webhook, by JSONL and CSV import, and a merge that moves some
    const testApp = await createTestApp();
    const people = ['web', 'jsonl', 'csv'].map((label) => ({
      candidateId: `dp-reg-${label}-${randomUUID().slice(0, 8)}`,
      m: piiMarkers(`reg${label}`),
    })) as Array<{ candidateId: string; m: ReturnType<typeof piiMarkers> }>;
    const [web, jsonl, csv] = people as [
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
    ];
    const attemptIds: string[] = [];
    const attempt = (person: typeof web, takenAt: string, outcome: 'pass' | 'fail') => {
      const attemptId = `att-${randomUUID()}`;
      attemptIds.push(attemptId);
      return attemptEvent({
        candidateId: person.candidateId,
        attemptId,
        email: person.m.email,
        name: person.m.name,
        guardianEmail: person.m.guardianEmail,
        timeZone: 'Asia/Kathmandu',
        credentialId: 'dp-reg-cred',
        credentialName: person.m.credentialName,
        outcome,
        takenAt,
      });
    };
    for (const event of [
      attempt(web, '2026-01-15T10:00:00Z', 'pass'),
      attempt(web, '2026-09-20T10:00:00Z', 'fail'),
    ]) {
      const answer = await postEvent(testApp.app, event);
      expect(answer.statusCode).toBe(202);
    }
    const deps = {
      stores: testApp.app.stores,
      settings: testApp.settings,
      clock: { now: () => new Date() },
    };
    const jsonlFile = join(directory, `${jsonl.candidateId}.jsonl`);
    await writeFile(
      jsonlFile,
      `${[attempt(jsonl, '2026-02-15T10:00:00Z', 'pass'), attempt(jsonl, '2026-03-15T10:00:00Z', 'fail')].map((event) => JSON.stringify(event)).join('\n')}\n`,
    );
    const csvIds = [`att-${randomUUID()}`, `att-${randomUUID()}`];
    attemptIds.push(...csvIds);
    const csvFile = join(directory, `${csv.candidateId}.csv`);
    await writeFile(
      csvFile,
      [
        'attemptId,candidateId,email,name,timeZone,credentialId,credentialName,outcome,takenAt,guardianEmail',
        ...csvIds.map(
          (attemptId, index) =>
            `${attemptId},${csv.candidateId},${csv.m.email},"${csv.m.name}",UTC,dp-reg-cred,"${csv.m.credentialName}",${index === 0 ? 'pass' : 'fail'},2026-0${index + 4}-15T10:00:00Z,${csv.m.guardianEmail}`,
        ),
      ].join('\n'),
    );
    expect((await importEvents(deps, jsonlFile)).rejected).toEqual([]);
    expect((await importEvents(deps, csvFile)).rejected).toEqual([]);
    const merge = await postEvent(testApp.app, {
      type: 'account.merged',
      timestamp: '2026-06-01T00:00:00Z',
      data: { fromCandidateId: csv.candidateId, toCandidateId: web.candidateId },
    });
    expect(merge.statusCode).toBe(202);

    // Act
    const items = await scanTable(testApp);

    // Assess
    const registry = items.filter((item) => String(item.pk).startsWith('ATTEMPT#'));
    expect(registry.map((item) => item.pk).sort()).toEqual(
      attemptIds.map((id) => `ATTEMPT#${id}`).sort(),
    );
    const problems = registry.flatMap((item: TableItem) => {
      const found: string[] = [];
      const text = itemText(item);
      const extra = Object.keys(item).filter(
        (key) => !['pk', 'sk', 'hash', 'emittedAt'].includes(key),
      );
      if (extra.length > 0) found.push(`${String(item.pk)} holds ${extra.join(', ')}`);
      if (!/^[A-Za-z0-9_-]{43}$/.test(String(item.hash)))
        found.push(`${String(item.pk)} hash ${String(item.hash)}`);
      if (typeof item.emittedAt !== 'number')
        found.push(`${String(item.pk)} emittedAt ${String(item.emittedAt)}`);
      if ((text.match(EMAIL_ADDRESS) ?? []).length > 0 || text.includes('@'))
        found.push(`${String(item.pk)} holds an address`);
      for (const person of people) {
        if (namesId(text, person.candidateId))
          found.push(`${String(item.pk)} names ${person.candidateId}`);
        for (const marker of person.m.all)
          if (text.toLowerCase().includes(marker.toLowerCase()))
            found.push(`${String(item.pk)} holds ${marker}`);
      }
      return found;
    });
    expect(problems).toEqual([]);
  });
});
