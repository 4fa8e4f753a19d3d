import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { type RuntimeConfig, readRuntimeConfig } from '../config/runtime-config';

/**
 * What the Lambda entry points share on AWS: the logger, the configuration read once per
 * container, and the DynamoDB client created once. Secrets (`lambda-secrets.ts`) and metrics
 * (`lambda-metrics.ts`) live apart, so a function that needs neither does not bundle them. Each
 * handler's `build<Name>Deps(config, sources)` is the composition root that Lambda and the local
 * stack both call.
 */

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cert-reminders',
});

/** A DynamoDB document client that drops `undefined` attributes. */
export const documentClientFor = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

let config: RuntimeConfig | undefined;
/**
 * This container's configuration, read from the environment once (a bad value throws one line).
 * `process.env.POLICY_DOCUMENT` is written out as this very expression on purpose: `cdk synth`
 * replaces it with the validated policy file (esbuild `define`), so the policy is part of the
 * code, not of the 4 KB environment; in a function built without one it reads as undefined.
 */
export const runtimeConfig = (): RuntimeConfig => {
  config ??= readRuntimeConfig({ ...process.env, POLICY_DOCUMENT: process.env.POLICY_DOCUMENT });
  return config;
};

let dynamodb: DynamoDBClient | undefined;
/** The container's DynamoDB client (region and credentials from the Lambda environment). */
export const dynamoClient = (): DynamoDBClient => {
  dynamodb ??= new DynamoDBClient({});
  return dynamodb;
};

/** Builds a handler on first use, so importing a module never needs its configuration. */
export const lazily = <Event, Result>(build: () => Promise<(event: Event) => Promise<Result>>) => {
  let built: Promise<(event: Event) => Promise<Result>> | undefined;
  return async (event: Event): Promise<Result> => {
    built ??= build().catch((error) => {
      built = undefined;
      throw error;
    });
    return (await built)(event);
  };
};

/**
 * A Lambda entry point: middy with the Powertools logger's context, around the function built by
 * `build` from this container's configuration on the first event.
 *
 * @example
 * export const handler = lambdaEntry((config) => makeIngest(buildIngestDeps(config, sources)));
 */
export const lambdaEntry = <Event, Result>(
  build: (config: RuntimeConfig) => (event: Event) => Promise<Result>,
) => middy(lazily(async () => build(runtimeConfig()))).use(injectLambdaContext(logger));
