/** Addresses that hard-bounced or complained; kept as hashes (SPEC §11). */
export interface SuppressionList {
  /** Which of `emails` are suppressed (one batched read however many). */
  suppressed(emails: readonly string[]): Promise<Set<string>>;
  suppress(email: string, reason: string, at: string): Promise<void>;
}
