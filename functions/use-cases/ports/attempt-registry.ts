/** What registering an `attemptId` found, and when (epoch ms) its first event was emitted. */
export interface AttemptRegistration {
  readonly outcome: 'new' | 'duplicate' | 'conflict';
  readonly firstEmittedAt: number;
}

/** A registry entry: the hash of an attempt's content (never its personal fields, SPEC §11). */
export interface RegisteredAttempt {
  readonly hash: string;
  readonly emittedAt: number;
}

/**
 * The global `attemptId` registry (SPEC §2: an `attemptId` is unique forever): a webhook registers
 * with a conditional write; an import looks a batch up and writes the new ones in bulk.
 */
export interface AttemptRegistry {
  /** Registers `attemptId` with its content hash unless it exists; tells a repeat from a conflict. */
  register(attemptId: string, hash: string, emittedAt: number): Promise<AttemptRegistration>;
  /** The entries of `attemptIds` that exist. */
  lookup(attemptIds: readonly string[]): Promise<Map<string, RegisteredAttempt>>;
  /** Writes entries without conditions (an import, after its own lookup). */
  putMany(
    entries: ReadonlyArray<{ readonly attemptId: string } & RegisteredAttempt>,
  ): Promise<void>;
  /** Deletes entries (an erasure). */
  forget(attemptIds: readonly string[]): Promise<void>;
}
