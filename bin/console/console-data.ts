import { addDays, type LocalDate, localDateOf } from '../../functions/domain/calendar';
import { isActive, viewOf } from '../../functions/domain/candidate-state';
import type { RuleSettings } from '../../functions/domain/rule-settings';
import {
  type CandidateReader,
  type CandidateRecord,
  candidateRecordOf,
} from '../../functions/use-cases/candidate-record';
import { forecast } from '../../functions/use-cases/forecast';
import { buildTimeline, type Timeline } from '../../functions/use-cases/timeline';
import type { EmailPreview } from './email-preview';
import {
  type DailyForecast,
  dailyForecast,
  type RunSummary,
  runSummaries,
  suppressionCounts,
} from './overview-model';
import type { ScanProgress, TableSnapshot } from './table-scan';

/** Days of the overview's forecast, from today (UTC). */
export const OVERVIEW_DAYS = 90;

/** What the console reads with: the CLI's use cases and the console's Scan. */
export interface ConsoleSources {
  readonly store: CandidateReader;
  readonly settings: RuleSettings;
  readonly scan: (onProgress: (progress: ScanProgress) => void) => Promise<TableSnapshot>;
  readonly preview: (candidateId: string, runAt: string) => Promise<EmailPreview>;
  readonly now: () => Date;
  /** How long a Scan's result is reused (default 60 s). */
  readonly cacheMs?: number;
}

/** The overview's figures, all from one Scan. */
export interface Overview {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly forecast: DailyForecast;
  readonly runs: readonly RunSummary[];
  readonly suppressions: ReturnType<typeof suppressionCounts>;
  readonly candidates: number;
  readonly snapshot: Pick<TableSnapshot, 'items' | 'segments' | 'readAt' | 'tookMs'>;
}

/** A candidate as the candidate page shows them. */
export type CandidateLookup =
  | { readonly found: 'no' }
  | { readonly found: 'erased' }
  | { readonly found: 'yes'; readonly timeline: Timeline; readonly requestedId: string };

/**
 * The console's reads: the overview from a parallel Scan (its result kept for `cacheMs`, with
 * its progress while it runs), a candidate's timeline and the preview of their email.
 *
 * @example
 * const reader = createConsoleReader(sources);
 * const state = reader.overview(); // { progress } while scanning, then { overview }
 */
export const createConsoleReader = (sources: ConsoleSources) => {
  const cacheMs = sources.cacheMs ?? 60_000;
  let cached: { readonly at: number; readonly snapshot: TableSnapshot } | undefined;
  let scanning: Promise<TableSnapshot> | undefined;
  let progress: ScanProgress = { items: 0, estimate: 0 };
  let failure: Error | undefined;

  const startScan = () => {
    failure = undefined;
    progress = { items: 0, estimate: 0 };
    scanning = sources
      .scan((next) => {
        progress = next;
      })
      .then((snapshot) => {
        cached = { at: sources.now().getTime(), snapshot };
        return snapshot;
      })
      .catch((error: Error) => {
        failure = error;
        throw error;
      })
      .finally(() => {
        scanning = undefined;
      });
    scanning.catch(() => {});
  };

  const records = (snapshot: TableSnapshot): CandidateRecord[] =>
    snapshot.candidates
      .filter((candidate) => isActive(candidate.state))
      .map((candidate) => candidateRecordOf(candidate, sources.settings));

  const overviewOf = (snapshot: TableSnapshot): Overview => {
    const from = localDateOf(sources.now().toISOString(), 'UTC');
    const to = addDays(from, OVERVIEW_DAYS - 1);
    const active = snapshot.candidates.filter((candidate) => isActive(candidate.state));
    const entries = forecast(
      active.map((candidate) => viewOf(candidate.state)),
      sources.settings,
      { from, to },
    );
    return {
      from,
      to,
      forecast: dailyForecast(entries, from, OVERVIEW_DAYS),
      runs: runSummaries(records(snapshot), snapshot.runs),
      suppressions: suppressionCounts(snapshot.suppressions),
      candidates: active.length,
      snapshot: {
        items: snapshot.items,
        segments: snapshot.segments,
        readAt: snapshot.readAt,
        tookMs: snapshot.tookMs,
      },
    };
  };

  /**
   * The latest Scan, started when none is fresh; waits up to `waitMs` for a running one, then
   * answers its progress instead.
   */
  const snapshot = async (
    waitMs: number,
  ): Promise<
    | { readonly snapshot: TableSnapshot }
    | { readonly progress: ScanProgress }
    | { readonly error: Error }
  > => {
    const fresh = cached && sources.now().getTime() - cached.at < cacheMs;
    if (fresh && cached) return { snapshot: cached.snapshot };
    if (!scanning) {
      if (failure) {
        const error = failure;
        failure = undefined;
        return { error };
      }
      startScan();
    }
    const running = scanning as Promise<TableSnapshot>;
    const timeout = new Promise<undefined>((resolve) => {
      setTimeout(() => resolve(undefined), waitMs).unref?.();
    });
    const done = await Promise.race([running.catch(() => undefined), timeout]);
    if (done) return { snapshot: done };
    if (failure) {
      const error = failure;
      failure = undefined;
      return { error };
    }
    return { progress };
  };

  return {
    /** Forgets the kept Scan, so the next page reads the table again. */
    forget: () => {
      cached = undefined;
    },
    /** The overview, or the Scan's progress while it is still reading. */
    overview: async (waitMs = 1500) => {
      const state = await snapshot(waitMs);
      return 'snapshot' in state ? { overview: overviewOf(state.snapshot) } : state;
    },
    /** Every run, newest first, from the same Scan. */
    runs: async (waitMs = 1500) => {
      const state = await snapshot(waitMs);
      return 'snapshot' in state
        ? { runs: runSummaries(records(state.snapshot), state.snapshot.runs), ...state }
        : state;
    },
    /** One candidate's timeline, as `reminders timeline` builds it. */
    candidate: async (candidateId: string): Promise<CandidateLookup> => {
      const resolved = await sources.store.resolveCandidate(candidateId);
      if (resolved.erased) return { found: 'erased' };
      const record = await sources.store.loadCandidate(resolved.candidateId);
      if (!record.profile && record.states.length === 0) return { found: 'no' };
      return {
        found: 'yes',
        requestedId: candidateId,
        timeline: buildTimeline(record, sources.settings, sources.now()),
      };
    },
    /** The email a run at `runAt` would send the candidate (nothing recorded). */
    preview: (candidateId: string, runAt: string) => sources.preview(candidateId, runAt),
  };
};

export type ConsoleReader = ReturnType<typeof createConsoleReader>;
