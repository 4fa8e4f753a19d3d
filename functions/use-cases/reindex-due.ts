import { nextDueAt } from '../domain/candidate-ledger';
import type { RuleSettings } from '../domain/rule-settings';
import { changeCandidate } from './candidate-changes';
import type { CandidateRepository } from './ports';

export interface ReindexDueDeps {
  readonly candidates: CandidateRepository;
  readonly settings: RuleSettings;
}

export interface ReindexDueOptions {
  /** Scan segments read at once (the repository's default when absent). */
  readonly segments?: number;
  /** Called after each page with the candidates scanned and rewritten so far. */
  readonly onProgress?: (progress: ReindexDueReport) => void;
}

export interface ReindexDueReport {
  readonly scanned: number;
  readonly rewritten: number;
}

/**
 * Rebuilds the due index under the rules in force (SPEC §9): a stored entry was computed under
 * the rules of the candidate's last write, so after a changed policy or rule settings it may name
 * another instant than the rules now give. Reads every candidate with a parallel Scan (operators
 * only: no Lambda may Scan) and rewrites, with one conditional write on the version, each whose
 * entry differs. A candidate that changed meanwhile already got a fresh entry with its change, so
 * after a lost race the reloaded state is checked again and usually needs nothing.
 */
export const reindexDue = async (
  deps: ReindexDueDeps,
  options: ReindexDueOptions = {},
): Promise<ReindexDueReport> => {
  let scanned = 0;
  let rewritten = 0;
  for await (const page of deps.candidates.scanCandidates(options.segments)) {
    for (const stored of page) {
      scanned += 1;
      if (stored.dueAt === nextDueAt(stored.state, deps.settings)) continue;
      const { result } = await changeCandidate(
        deps,
        stored.state.candidateId,
        (current) =>
          current.version === 0 || current.dueAt === nextDueAt(current.state, deps.settings)
            ? { result: false }
            : { next: current.state, result: true },
        stored,
      );
      if (result) rewritten += 1;
    }
    options.onProgress?.({ scanned, rewritten });
  }
  return { scanned, rewritten };
};
