import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { splitSecrets } from '../adapters/secret-lists';

/**
 * A secret list's source on Lambda: the variable's own value when set (e.g. `WEBHOOK_SECRET`),
 * otherwise the Secrets Manager secret named by its `_ARN`, cached for five minutes so rotations
 * are picked up.
 *
 * @example
 * const secrets = secretListOf(config.unsubscribeSecret, 'UNSUBSCRIBE_SECRET');
 * const [signing] = await secrets();
 */
export const secretListOf =
  (
    secret: { readonly value?: string; readonly arn?: string },
    name: string,
    parse: (value: string) => string[] = splitSecrets,
  ) =>
  async (): Promise<string[]> => {
    if (secret.value) return parse(secret.value);
    if (!secret.arn) throw new Error(`${name}_ARN is not set`);
    const value = await getSecret(secret.arn, { maxAge: 300 });
    if (typeof value !== 'string' || value === '') throw new Error(`secret ${name} is empty`);
    return parse(value);
  };
