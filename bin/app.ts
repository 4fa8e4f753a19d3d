import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addCertRemindersStacks } from '../lib/stacks/cert-reminders-stacks';

/**
 * The CDK app of cert-reminders. Deploys to the account and region of the CLI credentials when
 * there are some; without them the stacks are environment-agnostic, so `cdk synth` works offline.
 * Context keys are listed in docs/deploy.md.
 */
const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

try {
  addCertRemindersStacks(
    app,
    account !== undefined && region !== undefined ? { account, region } : undefined,
  );
} catch (error) {
  // An invalid context value or policy file: one line naming it, not a stack trace.
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
