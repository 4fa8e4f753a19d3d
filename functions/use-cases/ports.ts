import type { CandidateProfile, ProfileWrites } from '../domain/candidate-profile';
import type { Attempt, Reminder } from '../domain/reminder-rules';
import type { LedgerEntry, SkipReason } from '../domain/run-decisions';

/**
 * Ports: what the use cases need from the outside world. Adapters (DynamoDB, SES, SQS, the
 * in-process queue) implement them; tests may too.
 */

export interface StoredProfile {
  readonly profile: CandidateProfile;
  readonly writes: ProfileWrites;
  readonly version: number;
  readonly unsubscribedAt?: string;
  /** The profile was borrowed from a merged-away account (the target had none of its own). */
  readonly borrowed?: boolean;
}

export interface StoredState {
  readonly credentialId: string;
  readonly credentialName: string;
  /** Epoch ms of the event that set `credentialName`. */
  readonly credentialNameAt: number;
  readonly attempts: readonly Attempt[];
  readonly version: number;
}

export interface StoredReminder extends LedgerEntry {
  readonly dueOn: string;
  readonly dueAt: string;
  readonly anchorOn: string;
  readonly stateVersion?: number;
  readonly messageId?: string;
  readonly reason?: SkipReason;
  readonly resolvedAt?: string;
  readonly claimToken?: string;
}

/** A pending reminder not yet dealt with carries `status` `pending` here. */
export type ReminderRecord = Omit<StoredReminder, 'status'> & {
  readonly status: StoredReminder['status'] | 'pending';
};

/** Everything stored under one candidate. */
export interface CandidateRecord {
  readonly candidateId: string;
  readonly profile?: StoredProfile;
  readonly states: readonly StoredState[];
  readonly reminders: readonly ReminderRecord[];
  readonly erased: boolean;
  readonly mergedInto?: string;
}

/** Where an id leads after merges, and whether the person was erased. */
export interface ResolvedCandidate {
  readonly candidateId: string;
  readonly erased: boolean;
}

/** What registering an `attemptId` found, and when (epoch ms) its first event was emitted. */
export interface AttemptRegistration {
  readonly outcome: 'new' | 'duplicate' | 'conflict';
  readonly firstEmittedAt: number;
}

/** One reminder found in the due index: all a planner reads. */
export interface DueEntry {
  readonly candidateId: string;
  readonly credentialId: string;
  readonly kind: Reminder['kind'];
  readonly dueOn: string;
  readonly dueAt: string;
  readonly reminderKey: string;
}

export interface ClaimRequest {
  readonly candidateId: string;
  readonly reminder: Reminder;
  readonly runAt: string;
  readonly leaseUntil: string;
  readonly claimToken: string;
}

/** The candidate store: profiles, attempts, credential states, reminders and their ledger. */
export interface CertificationStore {
  resolveCandidate(candidateId: string): Promise<ResolvedCandidate>;
  loadCandidate(candidateId: string): Promise<CandidateRecord>;
  listCandidateIds(): AsyncIterable<string>;
  registerAttempt(
    attemptId: string,
    fingerprint: string,
    candidateId: string,
    emittedAt: number,
  ): Promise<AttemptRegistration>;
  forgetAttempts(attemptIds: readonly string[]): Promise<void>;
  /**
   * Applies last-writer-wins field writes. `own` writes come from events naming this account;
   * `borrowed` ones from a merged-away account, and count only while the account has no profile
   * of its own (the first own write replaces a borrowed profile). Returns the profile before and
   * after (`after` absent when nothing was written).
   */
  updateProfile(
    candidateId: string,
    writes: ProfileWrites,
    source: 'own' | 'borrowed',
    /** The profile as just read (`null`: none), to save a read; versions keep it safe. */
    known?: StoredProfile | null,
  ): Promise<{ readonly before?: StoredProfile; readonly after?: StoredProfile }>;
  /** Deletes a credential state if it is still at `version`; false if it changed meanwhile. */
  deleteState(candidateId: string, credentialId: string, version: number): Promise<boolean>;
  /** Adds attempts (a set: known ids are kept) and a credential name write; returns the state after. */
  addAttempts(
    candidateId: string,
    credentialId: string,
    attempts: readonly Attempt[],
    name: { readonly value: string; readonly at: number },
    /** The state as just read (`null`: none), to save a read; versions keep it safe. */
    known?: StoredState | null,
  ): Promise<StoredState>;
  /** Makes the pending reminders of one credential exactly `reminders` (resolved ones are kept). */
  syncReminders(
    candidateId: string,
    credentialId: string,
    stateVersion: number,
    reminders: readonly Reminder[],
    existing: readonly ReminderRecord[],
  ): Promise<void>;
  copyLedger(toCandidateId: string, entries: readonly ReminderRecord[]): Promise<void>;
  markErased(candidateId: string, at: string): Promise<void>;
  /** Deletes a candidate's items but the tombstones in `keep` and items whose key starts with one of `keepPrefixes`. */
  deleteCandidateItems(
    candidateId: string,
    keep?: readonly ('ERASED' | 'MERGED')[],
    keepPrefixes?: readonly string[],
  ): Promise<number>;
  /** Records `from` as an alias of `to`; false if `from` is already an alias of another account. */
  writeAlias(fromCandidateId: string, toCandidateId: string, at: string): Promise<boolean>;
  isWebhookSeen(webhookId: string, now: Date): Promise<boolean>;
  rememberWebhook(webhookId: string, now: Date): Promise<void>;
  /** Reminders in the due index for one UTC date and shard, due at or before `upTo`. */
  queryDue(utcDate: string, shard: number, upTo: string): Promise<DueEntry[]>;
  claimReminder(request: ClaimRequest): Promise<boolean>;
  completeReminder(
    candidateId: string,
    key: string,
    claimToken: string,
    messageId: string,
    at: string,
  ): Promise<void>;
  failReminder(
    candidateId: string,
    key: string,
    claimToken: string,
    error: string,
    at: string,
  ): Promise<void>;
  releaseReminder(candidateId: string, key: string, claimToken: string): Promise<void>;
  skipReminder(
    candidateId: string,
    reminder: Reminder,
    reason: SkipReason,
    runAt: string,
  ): Promise<void>;
  setUnsubscribed(candidateId: string, at: string): Promise<boolean>;
  isSuppressed(email: string): Promise<boolean>;
  suppress(email: string, reason: string, at: string): Promise<void>;
  recordRun(runAt: string, summary: Record<string, number>): Promise<void>;
}
