import { readEventFile } from '../adapters/event-file-reader';
import { createEventFold, type EventFold } from '../domain/event-fold';
import { createEventValidator, type ValidationIssue } from '../domain/event-schemas';

/** A line of a file that was not taken, and why. */
export interface RejectedLine {
  readonly line: number;
  readonly error: string;
}

export interface FoldedFile {
  readonly fold: EventFold;
  readonly read: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly rejected: readonly RejectedLine[];
}

/** One line of text for a list of validation issues. */
export const describeIssues = (issues: readonly ValidationIssue[]): string =>
  issues
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');

/**
 * Reads an events file into a pure in-memory fold, without any store: the engine behind
 * `forecast --input`. Bad lines are reported with their numbers and skipped.
 *
 * @example
 * const { fold, rejected } = await foldEventFile('examples/events.jsonl', { now: () => new Date() });
 */
export const foldEventFile = async (
  path: string,
  options: { readonly now: () => Date; readonly onLine?: (line: number) => void },
): Promise<FoldedFile> => {
  const validate = createEventValidator(options.now);
  const fold = createEventFold();
  const rejected: RejectedLine[] = [];
  let read = 0;
  let imported = 0;
  let duplicates = 0;
  for await (const record of readEventFile(path)) {
    read += 1;
    options.onLine?.(record.line);
    if ('error' in record) {
      rejected.push({ line: record.line, error: record.error });
      continue;
    }
    const validation = validate(record.value);
    if (!validation.ok) {
      rejected.push({ line: record.line, error: describeIssues(validation.issues) });
      continue;
    }
    const outcome = fold.apply(validation.event);
    if (outcome === 'conflict') {
      rejected.push({ line: record.line, error: conflictMessage(validation.event.type) });
    } else if (outcome === 'duplicate') {
      duplicates += 1;
    } else {
      imported += 1;
    }
  }
  return { fold, read, imported, duplicates, rejected };
};

export const conflictMessage = (type: string): string =>
  type === 'account.merged'
    ? 'conflict: this merge would make the accounts aliases of each other'
    : 'conflict: this attemptId was already recorded with different content';
