import type { Command } from 'commander';
import { Cron } from 'croner';
import { signWebhook } from '../../functions/adapters/webhook-signature';
import { startLocalStack } from '../local/local-stack';
import type { CliContext } from './cli-context';
import { localConfigOf, ruleSettingsOf } from './cli-context';
import { RuntimeFailure, UsageError } from './cli-errors';
import { describeRun } from './run-command';
import { signedCurl } from './sign-command';

const EXAMPLE_FILE = 'examples/attempt.json';

export const registerDev = (program: Command, context: CliContext) => {
  program
    .command('dev', { isDefault: false })
    .description(
      'Start the local stack: DynamoDB and SES emulators, the HTTP API, the daily schedule and a catch-up run.',
    )
    .option('--once', 'start, load the demo, run once, print what was sent, and exit')
    .option('--no-demo', 'do not load demo candidates into an empty table')
    .addHelpText(
      'after',
      '\nEnvironment: PORT (3000), DYNAMODB_PORT (8000), SES_PORT (8005), DATA_DIR (.data), SCHEDULE (0 13 * * *), …\nSee README.md for every variable.',
    )
    .action(async (options: { once?: boolean; demo: boolean }) => {
      const config = localConfigOf(context);
      const settings = ruleSettingsOf(context);
      try {
        new Cron(config.schedule, { timezone: 'UTC', paused: true }).stop();
      } catch {
        throw new UsageError(`SCHEDULE is not a valid cron expression: "${config.schedule}"`);
      }
      const stack = await startLocalStack(config, settings, context.env).catch(
        (error: Error & { code?: string }) => {
          if (error.code === 'EADDRINUSE') {
            throw new RuntimeFailure(
              `a port is already in use (${error.message.replace(/^.*EADDRINUSE:?\s*/, '')}): set PORT, DYNAMODB_PORT or SES_PORT`,
            );
          }
          throw error;
        },
      );
      const stop = async () => {
        await stack.stop();
      };
      try {
        if (stack.secrets.generated)
          context.print(
            `Generated the local webhook and unsubscribe secrets in ${stack.secrets.file}.`,
          );
        if (options.demo && (await stack.isEmpty())) {
          const count = await stack.loadDemo();
          context.print(`Loaded ${count} demo events through signed webhooks.`);
        }
        const example = signWebhook(
          stack.secrets.webhookSecrets[0] as string,
          `msg_example_${Date.now()}`,
          new Date(),
          await readExample(),
        );
        context.print(
          [
            '',
            'cert-reminders is running:',
            `  API            ${stack.urls.api}/v1/events   (health: ${stack.urls.api}/v1/health)`,
            `  Inbox (SES)    ${stack.urls.inbox}/`,
            `  Console        ${stack.urls.console}   (read-only operations console)`,
            `  DynamoDB       ${stack.urls.dynamodb}   (${context.env.DYNAMODB_ENDPOINT ? 'DYNAMODB_ENDPOINT' : `data in ${config.dataDir}`})`,
            `  Schedule       ${config.schedule} (UTC), plus a catch-up run now`,
            `  Webhook secret ${stack.secrets.webhookSecrets[0]}`,
            ...(stack.urls.outbound
              ? [
                  `  Outbound       ${stack.urls.outbound}   (outbound webhooks, queued in the table)`,
                  `  Outbound secret ${stack.secrets.outboundWebhookSecrets?.[0] ?? ''}`,
                ]
              : []),
            '',
            'Post a signed example event (valid for 5 minutes):',
            signedCurl(`${config.publicUrl}/v1/events`, EXAMPLE_FILE, { ...example }),
            '',
            `Or sign and post at any time: npm run reminders -- sign ${EXAMPLE_FILE} --post`,
            `Then: npm run reminders -- timeline cand-example`,
            '',
          ].join('\n'),
        );
        const report = await stack.run();
        context.print(`Catch-up ${describeRun(report)}`);
        if (options.once) {
          await stop();
          return;
        }
        stack.schedule(
          (scheduled) => context.print(describeRun(scheduled)),
          (error) => context.warn(`scheduled run failed: ${(error as Error).message}`),
        );
        context.print('\nPress Ctrl-C to stop.');
        await new Promise<void>((resolve) => {
          const shutdown = () => {
            context.print('\nStopping…');
            resolve();
          };
          process.once('SIGINT', shutdown);
          process.once('SIGTERM', shutdown);
        });
        await stop();
      } catch (error) {
        await stop();
        throw error;
      }
    });
};

const readExample = async () => {
  const { readFile } = await import('node:fs/promises');
  return readFile(EXAMPLE_FILE, 'utf8');
};
