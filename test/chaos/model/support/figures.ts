import { inject } from 'vitest';

/** One readable block of figures, a label and a value per line. */
export const figureBlock = (
  title: string,
  rows: ReadonlyArray<readonly [string, string | number]>,
): string => {
  const width = Math.max(...rows.map(([label]) => label.length));
  const rule = '='.repeat(Math.max(title.length, width + 12));
  return [
    rule,
    title,
    rule,
    ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`),
    rule,
  ].join('\n');
};

/** Emails in the SES emulator addressed (To) to candidates whose id matches `pattern`. */
export const sesStoreCount = async (pattern: RegExp): Promise<number | string> => {
  try {
    const response = await fetch(new URL('/store', inject('sesEndpoint')));
    const { emails } = (await response.json()) as {
      emails: Array<{ destination: { to: string[] } }>;
    };
    return emails.filter((email) => email.destination.to.some((address) => pattern.test(address)))
      .length;
  } catch (error) {
    return `unavailable (${(error as Error).message})`;
  }
};
