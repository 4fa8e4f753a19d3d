import { localDateOf } from '../domain/calendar';
import type { CandidateProfile } from '../domain/candidate-profile';
import type { Reminder } from '../domain/reminder-rules';
import type { RuleSettings } from '../domain/rule-settings';
import { createUnsubscribeToken, unsubscribeUrlOf } from '../domain/unsubscribe-token';
import { CALENDAR_CONTENT_TYPE, CALENDAR_FILE_NAME } from '../email/reminder-calendar';
import { renderReminderEmail } from '../email/render-reminder-email';
import type { EmailMessage } from './ports';

export interface ComposeDeps {
  readonly settings: RuleSettings;
  readonly emailFrom: string;
  readonly publicUrl: string;
  /** Unsubscribe signing secrets; the first signs new links. */
  readonly unsubscribeSecrets: () => Promise<readonly string[]>;
}

/**
 * The one email a run sends a candidate: their reminders as a digest in the candidate's language,
 * with a signed unsubscribe link and the `reminders.ics` calendar attached (stamped with the
 * run's instant), addressed To the candidate and Cc the guardians in `cc`.
 *
 * @example
 * const email = await composeReminderEmail(deps, { profile, reminders, names, runAt, cc: [] });
 */
export const composeReminderEmail = async (
  deps: ComposeDeps,
  input: {
    readonly profile: CandidateProfile & { readonly email: string };
    readonly reminders: readonly Reminder[];
    readonly names: ReadonlyMap<string, string>;
    readonly runAt: string;
    readonly cc: readonly string[];
  },
): Promise<EmailMessage> => {
  const { profile } = input;
  const [signingSecret] = await deps.unsubscribeSecrets();
  const unsubscribeUrl = unsubscribeUrlOf(
    deps.publicUrl,
    createUnsubscribeToken(profile.candidateId, signingSecret ?? ''),
  );
  const {
    calendar,
    language: _language,
    ...parts
  } = renderReminderEmail({
    profile,
    reminders: input.reminders.map((reminder) => ({
      ...reminder,
      credentialName: input.names.get(reminder.credentialId) ?? reminder.credentialId,
    })),
    unsubscribeUrl,
    today: localDateOf(input.runAt, profile.timeZone ?? deps.settings.defaultTimeZone),
    sentAt: input.runAt,
  });
  return {
    from: deps.emailFrom,
    to: [profile.email],
    cc: input.cc,
    unsubscribeUrl,
    ...parts,
    attachments: [
      { fileName: CALENDAR_FILE_NAME, contentType: CALENDAR_CONTENT_TYPE, content: calendar },
    ],
  };
};
