import { createHash } from 'node:crypto';
import { TABLE_DESIGN } from './table-design';

/** Key builders of the single-table design (see `table-design.ts`). */
export const CANDIDATE_PK_PREFIX = 'CAND#';
export const CANDIDATE_SK = 'CANDIDATE';
export const candidateKey = (candidateId: string) => ({
  pk: `${CANDIDATE_PK_PREFIX}${candidateId}`,
  sk: CANDIDATE_SK,
});
export const candidateIdOfPk = (pk: string) => pk.slice(CANDIDATE_PK_PREFIX.length);
export const attemptKey = (attemptId: string) => ({ pk: `ATTEMPT#${attemptId}`, sk: 'ATTEMPT' });
export const webhookKey = (webhookId: string) => ({ pk: `WEBHOOK#${webhookId}`, sk: 'WEBHOOK' });

/** SHA-256 of a lowercased address: what the suppression list keeps instead of it (SPEC §11). */
export const addressHash = (email: string) =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
export const suppressionKey = (email: string) => ({
  pk: `SUPPRESS#${addressHash(email)}`,
  sk: 'SUPPRESS',
});
/** Partition key of the address indexes for an address: its hash, never the address (SPEC §11). */
export const ADDRESS_KEY_PREFIX = 'EMAIL#';
export const addressKey = (email: string) => `${ADDRESS_KEY_PREFIX}${addressHash(email)}`;
export const runKey = (runAt: string) => ({ pk: `RUN#${runAt}`, sk: 'RUN' });

/** FNV-1a: a stable, cheap hash to spread candidates over the due index's shards. */
export const shardOf = (candidateId: string, shards: number = TABLE_DESIGN.dueShards): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < candidateId.length; index += 1) {
    hash ^= candidateId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
};

/** Partition key of the due index for one shard. */
export const duePk = (shard: number) => `DUE#${shard}`;

/** Sort key of the due index: the due instant first, so "due by T" is one key condition. */
export const dueSk = (dueAt: string, candidateId: string) => `${dueAt}#${candidateId}`;

/** Upper bound of due-index sort keys for entries due at or before `isoInstant`. */
export const dueSkUpTo = (isoInstant: string) => `${isoInstant}#\uffff`;
