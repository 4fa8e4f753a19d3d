import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RemindersTable } from '../constructs/reminders-table';
import { SigningSecret } from '../constructs/signing-secret';

/**
 * What must outlive any redeployment: the table, and the two secrets whose values are shared
 * with the outside world (the webhook secret with the certification programme, the unsubscribe
 * key with every link in every email already sent). All three are kept if the stack is deleted.
 */
export class StatefulStack extends Stack {
  public readonly table: RemindersTable;
  /** `whsec_…` secrets that sign the webhooks, comma-separated during a rotation. */
  public readonly webhookSecret: SigningSecret;
  /** Key of the HMAC-signed unsubscribe tokens. */
  public readonly unsubscribeSecret: SigningSecret;
  /** The `whsec_…` secret of the outbound webhooks, when they are on (SPEC §8). */
  public readonly outboundWebhookSecret?: SigningSecret;

  public constructor(
    scope: Construct,
    id: string,
    props?: StackProps & { readonly outboundWebhooks?: boolean },
  ) {
    super(scope, id, props);

    this.table = new RemindersTable(this, 'RemindersTable');
    this.webhookSecret = new SigningSecret(this, 'WebhookSecret', {
      description: 'Standard Webhooks secrets (whsec_…, comma-separated) of POST /v1/events',
      manualRotationReason:
        'The webhook secret is shared with the certification programme, which signs with it: rotation is a coordinated change (docs/deploy.md) that a rotation function cannot perform.',
    });
    this.unsubscribeSecret = new SigningSecret(this, 'UnsubscribeSecret', {
      description: 'Key of the HMAC-signed unsubscribe tokens in reminder emails',
      manualRotationReason:
        'Unsubscribe links in emails already sent must keep working; the key is only rotated by an operator after a compromise, keeping the old key listed while links signed with it matter.',
    });

    if (props?.outboundWebhooks) {
      this.outboundWebhookSecret = new SigningSecret(this, 'OutboundWebhookSecret', {
        description: 'Standard Webhooks secret (whsec_…) that signs the outbound webhooks',
        manualRotationReason:
          'The outbound secret is shared with the receiver of the programme, which verifies with it: rotation is a coordinated change (docs/deploy.md) that a rotation function cannot perform.',
      });
      new CfnOutput(this, 'OutboundWebhookSecretArn', {
        value: this.outboundWebhookSecret.secretArn,
      });
    }

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'WebhookSecretArn', { value: this.webhookSecret.secretArn });
    new CfnOutput(this, 'UnsubscribeSecretArn', { value: this.unsubscribeSecret.secretArn });
  }
}
