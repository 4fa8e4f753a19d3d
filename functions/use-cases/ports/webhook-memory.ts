/** The `webhook-id`s seen lately (SPEC §3: remembered for at least 7 days). */
export interface WebhookMemory {
  isSeen(webhookId: string, now: Date): Promise<boolean>;
  remember(webhookId: string, now: Date): Promise<void>;
}
