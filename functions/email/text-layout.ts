import type { EmailWording, ReminderWording } from './wording';

/**
 * The plain-text part of the reminder email: paragraphs separated by a blank line, one block per
 * reminder, no markup. Lays out words it is given and adds none of its own, so it serves every
 * language.
 */

const reminderBlock = (reminder: ReminderWording, wording: EmailWording): string =>
  [
    `${reminder.credentialName}${wording.labelSeparator}${reminder.status}`,
    ...reminder.sentences,
    `${wording.credentialIdLabel}${wording.labelSeparator}${reminder.credentialId}`,
  ].join('\n');

/**
 * Lays out the text part: greeting, introduction, the reminders in order, the sign-off, and the
 * footer (why the candidate gets it, the guardian note for a teen account, the unsubscribe link).
 * Ends with a newline.
 *
 * @example
 * const text = renderTextLayout(wordEmail(input, { catalogue: en, dates }));
 * // 'Dear Ana Silva,\n\nHere is an update about your certification, …\n\nAWS Serverless …'
 */
export const renderTextLayout = (wording: EmailWording): string => {
  const footer = [wording.reason];
  if (wording.guardianNote !== undefined) footer.push(wording.guardianNote);
  footer.push(wording.unsubscribeText);
  return [
    wording.greeting,
    wording.intro,
    ...wording.reminders.map((reminder) => reminderBlock(reminder, wording)),
    `${wording.signOff}\n${wording.programme}`,
    footer.join('\n\n'),
  ]
    .join('\n\n')
    .concat('\n');
};
