import { describe, expect, it } from 'vitest';
import { splitSecrets } from '../../../functions/adapters/secret-lists';

describe('splitSecrets', () => {
  it.each([
    ['one secret', 'whsec_a', ['whsec_a']],
    ['several secrets', 'whsec_a,whsec_b', ['whsec_a', 'whsec_b']],
    ['secrets with spaces around them', ' whsec_a ,  whsec_b ', ['whsec_a', 'whsec_b']],
    ['empty parts', ',whsec_a,, ,whsec_b,', ['whsec_a', 'whsec_b']],
    ['an empty string', '', []],
    ['only commas and spaces', ' , ,', []],
  ])('splits %s', (_label, value, expected) => {
    // Act
    const secrets = splitSecrets(value);

    // Assess
    expect(secrets).toEqual(expected);
  });
});
