import type { App, Environment } from 'aws-cdk-lib';
import { type DeploymentSettings, readDeploymentSettings } from './deployment-settings';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

/** The two stacks of one deployment, and the settings they were built from. */
export interface CertRemindersStacks {
  readonly settings: DeploymentSettings;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Adds the stacks of one deployment (stage) to `app`, configured from its context:
 * `cert-reminders-<stage>-stateful` and `cert-reminders-<stage>-stateless`.
 *
 * The stateless stack uses the stateful stack's table unless the `tableName` context names
 * another one (a table restored from a point-in-time backup, for instance).
 *
 * @example
 * const app = new App();
 * const { stateless } = addCertRemindersStacks(app);
 */
export const addCertRemindersStacks = (app: App, env?: Environment): CertRemindersStacks => {
  const settings = readDeploymentSettings(app.node);
  const prefix = `cert-reminders-${settings.stage}`;
  const tags = { application: 'cert-reminders', stage: settings.stage };

  const stateful = new StatefulStack(app, `${prefix}-stateful`, {
    env,
    tags,
    description: `cert-reminders (${settings.stage}): table and secrets, kept across deployments`,
    outboundWebhooks: settings.outboundWebhookUrl !== undefined,
  });
  const stateless = new StatelessStack(app, `${prefix}-stateless`, {
    env,
    tags,
    description: `cert-reminders (${settings.stage}): functions, HTTP API, schedule, queues, email and alarms`,
    settings,
    tableName: settings.tableName ?? stateful.table.tableName,
    webhookSecret: stateful.webhookSecret,
    unsubscribeSecret: stateful.unsubscribeSecret,
    ...(stateful.outboundWebhookSecret
      ? { outboundWebhookSecret: stateful.outboundWebhookSecret }
      : {}),
  });
  return { settings, stateful, stateless };
};
