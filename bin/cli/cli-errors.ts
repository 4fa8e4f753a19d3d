/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Work that could not be done: exit code 1. */
export class RuntimeFailure extends Error {
  override readonly name = 'RuntimeFailure';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
