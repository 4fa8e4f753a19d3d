import { createHash } from 'node:crypto';
import type { ClaimRecord, LedgerRecord } from './candidate-ledger';
import {
  type CandidateProfile,
  type FieldWrite,
  mergeWrites,
  type ProfileWrites,
  profileFromWrites,
} from './candidate-profile';
import type { CandidateView, CredentialAttempts } from './event-fold';
import type { Attempt } from './reminder-rules';

/**
 * Everything known about one candidate, as ONE value: the profile with its last-writer-wins
 * stamps, the attempts per credential (with their content hashes), the ledger of reminders dealt
 * with, the claims in flight, the opt-out, and the merge alias or erasure tombstone. The store
 * keeps it as one item and changes it with one conditional write; `forecast --input` keeps it in
 * memory. Both compute every change with the pure transitions of this module, so SPEC §2 has one
 * implementation.
 */

/** One attempt as a candidate holds it: the attempt and the hash of its event's content. */
export interface HeldAttempt extends Attempt {
  /** SHA-256 of the attempt's content (SPEC §2 identity); tells a repeat from a conflict. */
  readonly hash: string;
}

/** A credential's display name, last-writer-wins by the emitting event's time. */
export type NameWrite = { readonly value: string; readonly at: number };

export interface HeldCredential {
  readonly name: NameWrite;
  readonly attempts: readonly HeldAttempt[];
}

export interface CandidateState {
  readonly candidateId: string;
  /** Profile writes from events naming this account; absent until the first one. */
  readonly own?: ProfileWrites;
  /** Profile writes from accounts merged into this one; shown only while `own` is absent. */
  readonly borrowed?: ProfileWrites;
  readonly credentials: Readonly<Record<string, HeldCredential>>;
  readonly unsubscribedAt?: string;
  /** Reminders emailed, skipped or failed, by natural key. */
  readonly ledger: Readonly<Record<string, LedgerRecord>>;
  /** Reminders claimed by a sender and not yet settled, by natural key. */
  readonly claims: Readonly<Record<string, ClaimRecord>>;
  /** Per credential: every reminder due at or before this instant counts as settled (compacted). */
  readonly settledThrough?: Readonly<Record<string, string>>;
  /** Ids merged into this account (directly or through others). */
  readonly aliases?: readonly string[];
  /** This id was merged into that account (an alias: it holds nothing else). */
  readonly mergedInto?: string;
  /**
   * A merge of this account into that one is under way: written before the target absorbs it, so
   * from then on no sender emails from here and any other merge of it waits for this one.
   */
  readonly mergingInto?: string;
  /** This person was erased (a tombstone: it holds nothing personal). */
  readonly erasedAt?: string;
  /** Attempt ids whose registry entries an erasure has still to delete. */
  readonly forget?: readonly string[];
}

/** What one change did to a candidate. */
export type ChangeOutcome = 'new' | 'duplicate' | 'conflict';

/** An attempt as an event brings it, ready to be held. */
export interface IncomingAttempt {
  readonly attempt: HeldAttempt;
  readonly credentialId: string;
  readonly credentialName: string;
  /** Epoch ms of the event's `timestamp`. */
  readonly emittedAt: number;
  readonly profile: ProfileWrites;
}

/** A candidate nothing is known of yet. */
export const emptyCandidate = (candidateId: string): CandidateState => ({
  candidateId,
  credentials: {},
  ledger: {},
  claims: {},
});

/** The alias an id becomes once merged into `toCandidateId`. */
export const aliasOf = (candidateId: string, toCandidateId: string): CandidateState => ({
  ...emptyCandidate(candidateId),
  mergedInto: toCandidateId,
});

export const isActive = (state: CandidateState): boolean =>
  state.mergedInto === undefined && state.erasedAt === undefined;

/**
 * SHA-256 of an attempt's content, base64url: all a registry entry or a held attempt keeps of
 * the personal fields in it (SPEC §11).
 *
 * @example
 * contentHash('["a-1","pass",…]'); // 'k3J…'
 */
export const contentHash = (content: string): string =>
  createHash('sha256').update(content).digest('base64url');

