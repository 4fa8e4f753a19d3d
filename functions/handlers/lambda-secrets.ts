import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { splitSecrets } from '../adapters/secret-lists';
import { requireEnv } from './lambda-runtime';

/**
 * A secret's value: the variable itself when set (e.g. `WEBHOOK_SECRET`), otherwise the Secrets
 * Manager secret named by `<NAME>_ARN`, cached for five minutes so rotations are picked up.
 */
export const secretFromEnv = async (name: string): Promise<string> => {
  const direct = process.env[name];
  if (direct) return direct;
  const value = await getSecret(requireEnv(`${name}_ARN`), { maxAge: 300 });
  if (typeof value !== 'string' || value === '') throw new Error(`secret ${name} is empty`);
  return value;
};

/** The unsubscribe signing secrets; the first signs new links. */
export const unsubscribeSecretsFromEnv = async (): Promise<string[]> =>
  splitSecrets(await secretFromEnv('UNSUBSCRIBE_SECRET'));
