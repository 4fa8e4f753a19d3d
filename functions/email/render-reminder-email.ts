import { createDateWriter } from './dates';
import type { ReminderEmailInput, RenderedEmail } from './email-input';
import { renderHtmlLayout } from './html-layout';
import { catalogueFor, dateLocaleFor } from './locale';
import { renderReminderCalendar } from './reminder-calendar';
import { renderTextLayout } from './text-layout';
import { wordEmail } from './wording';

export type { EmailReminder, ReminderEmailInput, RenderedEmail } from './email-input';

/**
 * The reminder email (SPEC §4): one digest per candidate per run, with a subject, a plain-text
 * part and an HTML part. Pure: no I/O, no clock, no host time zone.
 *
 * The copy comes from the catalogue for the candidate's locale (`en`, `de`, `fr`, `es`, `pt-BR`,
 * `ja`; else the locale's language, else English); dates in words are in that language, in the
 * candidate's own regional style when it has one (see `dateLocaleFor`).
 */

/**
 * Renders the reminder email for one candidate: one reminder, or a digest of several.
 *
 * The subject names the credential when there is one reminder and counts them when there are
 * several; it never holds a control character. The text part names, for each reminder, the
 * credential, what the candidate can do and the dates, in words (in the candidate's locale) and
 * as `YYYY-MM-DD`. The HTML part escapes every candidate-supplied string. The calendar holds one
 * all-day event per reminder, its `SUMMARY` in the email's language (see `reminder-calendar.ts`).
 *
 * @throws {RangeError} when `reminders` is empty.
 * @throws {TypeError} when a reminder lacks a date its kind needs.
 * @example
 * const { subject, text } = renderReminderEmail({
 *   profile: { candidateId: 'cand-ana', name: 'Ana Silva' },
 *   reminders: [{
 *     kind: 'renewal_window_open', credentialId: 'aws-sls', key: 'aws-sls#renewal_window_open#att-1',
 *     credentialName: 'AWS Serverless Microcredential', dueOn: '2027-11-29',
 *     dates: { passedOn: '2027-02-28', renewalOpensOn: '2027-11-29', expiresOn: '2028-02-28' },
 *   }],
 *   unsubscribeUrl: 'https://reminders.example.com/unsubscribe?token=v1.abc.def',
 * });
 * subject; // 'You can now renew AWS Serverless Microcredential'
 * text.includes('You can renew from Monday 29 November 2027 (2027-11-29) until 28 February 2028 (2028-02-28)'); // true
 */
export const renderReminderEmail = (input: ReminderEmailInput): RenderedEmail => {
  if (input.reminders.length === 0) {
    throw new RangeError('a reminder email needs at least one reminder');
  }
  const catalogue = catalogueFor(input.profile.locale);
  const wording = wordEmail(input, {
    catalogue,
    dates: createDateWriter(
      dateLocaleFor(input.profile.locale, catalogue),
      catalogue.email.datedIso,
    ),
  });
  const firstDay = input.today ?? input.reminders[0]?.dueOn;
  return {
    subject: wording.subject,
    text: renderTextLayout(wording),
    html: renderHtmlLayout(wording),
    calendar: renderReminderCalendar({
      candidateId: input.profile.candidateId,
      reminders: input.reminders,
      wordings: wording.reminders,
      catalogue,
      stampedAt: input.sentAt ?? `${firstDay}T00:00:00Z`,
    }),
    language: catalogue.language,
  };
};
