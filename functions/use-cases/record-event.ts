import { epochMillisecondsOf } from '../domain/calendar';
import {
  mergeWrites,
  PROFILE_FIELDS,
  type ProfileWrites,
  profileWritesOf,
} from '../domain/candidate-profile';
import {
  type AccountMerged,
  type AttemptRecorded,
  attemptFingerprint,
  type CandidateErased,
  type CandidateUpdated,
  type CertificationEvent,
} from '../domain/event-schemas';
import type { RuleSettings } from '../domain/rule-settings';
import type { CertificationStore, StoredProfile } from './ports';
import { refreshReminders } from './refresh-reminders';

/** What recording an event did: stored it, recognised it as already stored, or refused it. */
export type RecordOutcome = 'accepted' | 'duplicate' | 'conflict';

export interface RecordEventDeps {
  readonly store: CertificationStore;
  readonly settings: RuleSettings;
}

const MAX_MOVE_ROUNDS = 10;

const hasWrites = (writes: ProfileWrites) => Object.keys(writes).length > 0;

/**
 * Applies a profile change to the surviving account. Writes that name a merged-away account only
 * count while the target has no profile of its own (the target's profile wins, SPEC §2).
 * @returns whether the same writes were already there, and whether the time zone changed (reminders then move).
 */
const applyProfile = async (
  deps: RecordEventDeps,
  candidateId: string,
  addressedTo: string,
  writes: ProfileWrites,
  current?: StoredProfile | null,
): Promise<{ readonly repeat: boolean; readonly zoneChanged: boolean }> => {
  if (!hasWrites(writes)) return { repeat: false, zoneChanged: false };
  const { before, after } = await deps.store.updateProfile(
    candidateId,
    writes,
    addressedTo === candidateId ? 'own' : 'borrowed',
    current,
  );
  const known = before?.writes ?? {};
  return {
    // Every field already holds this very write (same value, same time): the event came again.
    repeat: PROFILE_FIELDS.every(
      (field) =>
        writes[field] === undefined ||
        (known[field]?.value === writes[field]?.value && known[field]?.at === writes[field]?.at),
    ),
    zoneChanged: after !== undefined && after.profile.timeZone !== before?.profile.timeZone,
  };
};
/** The last writer of a credential's display name among attempts, by emission time then value. */
const latestName = (writes: ReadonlyArray<{ readonly value: string; readonly at: number }>) =>
  writes.reduce((best, write) =>
    write.at > best.at || (write.at === best.at && write.value > best.value) ? write : best,
  );

/**
 * Records attempts of ONE candidate (as named in the events) together: one resolve, one profile
 * write, one state write per credential and one refresh, however many attempts. A single webhook
 * is a group of one; an import groups a batch's attempts per candidate.
 */
export const recordAttempts = async (
  deps: RecordEventDeps,
  events: readonly AttemptRecorded[],
): Promise<RecordOutcome[]> => {
  const [first] = events;
  if (first === undefined) return [];
  const addressedTo = first.data.candidate.candidateId;
  // One read of the account gives its tombstones, profile, states and reminders.
  let snapshot = await deps.store.loadCandidate(addressedTo);
  if (snapshot.mergedInto !== undefined && !snapshot.erased) {
    const surviving = await deps.store.resolveCandidate(addressedTo);
    if (surviving.erased) return events.map(() => 'accepted');
    snapshot = await deps.store.loadCandidate(surviving.candidateId);
  }
  if (snapshot.erased) return events.map(() => 'accepted');
  const target = { candidateId: snapshot.candidateId };
  const outcomes: RecordOutcome[] = [];
  const kept: Array<{ readonly event: AttemptRecorded; readonly at: number }> = [];
  for (const event of events) {
    const registration = await deps.store.registerAttempt(
      event.data.attemptId,
      attemptFingerprint(event),
      addressedTo,
      epochMillisecondsOf(event.timestamp),
    );
    if (registration.outcome === 'conflict') {
      outcomes.push('conflict');
      continue;
    }
    outcomes.push(registration.outcome === 'duplicate' ? 'duplicate' : 'accepted');
    // A duplicate changes nothing, yet the steps below still run, stamped with the first event's
    // time: they are idempotent, so a repeat after a crash completes what the first try began.
    kept.push({ event, at: registration.firstEmittedAt });
  }
  if (kept.length === 0) return outcomes;

  let writes: ProfileWrites = {};
  for (const { event, at } of kept) {
    writes = mergeWrites(
      writes,
      profileWritesOf({ ...event, timestamp: new Date(at).toISOString() }),
    ).writes;
  }
  const { zoneChanged } = await applyProfile(
    deps,
    target.candidateId,
    addressedTo,
    writes,
    snapshot.profile ?? null,
  );
  const byCredential = new Map<string, typeof kept>();
  for (const item of kept) {
    const credentialId = item.event.data.credential.credentialId;
    byCredential.set(credentialId, [...(byCredential.get(credentialId) ?? []), item]);
  }
  const states = new Map(snapshot.states.map((state) => [state.credentialId, state]));
  for (const [credentialId, group] of byCredential) {
    await deps.store.addAttempts(
      target.candidateId,
      credentialId,
      group.map(({ event: { data } }) => ({
        attemptId: data.attemptId,
        outcome: data.outcome,
        takenAt: data.takenAt,
      })),
      latestName(group.map(({ event, at }) => ({ value: event.data.credential.name, at }))),
      states.get(credentialId) ?? null,
    );
  }
  // Read again: pending reminders written by concurrent events must be seen to be replaced.
  await refreshReminders(
    deps,
    target.candidateId,
    zoneChanged ? undefined : [...byCredential.keys()],
  );
  // An erasure or a merge may have raced with these events: erase, or follow the account.
  const now = await deps.store.resolveCandidate(addressedTo);
  if (now.erased) {
    // Their own registrations may have escaped an erasure that read the state before them.
    const attemptIds = kept.map(({ event }) => event.data.attemptId);
    await eraseEverything(
      deps,
      [target.candidateId, now.candidateId],
      new Date().toISOString(),
      attemptIds,
    );
  } else if (now.candidateId !== target.candidateId) {
    await moveAccount(deps, target.candidateId, now.candidateId);
  }
  return outcomes;
};

