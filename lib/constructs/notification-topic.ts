import { aws_iam as iam, aws_kms as kms, RemovalPolicy, Stack, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface NotificationTopicProps {
  readonly displayName: string;
  /** The AWS service that publishes to the topic, e.g. `cloudwatch.amazonaws.com`. */
  readonly publisher: iam.ServicePrincipal;
  /**
   * ARN, or `ArnLike` pattern, of the resources on whose behalf the publisher publishes (the
   * alarms of the account, a configuration set): the key's `aws:SourceArn` condition.
   */
  readonly publisherSourceArn: string;
}

/**
 * An SNS topic encrypted with a key of its own (rotated yearly) that only accepts requests over
 * TLS. The key policy lets the publishing service encrypt messages for the topic; as the key
 * serves this one topic, that permission reaches nothing else. The service may use the key only
 * on behalf of this account (`aws:SourceAccount`) and of `publisherSourceArn` (`aws:SourceArn`),
 * so no other account's resources can have it encrypt with the key (the confused deputy).
 *
 * The topic policy is left to the caller (SES adds its own `sns:Publish` statement when the topic
 * becomes an event destination).
 *
 * @example
 * const alarms = new NotificationTopic(this, 'AlarmTopic', {
 *   displayName: 'cert-reminders alarms',
 *   publisher: new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
 *   publisherSourceArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*',
 * });
 */
export class NotificationTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the messages of the topic "${props.displayName}"`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowPublisherToEncryptMessages',
        principals: [props.publisher],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': props.publisherSourceArn },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: this.key,
      enforceSSL: true,
    });
  }
}
