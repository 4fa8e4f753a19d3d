/**
 * The copy of the reminder email in one language: every word the reader sees, and nothing else.
 *
 * A catalogue holds no rules. Which sentence a reminder gets, and which dates it shows, is
 * decided in `wording.ts`; a catalogue only says how that sentence reads. The copy itself is data:
 * one JSON file of ICU messages per language in `messages/`, compiled by `compile-catalogue.ts`
 * into this interface (a message without arguments becomes a string, one with arguments a
 * function of them). Dates arrive already written in the candidate's locale, in words and as
 * `YYYY-MM-DD` (see {@link WrittenDate}); counts arrive as numbers, for plural rules.
 *
 * Candidate-supplied text (names) arrives flattened to one line but not escaped: messages return
 * plain text, and the layouts escape it.
 */

/** A date written for a sentence, e.g. "Monday 29 November 2027 (2027-11-29)". */
export type WrittenDate = string;

/** The credential's display name, as a message argument. */
export interface CredentialArgs {
  readonly credential: string;
}

/** A link inside a sentence: the text before it, the link text, and the text after it. */
export interface LinkedSentence {
  readonly before: string;
  readonly link: string;
  readonly after: string;
}

/** A `renewal_window_open` reminder: the candidate can renew now. */
export interface RenewalCopy {
  readonly status: string;
  readonly subject: (args: CredentialArgs) => string;
  readonly windowOpen: (args: CredentialArgs) => string;
  readonly renewBetween: (args: {
    readonly from: WrittenDate;
    readonly until: WrittenDate;
  }) => string;
  readonly advice: string;
  readonly labels: { readonly renewFrom: string; readonly expiresOn: string };
  /** The calendar entry's `SUMMARY`, spanning the renewal window. */
  readonly calendar: (args: CredentialArgs) => string;
}

/** A `retake_available` reminder: the wait after a failed attempt is over. */
export interface RetakeCopy {
  readonly status: string;
  readonly subject: (args: CredentialArgs) => string;
  /** The wait is over, when the failed attempt's date is unknown. */
  readonly waitOver: (args: CredentialArgs) => string;
  readonly waitOverSince: (args: CredentialArgs & { readonly failedOn: WrittenDate }) => string;
  readonly retakeFrom: (args: { readonly from: WrittenDate }) => string;
  /** The credential is still valid, so the retake is a renewal attempt. */
  readonly stillValid: (args: { readonly expiresOn: WrittenDate }) => string;
  /** The credential has lapsed, when the pass's date is unknown. */
  readonly lapsed: (args: { readonly expiresOn: WrittenDate }) => string;
  readonly lapsedSincePass: (args: {
    readonly passedOn: WrittenDate;
    readonly expiresOn: WrittenDate;
  }) => string;
  readonly labels: {
    readonly retakeFrom: string;
    readonly lastAttempt: string;
    readonly validUntil: string;
    readonly expiredOn: string;
  };
  /** The calendar entry's `SUMMARY`, on the day a retake is possible. */
  readonly calendar: (args: CredentialArgs) => string;
}

/** An `expiring_soon` reminder: days left until the credential expires (0 means today). */
export interface ExpiringCopy {
  readonly status: (args: { readonly daysLeft: number }) => string;
  readonly subject: (args: CredentialArgs & { readonly daysLeft: number }) => string;
  readonly expiresOn: (
    args: CredentialArgs & { readonly expiresOn: WrittenDate; readonly daysLeft: number },
  ) => string;
  readonly advice: string;
  readonly labels: { readonly expiresOn: string };
  /** The calendar entry's `SUMMARY`, on the expiry date. */
  readonly calendar: (args: CredentialArgs) => string;
}

/** An `expired` reminder: the credential has lapsed. */
export interface ExpiredCopy {
  readonly status: string;
  readonly subject: (args: CredentialArgs) => string;
  readonly expiredOn: (args: CredentialArgs & { readonly expiredOn: WrittenDate }) => string;
  /** A retake is possible at any time (no wait is pending). */
  readonly retakeAnyTime: string;
  readonly retakeFrom: (args: { readonly from: WrittenDate }) => string;
  readonly labels: {
    readonly expiredOn: string;
    readonly passedOn: string;
    readonly retakeFrom: string;
  };
  /** The calendar entry's `SUMMARY`, on the expiry date. */
  readonly calendar: (args: CredentialArgs) => string;
}

/** The frame around the reminders: subject of a digest, greeting, footer. */
export interface EmailCopy {
  /** The subject when the email holds several reminders. */
  readonly digestSubject: (args: { readonly count: number }) => string;
  readonly greeting: (args: { readonly name: string }) => string;
  /** The greeting when the candidate's name is unknown. */
  readonly greetingWithoutName: string;
  readonly intro: (args: { readonly count: number }) => string;
  /** Written above the programme name, e.g. "Kind regards,". */
  readonly signOff: string;
  /** The small heading above the programme name in the HTML header. */
  readonly eyebrow: string;
  /** Why the candidate gets this email. */
  readonly reason: (args: { readonly programme: string }) => string;
  /** Said when a parent or guardian gets a copy (a teen account). */
  readonly guardianNote: string;
  readonly unsubscribeText: (args: { readonly url: string }) => string;
  /** The HTML footer's unsubscribe sentence; `link` is the text linked to the URL. */
  readonly unsubscribeHtml: LinkedSentence;
  /** Labels the credential id under each reminder. */
  readonly credentialIdLabel: string;
  /** Labels the days left of an expiring credential. */
  readonly daysLeftLabel: string;
  /** Between a label and its value, e.g. ": " (French puts a no-break space before the colon). */
  readonly labelSeparator: string;
  /** A date in words with its `YYYY-MM-DD` form, e.g. "Monday 29 November 2027 (2027-11-29)". */
  readonly datedIso: (args: { readonly date: string; readonly iso: string }) => string;
  /** Stands for a credential that has neither a name nor an id. */
  readonly unnamedCredential: string;
}

/** All the copy of the reminder email in one language. */
export interface Catalogue {
  /** The BCP 47 tag of the copy, e.g. `en`; the HTML part's `lang`. */
  readonly language: string;
  /**
   * The locale dates are written in when the candidate's own locale is of another language (it
   * fell back to this catalogue), e.g. `en-GB` for English.
   */
  readonly dateLocale: string;
  readonly email: EmailCopy;
  readonly reminders: {
    readonly renewal_window_open: RenewalCopy;
    readonly retake_available: RetakeCopy;
    readonly expiring_soon: ExpiringCopy;
    readonly expired: ExpiredCopy;
  };
}
