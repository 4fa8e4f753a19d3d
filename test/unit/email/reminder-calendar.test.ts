import { describe, expect, it } from 'vitest';
import type { EmailReminder } from '../../../functions/email/email-input';
import {
  CALENDAR_CONTENT_TYPE,
  CALENDAR_FILE_NAME,
  calendarSpanOf,
  reminderUid,
} from '../../../functions/email/reminder-calendar';
import { renderReminderEmail } from '../../../functions/email/render-reminder-email';
import { expired, renewal } from '../support/email-reminders';
import { parseCalendar } from './support/parse-calendar';

const retake: EmailReminder = {
  kind: 'retake_available',
  credentialId: 'k8s-admin',
  key: 'k8s-admin#retake_available#att-9',
  credentialName: 'Kubernetes Platform Administrator',
  dueOn: '2027-06-27',
  dates: { failedOn: '2027-06-02', retakeFrom: '2027-06-27' },
};

const expiring: EmailReminder = {
  kind: 'expiring_soon',
  credentialId: 'aws-sls',
  key: 'aws-sls#expiring_soon#att-1#30',
  credentialName: 'AWS Serverless Microcredential',
  dueOn: '2028-01-29',
  daysBefore: 30,
  dates: { passedOn: '2027-02-28', renewalOpensOn: '2027-11-29', expiresOn: '2028-02-28' },
};

const calendarOf = (
  reminders: readonly EmailReminder[],
  options: { locale?: string; sentAt?: string; candidateId?: string } = {},
) =>
  parseCalendar(
    renderReminderEmail({
      profile: { candidateId: options.candidateId ?? 'cand-ana', locale: options.locale },
      reminders,
      unsubscribeUrl: 'https://reminders.example.com/unsubscribe?token=t',
      ...(options.sentAt ? { sentAt: options.sentAt } : {}),
    }).calendar,
  );

describe('calendarSpanOf', () => {
  it.each([
    ['renewal_window_open', renewal, '2027-11-29', '2028-02-28'],
    ['retake_available', retake, '2027-06-27', '2027-06-28'],
    ['expiring_soon', expiring, '2028-02-28', '2028-02-29'],
    ['expired', expired, '2028-02-28', '2028-02-29'],
  ] as const)('covers %s from %s', (_kind, reminder, start, end) => {
    // Act
    const span = calendarSpanOf(reminder);

    // Assess
    expect(span).toEqual({ start, end });
  });

  it('ends a one-day entry on the next day across a month and a year', () => {
    // Act
    const span = calendarSpanOf({
      ...expired,
      dueOn: '2027-12-31',
      dates: { expiresOn: '2027-12-31' },
    });

    // Assess
    expect(span).toEqual({ start: '2027-12-31', end: '2028-01-01' });
  });
});

describe('reminders.ics', () => {
  it('is named and typed as SPEC §4 says', () => {
    // Assess
    expect(CALENDAR_FILE_NAME).toBe('reminders.ics');
    expect(CALENDAR_CONTENT_TYPE).toBe('text/calendar; method=PUBLISH');
  });

  it('parses with ical.js into one all-day event per reminder, DTEND exclusive', () => {
    // Act
    const calendar = calendarOf([renewal, retake, expiring, expired]);

    // Assess
    expect(calendar.version).toBe('2.0');
    expect(calendar.method).toBe('PUBLISH');
    expect(calendar.productId).toContain('cert-reminders');
    expect(
      calendar.events.map(({ start, end, startIsDate, endIsDate }) => ({
        start,
        end,
        allDay: startIsDate && endIsDate,
      })),
    ).toEqual([
      { start: '2027-11-29', end: '2028-02-28', allDay: true },
      { start: '2027-06-27', end: '2027-06-28', allDay: true },
      { start: '2028-02-28', end: '2028-02-29', allDay: true },
      { start: '2028-02-28', end: '2028-02-29', allDay: true },
    ]);
  });

  it('says what each date is, naming the credential, in English by default', () => {
    // Act
    const summaries = calendarOf([renewal, retake, expiring, expired]).events.map((e) => e.summary);

    // Assess
    expect(summaries).toEqual([
      'Renewal window for AWS Serverless Microcredential',
      'Retake available: Kubernetes Platform Administrator',
      'AWS Serverless Microcredential expires',
      'AWS Serverless Microcredential expired',
    ]);
  });

  it('keeps each UID across re-sends, send dates and languages', () => {
    // Act
    const uids = [
      calendarOf([renewal, expired], { sentAt: '2027-11-29T13:00:00Z' }),
      calendarOf([renewal, expired], { sentAt: '2027-12-14T13:00:00Z', locale: 'ja' }),
      calendarOf([expired, renewal], { sentAt: '2028-01-01T13:00:00Z', locale: 'de-AT' }),
    ].map((calendar) => calendar.events.map((event) => event.uid).sort());

    // Assess
    expect(uids[1]).toEqual(uids[0]);
    expect(uids[2]).toEqual(uids[0]);
  });

  it('derives the UID from the candidate and the natural key alone, with no salt', () => {
    // Act
    const [event] = calendarOf([renewal]).events;

    // Assess: the SHA-256 of "cand-ana\naws-sls#renewal_window_open#att-1", worked out apart.
    expect(event?.uid).toBe(
      '381aebba6c4ab33a01b7f07859f9101e9fe32f951200640a15c942116a97fb69@cert-reminders',
    );
    expect(event?.uid).toMatch(/^[0-9a-f]{64}@cert-reminders$/);
    expect(reminderUid('cand-ana', renewal.key)).not.toBe(reminderUid('cand-bob', renewal.key));
    expect(reminderUid('cand-ana', renewal.key)).not.toBe(reminderUid('cand-ana', expired.key));
  });

  it('is stamped with the instant the email is sent', () => {
    // Act
    const [event] = calendarOf([renewal], { sentAt: '2027-11-29T13:00:07.250Z' }).events;

    // Assess
    expect(event?.stamp).toBe('2027-11-29T13:00:07Z');
  });
});
