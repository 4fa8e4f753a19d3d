/** A file sent with an email, e.g. the `reminders.ics` calendar (SPEC §4). */
export interface EmailAttachment {
  /** E.g. `reminders.ics`. */
  readonly fileName: string;
  /** The media type, parameters included, e.g. `text/calendar; method=PUBLISH`. */
  readonly contentType: string;
  /** The file's text, sent as UTF-8. */
  readonly content: string;
}

/** One rendered email, addressed. */
export interface EmailMessage {
  /** `EMAIL_FROM`, e.g. `Certification Reminders <reminders@example.com>`. */
  readonly from: string;
  readonly to: readonly string[];
  /** The guardian of a teen account (SPEC §2), when there is one. */
  readonly cc?: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Sent as `List-Unsubscribe: <url>` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. */
  readonly unsubscribeUrl: string;
  /** Files attached to the email (the calendar); none when absent. */
  readonly attachments?: readonly EmailAttachment[];
}

/** The mail port: SES v2 on AWS and locally (against the emulator). */
export interface Mailer {
  send(message: EmailMessage): Promise<{ readonly messageId: string }>;
}

/**
 * What a failed send means (SPEC §1): `account`, a failure of the sending account itself
 * (throttling, paused or suspended sending, unverified identity, missing configuration, SES
 * unreachable), after which the reminders stay due; `message`, a rejection of this one message,
 * which records its reminders as failed.
 */
export type SendFailureClass = 'account' | 'message';
