import { epochMillisecondsOf } from './calendar';
import type { CertificationEvent, ProfileChanges } from './event-schemas';

/** The profile fields of a candidate; each is last-writer-wins by its event's `timestamp`. */
export const PROFILE_FIELDS = ['email', 'name', 'timeZone', 'locale', 'guardianEmail'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export interface CandidateProfile {
  readonly candidateId: string;
  readonly email?: string;
  readonly name?: string;
  readonly timeZone?: string;
  readonly locale?: string;
  readonly guardianEmail?: string;
}

/** One field's last write: its value (`null` when removed) and when the writer emitted it. */
export interface FieldWrite {
  readonly value: string | null;
  /** Epoch milliseconds of the event's `timestamp`. */
  readonly at: number;
}

export type ProfileWrites = Partial<Record<ProfileField, FieldWrite>>;

/**
 * Whether `incoming` beats `current` under last-writer-wins. Equal timestamps are settled by
 * comparing the values, so the winner never depends on arrival order.
 */
export const winsOver = (incoming: FieldWrite, current: FieldWrite | undefined): boolean => {
  if (current === undefined) return true;
  if (incoming.at !== current.at) return incoming.at > current.at;
  return (incoming.value ?? '') > (current.value ?? '');
};

/**
 * Merges field writes into `writes`, keeping the last writer of each field.
 *
 * @returns the merged writes, and whether anything changed.
 */
export const mergeWrites = (
  writes: ProfileWrites,
  incoming: ProfileWrites,
): { writes: ProfileWrites; changed: boolean } => {
  const merged: ProfileWrites = { ...writes };
  let changed = false;
  for (const field of PROFILE_FIELDS) {
    const write = incoming[field];
    if (write !== undefined && winsOver(write, merged[field])) {
      const before = merged[field];
      merged[field] = write;
      if (before?.value !== write.value || before?.at !== write.at) changed = true;
    }
  }
  return { writes: merged, changed };
};

/** The profile writes an event carries, stamped with the event's `timestamp`. */
export const profileWritesOf = (event: CertificationEvent): ProfileWrites => {
  const at = epochMillisecondsOf(event.timestamp);
  let changes: ProfileChanges;
  if (event.type === 'attempt.recorded') {
    const { candidateId: _id, ...fields } = event.data.candidate;
    changes = fields;
  } else if (event.type === 'candidate.updated') {
    const { candidateId: _id, ...fields } = event.data;
    changes = fields;
  } else {
    return {};
  }
  const writes: ProfileWrites = {};
  for (const field of PROFILE_FIELDS) {
    const value = changes[field];
    if (value !== undefined) writes[field] = { value, at };
  }
  return writes;
};

/** The profile that a set of field writes describes. */
export const profileFromWrites = (candidateId: string, writes: ProfileWrites): CandidateProfile => {
  const profile: Record<string, string> = { candidateId };
  for (const field of PROFILE_FIELDS) {
    const value = writes[field]?.value;
    if (typeof value === 'string') profile[field] = value;
  }
  return profile as unknown as CandidateProfile;
};
