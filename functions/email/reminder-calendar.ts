import { createHash } from 'node:crypto';
import { addDays, type IsoInstant, type LocalDate } from '../domain/calendar';
import type { Catalogue } from './catalogue';
import type { EmailReminder } from './email-input';
import { type AllDayEvent, writeCalendar } from './icalendar';
import type { ReminderWording } from './wording';

/**
 * The email's `reminders.ics` (SPEC §4): one all-day event per reminder. `renewal_window_open`
 * spans `renewalOpensOn` up to `expiresOn` (exclusive); `expiring_soon` and `expired` mark
 * `expiresOn`; `retake_available` marks `retakeFrom`. Each `UID` comes from the reminder's
 * natural key alone, so re-sending, a later run, another installation or another language gives
 * the same `UID`, and a calendar updates the entry rather than adding a second one.
 */

/** The attachment's file name and media type. */
export const CALENDAR_FILE_NAME = 'reminders.ics';
export const CALENDAR_CONTENT_TYPE = 'text/calendar; method=PUBLISH';

/** The domain part of every `UID`: the same on every installation. */
const UID_DOMAIN = 'cert-reminders';

/**
 * The `UID` of a reminder's calendar entry: the SHA-256 of the candidate id and the reminder's
 * natural key (SPEC §1), no salt, as hex, at `cert-reminders`.
 *
 * @example
 * reminderUid('cand-ana', 'aws-sls#expired#att-1'); // '<64 hex digits>@cert-reminders'
 */
export const reminderUid = (candidateId: string, key: string): string =>
  `${createHash('sha256').update(`${candidateId}\n${key}`).digest('hex')}@${UID_DOMAIN}`;

/**
 * The days a reminder's entry covers: its first day and the day after its last (exclusive).
 *
 * @example
 * calendarSpanOf(renewal); // { start: '2027-11-29', end: '2028-02-28' }
 * calendarSpanOf(expired); // { start: '2028-02-28', end: '2028-02-29' }
 */
export const calendarSpanOf = (
  reminder: Pick<EmailReminder, 'kind' | 'dueOn' | 'dates'>,
): { readonly start: LocalDate; readonly end: LocalDate } => {
  const { dates } = reminder;
  const oneDay = (start: LocalDate) => ({ start, end: addDays(start, 1) });
  switch (reminder.kind) {
    case 'renewal_window_open': {
      const start = dates.renewalOpensOn ?? reminder.dueOn;
      const end = dates.expiresOn;
      return end !== undefined && end > start ? { start, end } : oneDay(start);
    }
    case 'retake_available':
      return oneDay(dates.retakeFrom ?? reminder.dueOn);
    default:
      return oneDay(dates.expiresOn ?? reminder.dueOn);
  }
};

/**
 * Writes `reminders.ics` for one email: the reminders with their wording (same order), the
 * `SUMMARY` from the catalogue, the reminder's sentences as `DESCRIPTION`.
 *
 * @example
 * const ics = renderReminderCalendar({
 *   candidateId: 'cand-ana', reminders, wordings: wording.reminders, catalogue: de,
 *   stampedAt: '2027-11-29T13:00:00Z',
 * });
 */
export const renderReminderCalendar = (input: {
  readonly candidateId: string;
  readonly reminders: readonly EmailReminder[];
  readonly wordings: readonly ReminderWording[];
  readonly catalogue: Catalogue;
  readonly stampedAt: IsoInstant;
}): string => {
  const events = input.reminders.map((reminder, index): AllDayEvent => {
    const wording = input.wordings[index];
    const credential = wording?.credentialName ?? reminder.credentialId;
    return {
      uid: reminderUid(input.candidateId, reminder.key),
      ...calendarSpanOf(reminder),
      summary: input.catalogue.reminders[reminder.kind].calendar({ credential }),
      ...(wording === undefined ? {} : { description: wording.sentences.join('\n') }),
      language: input.catalogue.language,
    };
  });
  return writeCalendar(events, input.stampedAt);
};
