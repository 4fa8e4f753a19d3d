import { readEventFile } from '../adapters/event-file-reader';
import { createEventFold, type EventFold } from '../domain/event-fold';
import {
  type CertificationEvent,
  createEventValidator,
  type ValidationIssue,
} from '../domain/event-schemas';

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
 * The events of a file, validated, each with its line number; a line that cannot be read or is
 * not a valid event comes as an error for that line.
 */
export async function* validatedEvents(
  path: string,
  now: () => Date,
): AsyncGenerator<{ readonly line: number; readonly event: CertificationEvent } | RejectedLine> {
  const validate = createEventValidator(now);
  for await (const record of readEventFile(path)) {
    if ('error' in record) {
      yield { line: record.line, error: record.error };
      continue;
    }
    const validation = validate(record.value);
    yield validation.ok
      ? { line: record.line, event: validation.event }
      : { line: record.line, error: describeIssues(validation.issues) };
  }
}

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
  const fold = createEventFold();
  const rejected: RejectedLine[] = [];
  let read = 0;
  let imported = 0;
  let duplicates = 0;
  for await (const record of validatedEvents(path, options.now)) {
    read += 1;
    options.onLine?.(record.line);
    if ('error' in record) {
      rejected.push(record);
      continue;
    }
    const outcome = fold.apply(record.event);
    if (outcome === 'conflict') {
      rejected.push({ line: record.line, error: conflictMessage(record.event.type) });
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
