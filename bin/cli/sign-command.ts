import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { signWebhook } from '../../functions/adapters/webhook-signature';
import { localClients } from '../local/local-app';
import { findLocalSecrets } from '../local/local-secrets';
import type { CliContext } from './cli-context';
import { localConfigOf } from './cli-context';
import { RuntimeFailure } from './cli-errors';

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** A ready-to-paste curl command posting `file` with fresh Standard Webhooks headers. */
export const signedCurl = (url: string, file: string, headers: Record<string, string>) =>
  [
    `curl -sS -X POST ${quote(url)}`,
    `-H 'content-type: application/json'`,
    ...Object.entries(headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`),
    `--data-binary @${quote(file)}`,
  ].join(' \\\n  ');

export const registerSign = (program: Command, context: CliContext) => {
  program
    .command('sign')
    .description(
      'Sign an event file with the local webhook secret: print a curl command (valid 5 minutes), or --post it.',
    )
    .argument('<file>', 'a JSON file holding one event')
    .option('--post', 'post it to the local API now and print the answer')
    .option('--id <webhookId>', 'the webhook-id to use (default: a new one)')
    .addHelpText(
      'after',
      '\nExamples:\n  npm run reminders -- sign examples/attempt.json --post\n  npm run reminders -- sign examples/attempt.json | sh',
    )
    .action(async (file: string, options: { post?: boolean; id?: string }) => {
      const config = localConfigOf(context);
      const body = await readFile(file, 'utf8').catch(() => {
        throw new RuntimeFailure(`cannot read ${file}`);
      });
      const secrets = await findLocalSecrets({
        dataDir: config.dataDir,
        env: context.env,
        client: localClients(config).dynamodb,
        tableName: config.tableName,
      }).catch((error: Error) => {
        throw new RuntimeFailure(error.message);
      });
      const [secret] = secrets.webhookSecrets;
      const headers = signWebhook(
        secret as string,
        options.id ?? `msg_${randomUUID()}`,
        context.now(),
        body,
      );
      const url = `${config.publicUrl}/v1/events`;
      if (!options.post) {
        context.print(signedCurl(url, file, { ...headers }));
        return;
      }
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
          signal: AbortSignal.timeout(30_000),
        });
      } catch {
        throw new RuntimeFailure(
          `nothing answers at ${url}: start the local stack with \`npm start\``,
        );
      }
      context.print(`${response.status} ${await response.text()}`);
      if (!response.ok) throw new RuntimeFailure(`the API answered ${response.status}`);
    });
};
