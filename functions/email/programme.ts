import { singleLine } from './escape';

/** The programme name shown in headers and footers when the caller gives none. */
export const DEFAULT_PROGRAMME_NAME = 'Certification Reminders';

/**
 * The programme name to show: the caller's, flattened to one line, or
 * {@link DEFAULT_PROGRAMME_NAME} when that leaves nothing.
 *
 * @example
 * programmeNameOf('Cloud\nSkills'); // 'Cloud Skills'
 * programmeNameOf(undefined); // 'Certification Reminders'
 */
export const programmeNameOf = (name: string | undefined): string =>
  singleLine(name ?? '') || DEFAULT_PROGRAMME_NAME;