const recordUpdate = async (
  deps: RecordEventDeps,
  event: CandidateUpdated,
): Promise<RecordOutcome> => {
  const target = await deps.store.resolveCandidate(event.data.candidateId);
  if (target.erased) return 'accepted';
  const writes = profileWritesOf(event);
  const { repeat, zoneChanged } = await applyProfile(
    deps,
    target.candidateId,
    event.data.candidateId,
    writes,
  );
  if (zoneChanged) await refreshReminders(deps, target.candidateId);
  await eraseIfErasedMeanwhile(deps, target.candidateId);
  return repeat ? 'duplicate' : 'accepted';
};

/** Deletes everything of a person but the tombstones that keep them erased forever. */
const eraseEverything = async (
  deps: RecordEventDeps,
  candidateIds: readonly string[],
  at: string,
  alsoForget: readonly string[] = [],
) => {
  for (const candidateId of new Set(candidateIds)) {
    await deps.store.markErased(candidateId, at);
    const record = await deps.store.loadCandidate(candidateId);
    await deps.store.forgetAttempts([
      ...alsoForget,
      ...record.states.flatMap((state) => state.attempts.map((attempt) => attempt.attemptId)),
    ]);
    await deps.store.deleteCandidateItems(candidateId, ['ERASED', 'MERGED']);
  }
};

/** An event that raced with an erasure must not leave personal data behind. */
const eraseIfErasedMeanwhile = async (deps: RecordEventDeps, candidateId: string) => {
  const { erased } = await deps.store.resolveCandidate(candidateId);
  if (erased) await eraseEverything(deps, [candidateId], new Date().toISOString());
};

const recordErasure = async (
  deps: RecordEventDeps,
  event: CandidateErased,
): Promise<RecordOutcome> => {
  const target = await deps.store.resolveCandidate(event.data.candidateId);
  await eraseEverything(deps, [event.data.candidateId, target.candidateId], event.timestamp);
  // Erasing again is harmless and reported as a repeat.
  return target.erased ? 'duplicate' : 'accepted';
};

/**
 * Moves what an account holds into the surviving one: attempts (a set), the ledger of reminders
 * already emailed, the profile when the target has none, and an opt-out. Idempotent, so a retried
 * merge (or an event that raced with it) finishes the job.
 */
const moveAccount = async (deps: RecordEventDeps, from: string, to: string) => {
  // Attempts may still land on the source while it moves: a state is deleted only if unchanged
  // since it was copied, otherwise the move goes round again.
  for (let round = 0; round < MAX_MOVE_ROUNDS; round += 1) {
    const source = await deps.store.loadCandidate(from);
    if (source.profile) {
      await deps.store.updateProfile(to, source.profile.writes, 'borrowed');
      if (source.profile.unsubscribedAt) {
        await deps.store.setUnsubscribed(to, source.profile.unsubscribedAt);
      }
    }
    for (const state of source.states) {
      await deps.store.addAttempts(to, state.credentialId, state.attempts, {
        value: state.credentialName,
        at: state.credentialNameAt,
      });
    }
    await deps.store.copyLedger(to, source.reminders);
    await refreshReminders(deps, to);
    let settled = true;
    for (const state of source.states) {
      if (!(await deps.store.deleteState(from, state.credentialId, state.version))) settled = false;
    }
    if (settled) break;
  }
  await deps.store.deleteCandidateItems(from, ['ERASED', 'MERGED'], ['STATE#']);
  await eraseIfErasedMeanwhile(deps, to);
};

const recordMerge = async (deps: RecordEventDeps, event: AccountMerged): Promise<RecordOutcome> => {
  const { fromCandidateId: from, toCandidateId: to } = event.data;
  const source = await deps.store.loadCandidate(from);
  if (source.mergedInto !== undefined && source.mergedInto !== to) return 'conflict';
  const target = await deps.store.resolveCandidate(to);
  if (target.candidateId === from) return 'conflict';
  const repeat = source.mergedInto === to;
  if (source.erased || target.erased) {
    await deps.store.writeAlias(from, to, event.timestamp);
    await eraseEverything(deps, [from, target.candidateId], event.timestamp);
    return repeat ? 'duplicate' : 'accepted';
  }
  if (!(await deps.store.writeAlias(from, to, event.timestamp))) return 'conflict';
  await moveAccount(deps, from, target.candidateId);
  return repeat ? 'duplicate' : 'accepted';
};

/**
 * Records one validated event in the store (SPEC §2). Order of arrival never matters: attempts
 * are a set, profile fields last-writer-wins, merges and erasures permanent.
 *
 * @example
 * const outcome = await recordEvent({ store, settings }, event); // 'accepted' | 'duplicate' | 'conflict'
 */
export const recordEvent = (
  deps: RecordEventDeps,
  event: CertificationEvent,
): Promise<RecordOutcome> => {
  switch (event.type) {
    case 'attempt.recorded':
      return recordAttempts(deps, [event]).then(([outcome]) => outcome ?? 'accepted');
    case 'candidate.updated':
      return recordUpdate(deps, event);
    case 'candidate.erased':
      return recordErasure(deps, event);
    case 'account.merged':
      return recordMerge(deps, event);
  }
};
