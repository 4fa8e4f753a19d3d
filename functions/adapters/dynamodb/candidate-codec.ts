import { type CandidateState, isActive, profileOf } from '../../domain/candidate-state';
import type { VersionedCandidate } from '../../use-cases/ports/candidate-repository';
import { addressKey, candidateKey, duePk, dueSk, shardOf } from './item-keys';
import { TABLE_DESIGN } from './table-design';

/**
 * How a candidate is written as one item: keys, `version`, the due-index keys when something is
 * due, the address-index keys (hashes of the email and the guardian email, never the addresses),
 * and the whole {@link CandidateState} as one JSON attribute (`data`). One string is cheaper
 * to (un)marshal than nested maps, and nothing in it is ever queried.
 */

type Item = Record<string, unknown>;

/**
 * The address-index keys of a candidate: `EMAIL#<hash>` of its email and of its guardian email.
 * An alias or a tombstone has no profile, so it has none and leaves both indexes.
 */
export const addressKeysOf = (state: CandidateState): Item => {
  if (!isActive(state)) return {};
  const { email, guardianEmail } = profileOf(state);
  return {
    ...(email ? { [TABLE_DESIGN.emailIndex.partitionKey]: addressKey(email) } : {}),
    ...(guardianEmail
      ? { [TABLE_DESIGN.guardianEmailIndex.partitionKey]: addressKey(guardianEmail) }
      : {}),
  };
};

/** The item for `state` at `version`, in the due index at `dueAt` (absent: nothing due). */
export const encodeCandidate = (
  state: CandidateState,
  version: number,
  dueAt: string | undefined,
): Item => ({
  ...candidateKey(state.candidateId),
  version,
  data: JSON.stringify(state),
  ...addressKeysOf(state),
  ...(dueAt === undefined
    ? {}
    : {
        [TABLE_DESIGN.dueIndex.partitionKey]: duePk(shardOf(state.candidateId)),
        [TABLE_DESIGN.dueIndex.sortKey]: dueSk(dueAt, state.candidateId),
      }),
});

/** The candidate an item holds. */
export const decodeCandidate = (item: Item): VersionedCandidate => {
  const state = JSON.parse(String(item.data)) as CandidateState;
  const dueKey = item[TABLE_DESIGN.dueIndex.sortKey];
  return {
    state,
    version: Number(item.version ?? 0),
    ...(typeof dueKey === 'string' ? { dueAt: dueKey.slice(0, dueKey.indexOf('#')) } : {}),
  };
};

/** The size in bytes DynamoDB counts for an item of this codec (names plus values). */
export const encodedSize = (item: Item): number =>
  Object.entries(item).reduce(
    (size, [name, value]) =>
      size + Buffer.byteLength(name) + (typeof value === 'string' ? Buffer.byteLength(value) : 8),
    0,
  );