const sameWrites = (a: ProfileWrites | undefined, b: ProfileWrites | undefined): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Last-writer-wins by time, then by value, so arrival order never matters. */
const laterName = (a: NameWrite | undefined, b: NameWrite): NameWrite =>
  a === undefined || b.at > a.at || (b.at === a.at && b.value > a.value) ? b : a;

/** Whether every write is already there, same value and same time: the event came again. */
const isRepeat = (current: ProfileWrites | undefined, writes: ProfileWrites): boolean =>
  current !== undefined &&
  Object.entries(writes).every(([field, write]) => {
    const known = current[field as keyof ProfileWrites];
    return known?.value === write?.value && known?.at === write?.at;
  });

/**
 * Applies profile writes to the surviving account: `own` ones from events naming it, `borrowed`
 * ones from merged-away accounts (SPEC §2: the target's own profile wins).
 *
 * @returns the state after, whether anything changed, and whether the writes were all there
 * already (a repeated event).
 */
export const applyProfileWrites = (
  state: CandidateState,
  writes: ProfileWrites,
  source: 'own' | 'borrowed',
): { readonly state: CandidateState; readonly changed: boolean; readonly repeat: boolean } => {
  const current = source === 'own' ? state.own : state.borrowed;
  const repeat = isRepeat(current, writes);
  const merged = mergeWrites(current ?? {}, writes).writes;
  // The first own event replaces a borrowed profile, even when it carries no field.
  if (current !== undefined && sameWrites(merged, current))
    return { state, changed: false, repeat };
  if (source === 'borrowed' && Object.keys(merged).length === 0)
    return { state, changed: false, repeat };
  return {
    state: source === 'own' ? { ...state, own: merged } : { ...state, borrowed: merged },
    changed: true,
    repeat,
  };
};

/**
 * Adds attempts (a set keyed by `attemptId`) and their profile writes. An attempt already held
 * with the same hash is a duplicate and changes nothing; with another hash it is a conflict and is
 * left out (SPEC §2).
 *
 * @example
 * const { state, outcomes } = applyAttempts(emptyCandidate('c-1'), [incoming], 'own');
 */
export const applyAttempts = (
  state: CandidateState,
  incoming: readonly IncomingAttempt[],
  source: 'own' | 'borrowed',
): { readonly state: CandidateState; readonly outcomes: ChangeOutcome[] } => {
  const credentials: Record<string, HeldCredential> = { ...state.credentials };
  const held = new Map<string, string>();
  for (const credential of Object.values(credentials))
    for (const attempt of credential.attempts) held.set(attempt.attemptId, attempt.hash);
  let next = state;
  let changed = false;
  const outcomes = incoming.map(
    ({ attempt, credentialId, credentialName, emittedAt, profile }): ChangeOutcome => {
      const known = held.get(attempt.attemptId);
      if (known !== undefined) return known === attempt.hash ? 'duplicate' : 'conflict';
      held.set(attempt.attemptId, attempt.hash);
      const credential = credentials[credentialId];
      credentials[credentialId] = {
        name: laterName(credential?.name, { value: credentialName, at: emittedAt }),
        attempts: [...(credential?.attempts ?? []), attempt],
      };
      next = applyProfileWrites(next, profile, source).state;
      changed = true;
      return 'new';
    },
  );
  return { state: changed ? { ...next, credentials } : state, outcomes };
};

const earlier = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;

/**
 * Folds a merged-away account into the surviving one (SPEC §2 `account.merged`): attempts (a set),
 * credential names, the ledger and the claims in flight (so a send that was under way on either
 * account is never repeated on the other), the profile (borrowed: the target's own wins), the
 * opt-out and the aliases. Idempotent, so a retried merge completes what a crash interrupted.
 */
