import { createHash } from 'node:crypto';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nextDueAt } from '../../functions/domain/candidate-ledger';
import { emptyCandidate } from '../../functions/domain/candidate-state';
import type { RuleSettings } from '../../functions/domain/rule-settings';
import type { CandidateRepository } from '../../functions/use-cases/ports';

/**
 * The local DynamoDB emulator (dynalite) writes an item and its index entries as separate disk
 * writes, so a process killed between them can leave a candidate out of the due index, and out
 * of every run's reach. DynamoDB itself keeps them together; locally the stack marks a clean
 * stop, and after a stop that was not clean it writes every due candidate again, which rebuilds
 * its index entry.
 */
const markerOf = (dataDir: string) => join(dataDir, 'dynamodb', '.stopped-cleanly');

export const wasStoppedCleanly = async (dataDir: string): Promise<boolean> =>
  access(markerOf(dataDir)).then(
    () => true,
    () => false,
  );

/** Marks the start of a session: until {@link markCleanStop}, a kill counts as unclean. */
export const markRunning = (dataDir: string) => rm(markerOf(dataDir), { force: true });

export const markCleanStop = (dataDir: string) =>
  writeFile(markerOf(dataDir), `${new Date().toISOString()}\n`);

const rulesMarkerOf = (dataDir: string) => join(dataDir, 'dynamodb', '.rules-sha256');

/** A fingerprint of everything that moves due dates: the rule settings and the policy (SPEC §9). */
const rulesFingerprint = (settings: RuleSettings) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        settings.defaultTimeZone,
        settings.sendHour,
        settings.expiryWarningDays,
        settings.maxLatenessDays,
        settings.policies ?? null,
      ]),
    )
    .digest('hex');

/**
 * Whether the rules changed since the data was last served (an edited `POLICY_FILE`, another
 * `EXPIRY_WARNING_DAYS`): the due index then holds instants computed under the old rules, and is
 * rebuilt with {@link repairDueIndex}. Data never served before counts as unchanged.
 */
export const rulesChanged = async (dataDir: string, settings: RuleSettings): Promise<boolean> => {
  const stored = await readFile(rulesMarkerOf(dataDir), 'utf8').catch(() => undefined);
  return stored !== undefined && stored.trim() !== rulesFingerprint(settings);
};

/** Remembers the rules the data is now served with. */
export const markRules = (dataDir: string, settings: RuleSettings) =>
  writeFile(rulesMarkerOf(dataDir), `${rulesFingerprint(settings)}\n`);

/**
 * Writes every candidate with something due again, unchanged but for its version, so the
 * emulator rebuilds its due-index entry; then clears index entries that name another due
 * instant than their candidate's (the emulator drops an entry only when the item it belongs to
 * is written over, so such an entry is written over once with the item, then replaced). A
 * candidate that changes meanwhile is left to that change, which writes its own entry.
 *
 * @returns how many candidates were written again.
 */
export const repairDueIndex = async (
  candidates: CandidateRepository,
  settings: RuleSettings,
  shards: number,
): Promise<number> => {
  let repaired = 0;
  const expected = new Map<string, string | undefined>();
  for await (const page of candidates.scanCandidates()) {
    for (const { state, version } of page) {
      const dueAt = nextDueAt(state, settings);
      expected.set(state.candidateId, dueAt);
      if (dueAt === undefined) continue;
      if ((await candidates.save(state, version, dueAt)) !== undefined) repaired += 1;
    }
  }
  for (let shard = 0; shard < shards; shard += 1) {
    for await (const page of candidates.queryDue(shard, END_OF_TIME)) {
      for (const entry of page) {
        if (expected.has(entry.candidateId) && expected.get(entry.candidateId) === entry.dueAt)
          continue;
        const stored = (await candidates.load(entry.candidateId)) ?? {
          state: emptyCandidate(entry.candidateId),
          version: 0,
        };
        const over = await candidates.save(stored.state, stored.version, entry.dueAt);
        if (over !== undefined)
          await candidates.save(stored.state, over, nextDueAt(stored.state, settings));
        repaired += 1;
      }
    }
  }
  return repaired;
};

const END_OF_TIME = '9999-12-31T23:59:59Z';
