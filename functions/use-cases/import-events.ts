import { profileWritesOf } from '../domain/candidate-profile';
import {
  applyAttempts,
  applyProfileWrites,
  type CandidateState,
  emptyCandidate,
} from '../domain/candidate-state';
import { incomingAttemptOf } from '../domain/event-fold';
import type { CertificationEvent } from '../domain/event-schemas';
import { resolveCandidate } from './candidate-changes';
import { conflictMessage, type RejectedLine, validatedEvents } from './fold-event-file';
import { runBounded } from './plan-run';
import { type RecordEventDeps, type RecordOutcome, recordEvent } from './record-event';
import { changeSurvivingAccount } from './surviving-account';

export interface ImportSummary {
  readonly read: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly rejected: readonly RejectedLine[];
}

export interface ImportOptions {
  /** Candidates written at once. */
  readonly concurrency?: number;
  /** Lines read before they are written: a larger window writes each candidate fewer times. */
  readonly windowLines?: number;
  /** Called as lines are read and done, for progress. */
  readonly onProgress?: (progress: { readonly read: number; readonly done: number }) => void;
}

/**
 * Lines an import reads before it writes them (default). A history sorted by time puts a
 * candidate's attempts far apart in the file; a wide window still writes each candidate about once
 * per window, at the cost of holding that many events in memory.
 */
export const IMPORT_WINDOW_LINES = 100_000;

interface Line {
  readonly line: number;
  readonly event: CertificationEvent;
}

type Outcome = RecordOutcome | 'new';

/**
 * Bulk-loads an events file (`.jsonl` or `.csv`), idempotently: a second import of the same file
 * reports duplicates and changes nothing. Lines are taken a window at a time:
 *
 * 1. the window's attempt ids and candidates are read with batched reads;
 * 2. each attempt is judged against the registry and the window itself (a repeat with other
 *    content is a conflict), and the new ones are registered with batched writes (no condition:
 *    the lookup just made stands in for it);
 * 3. each candidate's attempts and profile updates are folded into it and written with ONE
 *    conditional write (a lost race reads again and re-folds), with bounded concurrency;
 * 4. merges and erasures, which move or delete whole accounts, follow one at a time.
 *
 * What it cannot catch: the same `attemptId` registered under another candidate by a webhook
 * between steps 1 and 2 of a window; both candidates then hold it (the README says so).
 *
 * @example
 * const summary = await importEvents({ stores, settings, clock }, 'history.csv');
 */
