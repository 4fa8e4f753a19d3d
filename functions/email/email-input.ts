import type { LocalDate } from '../domain/calendar';
import type { CandidateProfile } from '../domain/candidate-profile';
import type { Reminder } from '../domain/reminder-rules';

/** One reminder of the digest, with the credential's display name. */
export type EmailReminder = Pick<
  Reminder,
  'kind' | 'credentialId' | 'dueOn' | 'daysBefore' | 'dates'
> & {
  readonly credentialName: string;
};

/** What `renderReminderEmail` needs to write one candidate's email. */
export interface ReminderEmailInput {
  readonly profile: Pick<CandidateProfile, 'name' | 'locale' | 'guardianEmail'>;
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
}

/** The email, ready to send: a one-line subject, a plain-text part and an HTML part. */
export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}
