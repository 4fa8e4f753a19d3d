import { createDateWriter } from './dates';
import type { ReminderEmailInput, RenderedEmail } from './email-input';
import { renderHtmlLayout } from './html-layout';
import { catalogueFor, resolveLocale } from './locale';
import { renderTextLayout } from './text-layout';
import { wordEmail } from './wording';

export type { EmailReminder, ReminderEmailInput, RenderedEmail } from './email-input';

/**
 * The reminder email (SPEC §4): one digest per candidate per run, with a subject, a plain-text
 * part and an HTML part. Pure: no I/O, no clock, no host time zone.
 *
 * The copy comes from the catalogue for the candidate's locale (English is the only one so far);
 * dates in words follow the candidate's `locale` whenever `Intl` supports it.
 */

/**
 * Renders the reminder email for one candidate: one reminder, or a digest of several.
 *
 * The subject names the credential when there is one reminder and counts them when there are
 * several; it never holds a control character. The text part names, for each reminder, the
 * credential, what the candidate can do and the dates, in words (in the candidate's locale) and
 * as `YYYY-MM-DD`. The HTML part escapes every candidate-supplied string.
 *
 * @throws {RangeError} when `reminders` is empty.
 * @throws {TypeError} when a reminder lacks a date its kind needs.
 * @example
 * const { subject, text } = renderReminderEmail({
 *   profile: { name: 'Ana Silva' },
 *   reminders: [{
 *     kind: 'renewal_window_open', credentialId: 'aws-sls',
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
  const wording = wordEmail(input, {
    catalogue: catalogueFor(input.profile.locale),
    dates: createDateWriter(resolveLocale(input.profile.locale)),
  });
  return {
    subject: wording.subject,
    text: renderTextLayout(wording),
    html: renderHtmlLayout(wording),
  };
};