export const importEvents = async (
  deps: RecordEventDeps,
  path: string,
  options: ImportOptions = {},
): Promise<ImportSummary> => {
  const rejected: RejectedLine[] = [];
  let read = 0;
  let done = 0;
  let imported = 0;
  let duplicates = 0;
  let window: Line[] = [];

  const count = ({ line, event }: Line, outcome: Outcome) => {
    if (outcome === 'conflict') rejected.push({ line, error: conflictMessage(event.type) });
    else if (outcome === 'duplicate') duplicates += 1;
    else imported += 1;
    done += 1;
  };

  const flush = async () => {
    const lines = window;
    window = [];
    const perCandidate = new Map<string, Line[]>();
    const accountWide: Line[] = [];
    for (const item of lines) {
      const { event } = item;
      if (event.type === 'account.merged' || event.type === 'candidate.erased')
        accountWide.push(item);
      else {
        const id =
          event.type === 'attempt.recorded'
            ? event.data.candidate.candidateId
            : event.data.candidateId;
        perCandidate.set(id, [...(perCandidate.get(id) ?? []), item]);
      }
    }
    const attemptIds = lines.flatMap(({ event }) =>
      event.type === 'attempt.recorded' ? [event.data.attemptId] : [],
    );
    const [registered, loaded] = await Promise.all([
      deps.stores.attempts.lookup([...new Set(attemptIds)]),
      deps.stores.candidates.loadMany([...perCandidate.keys()]),
    ]);
    const roots = new Map(
      await Promise.all(
        [...perCandidate.keys()].map(async (id) => {
          // Never stored: known to be empty, so it is not read again.
          const known = loaded.get(id) ?? { state: emptyCandidate(id), version: 0 };
          const { root } = await resolveCandidate(deps.stores.candidates, id, known);
          return [id, root] as const;
        }),
      ),
    );

    // Judge every attempt against the registry and the window, in file order.
    const judged = new Map<
      Line,
      { readonly registry: 'new' | 'duplicate' | 'conflict'; readonly at?: number }
    >();
    const inWindow = new Map<string, { readonly hash: string; readonly emittedAt: number }>();
    const toRegister: Array<{ attemptId: string; hash: string; emittedAt: number }> = [];
    for (const [id, items] of perCandidate) {
      if (roots.get(id)?.state.erasedAt !== undefined) continue;
      for (const item of items) {
        if (item.event.type !== 'attempt.recorded') continue;
        const { attemptId } = item.event.data;
        const incoming = incomingAttemptOf(item.event);
        const known = registered.get(attemptId) ?? inWindow.get(attemptId);
        if (known === undefined) {
          const entry = { attemptId, hash: incoming.attempt.hash, emittedAt: incoming.emittedAt };
          inWindow.set(attemptId, entry);
          toRegister.push(entry);
          judged.set(item, { registry: 'new' });
        } else {
          judged.set(item, {
            registry: known.hash === incoming.attempt.hash ? 'duplicate' : 'conflict',
            at: known.emittedAt,
          });
        }
      }
    }
    await deps.stores.attempts.putMany(toRegister);

    await runBounded(
      options.concurrency ?? 16,
      [...perCandidate].map(([id, items]) => async () => {
        const outcomes = await writeCandidate(deps, id, items, judged, roots.get(id));
        for (const [index, item] of items.entries()) count(item, outcomes[index] ?? 'accepted');
        if (outcomes.erased.length > 0) await deps.stores.attempts.forget(outcomes.erased);
      }),
    );
    for (const item of accountWide) count(item, await recordEvent(deps, item.event));
    options.onProgress?.({ read, done });
  };

  for await (const record of validatedEvents(path, () => deps.clock.now())) {
    read += 1;
    if ('error' in record) {
      rejected.push(record);
      done += 1;
      continue;
    }
    window.push(record);
    if (read % 1000 === 0) options.onProgress?.({ read, done });
    if (window.length >= (options.windowLines ?? IMPORT_WINDOW_LINES)) await flush();
  }
  await flush();
  rejected.sort((a, b) => a.line - b.line);
  return { read, imported, duplicates, rejected };
};

/**
 * Folds one candidate's lines of a window into the account they lead to, with one conditional
 * write. Returns an outcome per line, and the attempt ids registered for a person found erased.
 */
const writeCandidate = async (
  deps: RecordEventDeps,
  candidateId: string,
  items: readonly Line[],
  judged: ReadonlyMap<
    Line,
    { readonly registry: 'new' | 'duplicate' | 'conflict'; readonly at?: number }
  >,
  known: Parameters<typeof resolveCandidate>[2],
): Promise<Outcome[] & { erased: string[] }> => {
  const written = await changeSurvivingAccount(
    { candidates: deps.stores.candidates, settings: deps.settings },
    candidateId,
    (start, source) => {
      let state: CandidateState = start;
      let changed = false;
      const outcomes: Outcome[] = items.map((item) => {
        const { event } = item;
        if (event.type === 'attempt.recorded') {
          const verdict = judged.get(item);
          if (verdict === undefined || verdict.registry === 'conflict') return 'conflict';
          const applied = applyAttempts(state, [incomingAttemptOf(event, verdict.at)], source);
          state = applied.state;
          if (applied.outcomes[0] === 'conflict') return 'conflict';
          if (applied.outcomes[0] === 'new') changed = true;
          // Stored now for the first time, even if an interrupted import registered it.
          return applied.outcomes[0] === 'new' ? 'accepted' : 'duplicate';
        }
        const applied = applyProfileWrites(state, profileWritesOf(event), source);
        state = applied.state;
        changed ||= applied.changed;
        return applied.repeat ? 'duplicate' : 'accepted';
      });
      return { ...(changed ? { next: state } : {}), result: outcomes };
    },
    known,
  );
  if (written.erased) {
    const erased = items.flatMap((item) =>
      item.event.type === 'attempt.recorded' && judged.get(item)?.registry === 'new'
        ? [item.event.data.attemptId]
        : [],
    );
    return Object.assign(
      items.map((): Outcome => 'accepted'),
      { erased },
    );
  }
  return Object.assign(written.result, { erased: [] as string[] });
};