export const absorbAccount = (target: CandidateState, source: CandidateState): CandidateState => {
  const credentials: Record<string, HeldCredential> = { ...target.credentials };
  for (const [credentialId, credential] of Object.entries(source.credentials)) {
    const mine = credentials[credentialId];
    const ids = new Set(mine?.attempts.map((attempt) => attempt.attemptId));
    credentials[credentialId] = {
      name: mine ? laterName(mine.name, credential.name) : credential.name,
      attempts: [
        ...(mine?.attempts ?? []),
        ...credential.attempts.filter((attempt) => !ids.has(attempt.attemptId)),
      ],
    };
  }
  const ledger = { ...source.ledger, ...target.ledger };
  const claims: Record<string, ClaimRecord> = {};
  for (const [key, claim] of Object.entries({ ...source.claims, ...target.claims }))
    if (ledger[key] === undefined) claims[key] = claim;
  const settledThrough: Record<string, string> = { ...(source.settledThrough ?? {}) };
  for (const [credentialId, at] of Object.entries(target.settledThrough ?? {}))
    settledThrough[credentialId] =
      (settledThrough[credentialId] ?? '') > at ? (settledThrough[credentialId] as string) : at;
  const borrowed = mergeWrites(
    mergeWrites(target.borrowed ?? {}, source.own ?? {}).writes,
    source.borrowed ?? {},
  ).writes;
  const unsubscribedAt = earlier(target.unsubscribedAt, source.unsubscribedAt);
  const aliases = [
    ...new Set([...(target.aliases ?? []), source.candidateId, ...(source.aliases ?? [])]),
  ].filter((id) => id !== target.candidateId);
  return {
    ...target,
    credentials,
    ledger,
    claims,
    ...(Object.keys(settledThrough).length > 0 ? { settledThrough } : {}),
    ...(Object.keys(borrowed).length > 0 ? { borrowed } : {}),
    ...(unsubscribedAt === undefined ? {} : { unsubscribedAt }),
    aliases,
  };
};

/** Every attempt id a candidate holds. */
export const attemptIdsOf = (state: CandidateState): string[] =>
  Object.values(state.credentials).flatMap((credential) =>
    credential.attempts.map((attempt) => attempt.attemptId),
  );

/**
 * The tombstone of an erased person (SPEC §2 `candidate.erased`, §11): no profile, attempts,
 * ledger or claims; only the ids it must still erase and the registry entries it must still
 * forget, which the erasure removes once done. An alias keeps where it led, so a later merge of it
 * elsewhere is still a conflict.
 */
export const tombstoneOf = (state: CandidateState, erasedAt: string): CandidateState => {
  const forget = [...new Set([...(state.forget ?? []), ...attemptIdsOf(state)])];
  return {
    ...emptyCandidate(state.candidateId),
    erasedAt: state.erasedAt ?? erasedAt,
    ...(state.mergedInto === undefined ? {} : { mergedInto: state.mergedInto }),
    // A merge under way still ends (in the target's erasure), or the target keeps a copy.
    ...(state.mergingInto === undefined ? {} : { mergingInto: state.mergingInto }),
    ...((state.aliases ?? []).length > 0 ? { aliases: state.aliases } : {}),
    ...(forget.length > 0 ? { forget } : {}),
  };
};

/** The profile the candidate has: their own, or borrowed from merged accounts while they have none. */
export const profileOf = (state: CandidateState): CandidateProfile =>
  profileFromWrites(state.candidateId, state.own ?? state.borrowed ?? {});

/** The profile writes behind {@link profileOf}. */
export const profileWritesOfState = (state: CandidateState): ProfileWrites =>
  state.own ?? state.borrowed ?? {};

/** The credentials and attempts, sorted by credential id, as the rules read them. */
export const credentialsOf = (state: CandidateState): CredentialAttempts[] =>
  Object.entries(state.credentials)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([credentialId, credential]) => ({
      credentialId,
      name: credential.name.value,
      // A set: listed by instant, then id, so views never depend on arrival order.
      attempts: credential.attempts
        .map(({ attemptId, outcome, takenAt }) => ({ attemptId, outcome, takenAt }))
        .sort(
          (a, b) =>
            Date.parse(a.takenAt) - Date.parse(b.takenAt) ||
            (a.attemptId < b.attemptId ? -1 : a.attemptId > b.attemptId ? 1 : 0),
        ),
    }));

/** The candidate as the rules and the forecast see them. */
export const viewOf = (state: CandidateState): CandidateView => ({
  candidateId: state.candidateId,
  profile: profileOf(state),
  credentials: credentialsOf(state),
});

export type { FieldWrite };
