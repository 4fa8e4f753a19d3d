import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { localConfigFromEnv } from '../../bin/local/local-config';
import { type LocalStack, startLocalStack } from '../../bin/local/local-stack';
import { signWebhook } from '../../functions/adapters/webhook-signature';
import { type RuleSettings, ruleSettingsFromEnv } from '../../functions/domain/rule-settings';

/**
 * The local stack with its demo data, in this process, on free ports and a fresh `DATA_DIR`, as
 * `npm start` runs it (demo loaded by signed webhooks, then the catch-up run), and Debian's
 * Chromium driven by playwright-core, for the console's browser tests and its screenshots.
 */

/** Where Debian's `chromium` package puts the browser (`.ci/run` installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A schedule that never fires while the tests run (29 February, next in 2028). */
const QUIET_SCHEDULE = '0 0 29 2 *';

export interface DemoStack {
  readonly stack: LocalStack;
  readonly settings: RuleSettings;
  readonly consoleUrl: string;
  /** Posts one event through the signed webhook, as a programme would. */
  post(event: unknown): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the local stack with the demo candidates and one catch-up run.
 *
 * @example
 * const demo = await startDemoStack();
 * await demo.stop();
 */
export const startDemoStack = async (): Promise<DemoStack> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'console-browser-'));
  const env = {
    DATA_DIR: dataDir,
    PORT: '0',
    DYNAMODB_PORT: '0',
    SES_PORT: '0',
    SCHEDULE: QUIET_SCHEDULE,
  };
  const settings = ruleSettingsFromEnv(env);
  const stack = await startLocalStack(localConfigFromEnv(env), settings, env);
  await stack.loadDemo();
  await stack.run(Temporal.Now.instant());
  let posted = 0;
  return {
    stack,
    settings,
    consoleUrl: stack.urls.console,
    async post(event) {
      const body = JSON.stringify(event);
      posted += 1;
      const headers = signWebhook(
        stack.secrets.webhookSecrets[0] as string,
        `browser-test-${posted}`,
        new Date(),
        body,
      );
      const response = await fetch(`${stack.urls.api}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      if (response.status !== 202) throw new Error(`event refused: ${await response.text()}`);
    },
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

/**
 * Debian's Chromium, headless.
 *
 * @example
 * const browser = await launchChromium();
 */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
