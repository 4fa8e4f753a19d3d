/**
 * Splits a comma-separated list of secrets (several are accepted during a rotation).
 *
 * @example
 * splitSecrets('whsec_a, whsec_b'); // ['whsec_a', 'whsec_b']
 */
export const splitSecrets = (value: string): string[] =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
