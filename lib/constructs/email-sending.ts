import {
  Aws,
  CfnOutput,
  aws_iam as iam,
  Stack,
  aws_ses as ses,
  type aws_sns as sns,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { NotificationTopic } from './notification-topic';
import type { ReminderFunction } from './reminder-function';

export interface EmailSendingProps {
  /**
   * Domain to create and verify as an SES identity, signing with Easy DKIM (2048-bit keys).
   * @default - no identity: the `From` address must be verified in SES some other way
   */
  readonly domain?: string;
}

/**
 * What the sender needs from SES: a configuration set that requires TLS, tracks reputation and
 * publishes bounces and complaints to an encrypted SNS topic, and, when a domain is given, the
 * domain identity with DKIM (its three DNS records are stack outputs).
 *
 * @example
 * const email = new EmailSending(this, 'Email', { domain: 'example.com' });
 * email.allowSending(sender);
 */
export class EmailSending extends Construct {
  public readonly configurationSet: ses.ConfigurationSet;
  /** Receives the SES `Bounce` and `Complaint` events of the configuration set. */
  public readonly bounceAndComplaintTopic: sns.Topic;
  /** The domain identity, when a domain was given. */
  public readonly identity?: ses.EmailIdentity;
  private readonly sendEmailResources: string[];

  public constructor(scope: Construct, id: string, props: EmailSendingProps = {}) {
    super(scope, id);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    this.bounceAndComplaintTopic = new NotificationTopic(this, 'BounceAndComplaintTopic', {
      displayName: 'cert-reminders SES bounces and complaints',
      publisher: new iam.ServicePrincipal('ses.amazonaws.com'),
      publisherSourceArn: configurationSetArn,
    }).topic;
    this.configurationSet.addEventDestination('BounceAndComplaintDestination', {
      destination: ses.EventDestination.snsTopic(this.bounceAndComplaintTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });

    if (props.domain === undefined) {
      this.sendEmailResources = [configurationSetArn, EVERY_IDENTITY_ARN];
      return;
    }

    const identity = new ses.EmailIdentity(this, 'DomainIdentity', {
      identity: ses.Identity.domain(props.domain),
      configurationSet: this.configurationSet,
      dkimSigning: true,
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
    });
    identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        description: `DKIM CNAME record ${index + 1} of ${props.domain}: publish it in DNS`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });
    this.identity = identity;
    this.sendEmailResources = [configurationSetArn, identity.emailIdentityArn];
  }

  /**
   * Lets `sender` call SES v2 `SendEmail` (IAM action `ses:SendEmail`) with the configuration set
   * and the domain identity, or, without a domain, any identity of the account and region: the
   * `From` identity is then verified outside this stack and its name is not known here.
   */
  public allowSending(sender: ReminderFunction): void {
    sender.allow(['ses:SendEmail'], this.sendEmailResources);
    if (this.identity === undefined) {
      Validations.of(sender.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${EVERY_IDENTITY_FINDING}]`,
        reason:
          'No domain was given to deploy, so the From identity is verified in SES outside this app and its ARN is unknown here; ses:SendEmail is limited to identities of this account and region, and to the configuration set.',
      });
    }
  }
}

/** Every SES identity of the stack's account and region, the same whatever the stack's environment. */
const EVERY_IDENTITY_ARN = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/*`;
/** {@link EVERY_IDENTITY_ARN} as cdk-nag names it in a finding. */
const EVERY_IDENTITY_FINDING = 'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*';
