import { describe, expect, it } from 'vitest';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import { createTestApp, emailsTo, httpEvent, runAt } from '../support/harness';
import {
  countEmailsTo,
  emailedReminders,
  headerOf,
  newCandidate,
  postAttempt,
  reportFor,
  skippedReminders,
  unsubscribeQueryOf,
} from './run-helpers';

/**
 * SPEC §1 (one email per candidate per run), §4 (subject counts the reminders, Cc the guardian,
 * List-Unsubscribe headers, HMAC-signed tokens) and §3 (`GET /unsubscribe` changes nothing,
 * `POST` one-click unsubscribes, a forged token changes nothing).
 */

const unsubscribedAt = async (
  app: Awaited<ReturnType<typeof createTestApp>>['app'],
  candidateId: string,
) => (await app.store.loadCandidate(candidateId)).profile?.unsubscribedAt;

const oneClick = (query: string) =>
  httpEvent('POST', '/unsubscribe', {
    query,
    body: 'List-Unsubscribe=One-Click',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

describe('a digest of two credentials due the same day', () => {
  it('is one email, Cc the guardian, whose unsubscribe link works and whose forgeries do not', async () => {
    // Prepare: two credentials passed on the same Berlin date (10 March 2026), the first one
    // at 00:30 local time, which is still 9 March in UTC; a guardian (teen account)
    const { app } = await createTestApp();
    const candidate = newCandidate('digest');
    const guardian = `guardian-${candidate.candidateId}@example.net`;
    const common = { outcome: 'pass' as const, timeZone: 'Europe/Berlin', guardianEmail: guardian };
    await postAttempt(app, candidate, {
      ...common,
      takenAt: '2026-03-09T23:30:00Z',
      credentialId: 'aws-cp',
      credentialName: 'AWS Cloud Practitioner',
    });
    await postAttempt(app, candidate, {
      ...common,
      takenAt: '2026-03-10T15:00:00Z',
      credentialId: 'gcp-ace',
      credentialName: 'Google Associate Cloud Engineer',
    });

    // Act: both renewal windows open on 2026-12-10 in Berlin
    const run = await runAt(app, '2026-12-10T13:00:00Z');

    // Assess: one email with both reminders
    const mine = reportFor(run, candidate.candidateId);
    expect(mine.emails).toHaveLength(1);
    expect(emailedReminders(run, candidate.candidateId)).toEqual(
      expect.arrayContaining([
        { credentialId: 'aws-cp', kind: 'renewal_window_open', dueOn: '2026-12-10' },
        { credentialId: 'gcp-ace', kind: 'renewal_window_open', dueOn: '2026-12-10' },
      ]),
    );
    expect(mine.emails[0]?.reminders).toHaveLength(2);
    expect(mine.emails[0]?.to).toEqual([candidate.email]);
    expect(mine.emails[0]?.cc).toEqual([guardian]);
    const mailbox = await emailsTo(candidate.email);
    expect(mailbox).toHaveLength(1);
    const [email] = mailbox;
    expect(email?.messageId).toBe(mine.emails[0]?.messageId);
    expect(email?.subject).toMatch(/\b2\b/);
    expect(email?.body.text).toContain('AWS Cloud Practitioner');
    expect(email?.body.text).toContain('Google Associate Cloud Engineer');
    expect(email?.body.text).toContain('(2026-12-10)');
    expect(email?.destination.to).toEqual([candidate.email]);
    expect(email?.destination.cc).toEqual([guardian]);
    expect(await countEmailsTo(guardian)).toBe(1);
    expect(headerOf(email, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(headerOf(email, 'List-Unsubscribe')).toMatch(
      /^<http:\/\/127\.0\.0\.1:3999\/unsubscribe\?token=[^>\s]+>$/,
    );
    const query = unsubscribeQueryOf(email);

    // Act: forged tokens, by GET and by POST: the signature altered, and one signed with another secret
    const token = new URLSearchParams(query).get('token') ?? '';
    const signature = token.split('.').at(-1) ?? '';
    const altered = `${token.slice(0, -signature.length)}${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const foreign = createUnsubscribeToken(candidate.candidateId, 'not-the-unsubscribe-secret');
    const forgeries = [];
    for (const forged of [altered, foreign]) {
      const forgedQuery = new URLSearchParams({ token: forged }).toString();
      forgeries.push(
        await app.unsubscribe(httpEvent('GET', '/unsubscribe', { query: forgedQuery })),
      );
      forgeries.push(await app.unsubscribe(oneClick(forgedQuery)));
    }

    // Assess: refused with a 4xx, nothing changed
    for (const answer of forgeries) {
      expect(answer.statusCode).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode).toBeLessThan(500);
    }
    expect(await unsubscribedAt(app, candidate.candidateId)).toBeUndefined();

    // Act: the real link, opened (GET)
    const page = await app.unsubscribe(httpEvent('GET', '/unsubscribe', { query }));

    // Assess: a confirmation page with a form that POSTs; nothing changed
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<form[^>]*method="?post/i);
    expect(await unsubscribedAt(app, candidate.candidateId)).toBeUndefined();

    // Act: one-click unsubscribe (RFC 8058), as a mail client does it
    const done = await app.unsubscribe(oneClick(query));

    // Assess
    expect(done.statusCode).toBe(200);
    expect(await unsubscribedAt(app, candidate.candidateId)).toBeDefined();

    // Act: both credentials' expiry warnings fall due on 2027-02-08 (30 days before 2027-03-10)
    const later = await runAt(app, '2027-02-08T13:00:00Z');

    // Assess: skipped as unsubscribed, no mail to the candidate or the guardian
    expect(reportFor(later, candidate.candidateId).emails).toEqual([]);
    expect(skippedReminders(later, candidate.candidateId)).toEqual([
      {
        credentialId: 'aws-cp',
        kind: 'expiring_soon',
        dueOn: '2027-02-08',
        reason: 'unsubscribed',
      },
      {
        credentialId: 'gcp-ace',
        kind: 'expiring_soon',
        dueOn: '2027-02-08',
        reason: 'unsubscribed',
      },
    ]);
    expect(await countEmailsTo(candidate.email)).toBe(1);
    expect(await countEmailsTo(guardian)).toBe(1);
  });

  it('a candidate with one reminder gets a subject naming the credential', async () => {
    // Prepare
    const { app } = await createTestApp();
    const candidate = newCandidate('single');
    await postAttempt(app, candidate, {
      outcome: 'pass',
      takenAt: '2026-03-10T15:00:00Z',
      credentialId: 'gcp-ace',
      credentialName: 'Google Associate Cloud Engineer',
    });

    // Act
    const run = await runAt(app, '2026-12-10T13:00:00Z');

    // Assess
    expect(reportFor(run, candidate.candidateId).emails[0]?.cc).toEqual([]);
    const [email] = await emailsTo(candidate.email);
    expect(email?.subject).toContain('Google Associate Cloud Engineer');
    expect(email?.destination.cc).toEqual([]);
  });
});
