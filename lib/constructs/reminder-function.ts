import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  Duration,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  RemovalPolicy,
  type aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';

/** The handler files under `functions/handlers/`, each exporting `handler`. */
export type HandlerName =
  | 'ingest'
  | 'planner'
  | 'sender'
  | 'ses-events'
  | 'unsubscribe'
  | 'outbound';

/** Settings every function of the product shares. */
export interface ReminderFunctionDefaults {
  /** `POWERTOOLS_SERVICE_NAME`: the `service` of every log line and metric. */
  readonly serviceName: string;
  /** `POWERTOOLS_METRICS_NAMESPACE`: the CloudWatch namespace of the product's metrics. */
  readonly metricsNamespace: string;
  /** `POWERTOOLS_LOG_LEVEL`. */
  readonly logLevel: string;
  /** How long the function's log group keeps its events. */
  readonly logRetention: logs.RetentionDays;
}

export interface ReminderFunctionProps {
  /** Which handler file to bundle. */
  readonly handler: HandlerName;
  readonly description: string;
  readonly defaults: ReminderFunctionDefaults;
  /** Variables the handler reads, besides the Powertools ones set from `defaults`. */
  readonly environment: Record<string, string>;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** Queue receiving the events of asynchronous invocations that failed every retry. */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * The validated credential policy file (SPEC §9), for the functions that compute reminders:
   * written into the bundle as the value of `process.env.POLICY_DOCUMENT` (esbuild `define`), so
   * the deployed policy is the one in git, whatever its size (the environment holds only 4 KB).
   */
  readonly policyDocument?: string;
}

const repositoryFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/**
 * A product Lambda function: one handler from `functions/handlers/` bundled by esbuild as a
 * minified ES module with source maps, on Node.js 24 / ARM64, with Powertools configured from the
 * environment and its own log group.
 *
 * The function gets a role of its own whose only statement, at first, writes to that log group
 * (no `AWSLambdaBasicExecutionRole` managed policy, whose log permissions span every group);
 * callers add exactly the actions the handler uses with {@link ReminderFunction.allow} (and, on
 * the table, with `TableAccess`).
 *
 * All modules are bundled, the AWS SDK included: the deployed code runs the SDK versions pinned
 * in `package-lock.json` and tested with it, not whichever the runtime happens to ship.
 *
 * @example
 * const planner = new ReminderFunction(this, 'Planner', {
 *   handler: 'planner',
 *   description: 'Queues the reminders due',
 *   defaults,
 *   environment: { TABLE_NAME: tableName },
 * });
 * planner.allow(['sqs:SendMessage'], [queue.queueArn]);
 */
export class ReminderFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  public constructor(scope: Construct, id: string, props: ReminderFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.defaults.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.handler} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: repositoryFile(`functions/handlers/${props.handler}.ts`),
      handler: 'handler',
      projectRoot: repositoryFile(''),
      depsLockFilePath: repositoryFile('package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.defaults.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.defaults.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: props.defaults.logLevel,
        // Which policy the bundle holds, readable in the console and the template (not read by code).
        ...(props.policyDocument === undefined
          ? {}
          : { POLICY_SHA256: createHash('sha256').update(props.policyDocument).digest('hex') }),
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        format: OutputFormat.ESM,
        // UTF-8 output keeps the email catalogues' accented and Japanese text at its own size.
        charset: Charset.UTF8,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner:
          "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        externalModules: [],
        ...(props.policyDocument === undefined
          ? {}
          : { define: { 'process.env.POLICY_DOCUMENT': JSON.stringify(props.policyDocument) } }),
      },
    });
  }

  /**
   * Lets the function perform `actions` on `resources`, under `conditions` when given, and
   * nothing more.
   *
   * @example
   * sender.allow(['secretsmanager:GetSecretValue'], [unsubscribeSecret.secretArn]);
   */
  public allow(actions: string[], resources: string[], conditions?: iam.Conditions): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
  }
}
