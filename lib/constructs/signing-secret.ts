import { RemovalPolicy, aws_secretsmanager as secretsmanager, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export interface SigningSecretProps {
  readonly description: string;
  /** Why the secret is rotated by an operator rather than by a rotation function. */
  readonly manualRotationReason: string;
}

/**
 * A Secrets Manager secret holding HMAC keys, created with a random 64-character value and kept
 * when its stack is deleted. Its value is read by the functions through the secret's ARN
 * (`…_SECRET_ARN`) and cached for a few minutes.
 *
 * @example
 * const unsubscribeSecret = new SigningSecret(this, 'UnsubscribeSecret', {
 *   description: 'Key of the unsubscribe tokens',
 *   manualRotationReason: 'Rotating would invalidate the links in emails already sent.',
 * });
 */
export class SigningSecret extends secretsmanager.Secret {
  public constructor(scope: Construct, id: string, props: SigningSecretProps) {
    super(scope, id, {
      description: props.description,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: props.manualRotationReason,
    });
  }
}
