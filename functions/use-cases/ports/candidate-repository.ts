import type { CandidateState } from '../../domain/candidate-state';

/** A candidate as stored: the state, its version (0: never stored), and its due-index instant. */
export interface VersionedCandidate {
  readonly state: CandidateState;
  readonly version: number;
  readonly dueAt?: string;
}

/** One entry of the due index: a candidate and the earliest due instant of what it has to send. */
export interface DueEntry {
  readonly candidateId: string;
  readonly dueAt: string;
}

/**
 * Candidates, one item each. Every change is one conditional write on the version read, so
 * concurrent changes never lose each other: the loser reads again and re-applies its change.
 */
export interface CandidateRepository {
  /** The candidate (consistent read); `undefined` when nothing was ever stored for the id. */
  load(candidateId: string): Promise<VersionedCandidate | undefined>;
  /** Several candidates at once (batched reads); ids never stored are absent from the map. */
  loadMany(candidateIds: readonly string[]): Promise<Map<string, VersionedCandidate>>;
  /**
   * Writes `state` if the stored version is still `expectedVersion` (0: nothing stored), with
   * `dueAt` as its due-index entry (absent: out of the index).
   * @returns the new version, or `undefined` if the version changed meanwhile.
   */
  save(
    state: CandidateState,
    expectedVersion: number,
    dueAt: string | undefined,
  ): Promise<number | undefined>;
  /** The due-index entries of one shard due at or before `upTo`, in pages. */
  queryDue(shard: number, upTo: string): AsyncIterable<readonly DueEntry[]>;
  /**
   * Every candidate whose email or guardian email is `address` (any case), sorted, each once:
   * read from the address indexes, which hold hashes of the addresses only (SPEC §11). Aliases
   * and erased candidates are never among them.
   */
  candidatesUsingAddress(address: string): Promise<string[]>;
  /**
   * Every stored candidate, in pages, with a parallel Scan (`segments` at once): for operator
   * commands only. No Lambda may call it, and none has the permission.
   */
  scanCandidates(segments?: number): AsyncIterable<readonly VersionedCandidate[]>;
}
