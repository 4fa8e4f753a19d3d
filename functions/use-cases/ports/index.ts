/**
 * Ports: what the use cases need from the outside world. Adapters (DynamoDB, SES, SQS, the
 * in-process queue) implement them; tests may too.
 */
export type { AttemptRegistration, AttemptRegistry, RegisteredAttempt } from './attempt-registry';
export type { CandidateRepository, DueEntry, VersionedCandidate } from './candidate-repository';
export { type Clock, systemClock } from './clock';
export type { EmailAttachment, EmailMessage, Mailer, SendFailureClass } from './mailer';
export type { OutboundEvents, PostOutcome, WebhookEndpoint } from './outbound-events';
export type { RunLog } from './run-log';
export type { SendQueue, SendRequest } from './send-queue';
export type { SuppressionList } from './suppression-list';
export type { WebhookMemory } from './webhook-memory';

import type { AttemptRegistry } from './attempt-registry';
import type { CandidateRepository } from './candidate-repository';
import type { RunLog } from './run-log';
import type { SuppressionList } from './suppression-list';
import type { WebhookMemory } from './webhook-memory';

/** Everything the table holds, as the use cases see it. */
export interface Stores {
  readonly candidates: CandidateRepository;
  readonly attempts: AttemptRegistry;
  readonly webhooks: WebhookMemory;
  readonly suppressions: SuppressionList;
  readonly runs: RunLog;
}
