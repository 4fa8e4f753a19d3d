import type { Server } from 'node:http';
import type { Command } from 'commander';
import { createConsole } from '../console/console-app';
import { startConsoleServer } from '../console/console-server';
import { awsClients, localClients } from '../local/local-app';
import { type CliContext, localConfigOf, ruleSettingsOf } from './cli-context';
import { RuntimeFailure, UsageError } from './cli-errors';
import { openApp } from './open-store';

interface ConsoleOptions {
  readonly port?: number;
  readonly target?: string;
}

const parsePort = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new UsageError(`--port must be a port number (0-65535), got "${value}"`);
  return Number(value);
};

/** A console being served: its address and how to stop it. */
export interface RunningConsole {
  readonly url: string;
  readonly server: Server;
  stop(): Promise<void>;
}

/**
 * Serves the operations console (SPEC §10) on 127.0.0.1: the local stack's table
 * (`DYNAMODB_ENDPOINT`), or with `--target aws` the deployed one (`TABLE_NAME`, `AWS_REGION`,
 * default credentials), through the same reads as `forecast` and `timeline`.
 *
 * @example
 * const running = await startConsole(context, { port: 0 });
 * await running.stop();
 */
export const startConsole = async (
  context: CliContext,
  options: ConsoleOptions,
): Promise<RunningConsole> => {
  const config = localConfigOf(context);
  const settings = ruleSettingsOf(context);
  const app = await openApp(context, {
    readOnly: true,
    ...(options.target ? { target: options.target } : {}),
  });
  const onAws = options.target === 'aws';
  const routes = createConsole({
    config,
    settings,
    store: app.store,
    clients: onAws ? awsClients() : localClients(config),
    target: onAws
      ? `table ${config.tableName} on AWS`
      : `local table ${config.tableName} (${config.dynamodbEndpoint})`,
    mounts: ['', '/console'],
    now: context.now,
    onError: (error) => context.warn(`console: ${(error as Error).message.split('\n')[0]}`),
  });
  const { server, url } = await startConsoleServer({
    port: options.port ?? config.consolePort,
    routes,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE')
      throw new RuntimeFailure(
        `port ${options.port ?? config.consolePort} is already in use: set CONSOLE_PORT or --port`,
      );
    throw error;
  });
  return {
    url,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
};

export const registerConsole = (program: Command, context: CliContext) => {
  program
    .command('console')
    .description(
      'Serve the read-only operations console on 127.0.0.1: the next 90 days, the runs, each candidate and the email they would get.',
    )
    .option('--port <n>', 'port on 127.0.0.1 (default: CONSOLE_PORT, 3001)', parsePort)
    .option('--target <where>', 'read the deployed table with "aws" (TABLE_NAME, AWS_REGION)')
    .addHelpText(
      'after',
      '\nExamples:\n  npm run reminders -- console\n  npm run reminders -- console --target aws --port 3101',
    )
    .action(async (options: ConsoleOptions) => {
      const running = await startConsole(context, options);
      context.print(
        `Operations console (read-only): ${running.url}\nReading ${options.target === 'aws' ? 'the deployed table' : 'the local stack'}. Ctrl-C stops.`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await running.stop();
    });
};
