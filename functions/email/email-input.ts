import type { IsoInstant, LocalDate } from '../domain/calendar';
import type { CandidateProfile } from '../domain/candidate-profile';
import type { Reminder } from '../domain/reminder-rules';

/**
 * One reminder of the digest, with the credential's display name; its natural `key` names its
 * calendar entry.
 */
export type EmailReminder = Pick<
  Reminder,
  'kind' | 'credentialId' | 'dueOn' | 'daysBefore' | 'dates' | 'key'
> & {
  readonly credentialName: string;
};

/** What `renderReminderEmail` needs to write one candidate's email. */
export interface ReminderEmailInput {
  /** `candidateId` names the calendar entries, with each reminder's key. */
  readonly profile: Pick<CandidateProfile, 'candidateId' | 'name' | 'locale' | 'guardianEmail'>;
  /** The reminders of the digest, in the order they should appear; at least one. */
  readonly reminders: readonly EmailReminder[];
  /** `{PUBLIC_URL}/unsubscribe?token=…`, linked from the footer. */
  readonly unsubscribeUrl: string;
  /** Shown in the header and footer; defaults to `DEFAULT_PROGRAMME_NAME`. */
  readonly programmeName?: string;
  /**
   * The candidate's local date on which the email goes out. Days left and whether a credential
   * has already expired are judged on it; defaults to each reminder's due date.
   */
  readonly today?: LocalDate;
  /**
   * When the email is written (the run's instant): the calendar's `DTSTAMP`. Defaults to 00:00 UTC
   * of `today`, else of the first reminder's due date, so rendering stays pure.
   */
  readonly sentAt?: IsoInstant;
}

/**
 * The email, ready to send: a one-line subject, a plain-text part, an HTML part, and the
 * iCalendar text of its `reminders.ics` attachment.
 */
export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** RFC 5545 text, CRLF line ends, one all-day `VEVENT` per reminder. */
  readonly calendar: string;
  /** The language the email is written in (its catalogue), e.g. `pt-BR`. */
  readonly language: string;
}
