import { describe, expect, it } from 'vitest';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import { reminderUid } from '../../../functions/email/reminder-calendar';
import { parseCalendar } from '../../unit/email/support/parse-calendar';
import { newCandidate, postAccepted, postAttempt } from '../run/run-helpers';
import {
  createTestApp,
  emailsTo,
  httpEvent,
  runAt,
  type StoredEmail,
  UNSUBSCRIBE_SECRET,
  uniqueId,
} from '../support/harness';

/**
 * SPEC §4 end to end on the local stack: a candidate whose locale is `de-AT` gets the German
 * email, with `reminders.ics` attached as SES stores it, and the unsubscribe page in German.
 */

/** What aws-ses-v2-local keeps of an attachment: its content in base64. */
type WithAttachments = StoredEmail & {
  readonly attachments?: readonly {
    readonly filename: string;
    readonly contentType: string;
    readonly content: string;
  }[];
};

const PASSED_AT = '2026-02-12T09:00:00Z';
const RENEWAL_RUN = '2026-11-12T13:00:00Z';

describe('an email in the candidate language, with its calendar', () => {
  it('sends a de-AT candidate the German email with reminders.ics, and a German unsubscribe page', async () => {
    // Prepare
    const { app } = await createTestApp();
    const candidate = newCandidate('lang');
    const attemptId = uniqueId('att');
    await postAttempt(app, candidate, { outcome: 'pass', takenAt: PASSED_AT, attemptId });
    await postAccepted(app, {
      type: 'candidate.updated',
      timestamp: '2026-03-01T09:00:00Z',
      data: { candidateId: candidate.candidateId, locale: 'de-AT', name: 'Anna Huber' },
    });

    // Act
    await runAt(app, RENEWAL_RUN);
    const token = createUnsubscribeToken(candidate.candidateId, UNSUBSCRIBE_SECRET);
    const page = await app.unsubscribe(
      httpEvent('GET', '/unsubscribe', { query: new URLSearchParams({ token }).toString() }),
    );

    // Assess
    const [email] = (await emailsTo(candidate.email)) as WithAttachments[];
    expect(email?.subject).toBe('Sie können AWS Serverless Microcredential jetzt verlängern');
    expect(email?.body.text).toContain('Guten Tag Anna Huber,');
    expect(email?.body.text).toContain('ab Donnerstag, 12. November 2026 (2026-11-12)');
    expect(email?.attachments?.map((a) => a.filename)).toEqual(['reminders.ics']);
    const calendar = parseCalendar(
      Buffer.from(email?.attachments?.[0]?.content ?? '', 'base64').toString('utf8'),
    );
    expect(calendar.events).toHaveLength(1);
    expect(calendar.events[0]).toMatchObject({
      uid: reminderUid(candidate.candidateId, `aws-serverless#renewal_window_open#${attemptId}`),
      start: '2026-11-12',
      end: '2027-02-12',
      startIsDate: true,
      summary: 'Verlängerungszeitraum für AWS Serverless Microcredential',
      stamp: '2026-11-12T13:00:00Z',
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="de">');
    expect(page.body).toContain('Von den Zertifizierungserinnerungen abmelden?');
  });
});
