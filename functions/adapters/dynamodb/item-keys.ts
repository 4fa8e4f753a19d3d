import { TABLE_DESIGN } from './table-design';

/** Key builders of the single-table design (see `table-design.ts`). */
export const candidatePk = (candidateId: string) => `CAND#${candidateId}`;
export const PROFILE_SK = 'PROFILE';
export const ERASED_SK = 'ERASED';
export const MERGED_SK = 'MERGED';
export const STATE_SK_PREFIX = 'STATE#';
export const REMINDER_SK_PREFIX = 'REM#';
export const stateSk = (credentialId: string) => `${STATE_SK_PREFIX}${credentialId}`;
export const reminderSk = (reminderKey: string) => `${REMINDER_SK_PREFIX}${reminderKey}`;
export const attemptKey = (attemptId: string) => ({ pk: `ATTEMPT#${attemptId}`, sk: 'ATTEMPT' });
export const webhookKey = (webhookId: string) => ({ pk: `WEBHOOK#${webhookId}`, sk: 'WEBHOOK' });
export const suppressionKey = (email: string) => ({
  pk: `SUPPRESS#${email.toLowerCase()}`,
  sk: 'SUPPRESS',
});
export const runKey = (utcDate: string) => ({ pk: `RUN#${utcDate}`, sk: 'RUN' });

/** FNV-1a: a stable, cheap hash to spread candidates over the due index's shards. */
export const shardOf = (candidateId: string, shards: number = TABLE_DESIGN.dueShards): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < candidateId.length; index += 1) {
    hash ^= candidateId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
};

/** Partition key of the due index for one UTC date and shard. */
export const duePk = (utcDate: string, shard: number) => `DUE#${utcDate}#${shard}`;

/** Sort key of the due index: due instant first, so a run can read "due by T" with one condition. */
export const dueSk = (dueAt: string, candidateId: string, reminderKey: string) =>
  `${dueAt}#${candidateId}#${reminderKey}`;

/** Upper bound of due-index sort keys for reminders due at or before `isoInstant`. */
export const dueSkUpTo = (isoInstant: string) => `${isoInstant}#\uffff`;
