import { escapeHtml } from '../../functions/email/escape';
import type { EmailMessage } from '../../functions/use-cases/ports';
import {
  type CandidateRunReport,
  type SenderDeps,
  sendCandidateReminders,
} from '../../functions/use-cases/send-candidate-reminders';

/**
 * Signs the preview's unsubscribe links: not a secret of any installation, so a token made with
 * it unsubscribes nobody; the links are replaced by {@link PREVIEW_UNSUBSCRIBE_TOKEN} anyway.
 */
export const PREVIEW_UNSUBSCRIBE_SECRET = 'console-preview-placeholder';

/** What the preview shows in place of an unsubscribe token. */
export const PREVIEW_UNSUBSCRIBE_TOKEN = 'preview-placeholder';

/** The email a run would send one candidate, and what it would skip. */
export interface EmailPreview {
  readonly runAt: string;
  readonly message?: EmailMessage;
  readonly skipped: CandidateRunReport['skipped'];
}

const replaceAll = (text: string, from: string, to: string) =>
  from === '' ? text : text.split(from).join(to);

/** The message with its unsubscribe link (and so its token) replaced by a placeholder. */
export const withPlaceholderLink = (message: EmailMessage, publicUrl: string): EmailMessage => {
  const placeholder = `${publicUrl}/unsubscribe?token=${PREVIEW_UNSUBSCRIBE_TOKEN}`;
  const swap = (text: string) =>
    replaceAll(
      replaceAll(text, message.unsubscribeUrl, placeholder),
      escapeHtml(message.unsubscribeUrl),
      escapeHtml(placeholder),
    );
  return {
    ...message,
    text: swap(message.text),
    html: swap(message.html),
    unsubscribeUrl: placeholder,
  };
};

/**
 * The preview of SPEC §10: the sender's own dry run for one candidate at `runAt` (the decision
 * and the composition a real run makes, through the same renderer), which records nothing.
 * `deps` must sign links with {@link PREVIEW_UNSUBSCRIBE_SECRET}, never the real secret.
 *
 * @example
 * const preview = await previewEmail(deps, 'demo-ana', '2027-11-29T13:00:00Z');
 * preview.message?.subject;
 */
export const previewEmail = async (
  deps: SenderDeps,
  candidateId: string,
  runAt: string,
): Promise<EmailPreview> => {
  const report = await sendCandidateReminders(deps, { runAt, candidateId, dryRun: true });
  return {
    runAt,
    skipped: report.skipped,
    ...(report.preview ? { message: withPlaceholderLink(report.preview, deps.publicUrl) } : {}),
  };
};
