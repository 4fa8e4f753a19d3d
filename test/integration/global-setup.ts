import type { TestProject } from 'vitest/node';
import { startDynamoEmulator, startSesEmulator } from '../../bin/local/emulators';

/**
 * Starts the real emulators once for every integration test: DynamoDB (dynalite, in memory) and
 * SES (aws-ses-v2-local), on free ports. Each test file makes its own table; emails are told
 * apart by their unique recipients.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dynamodb = await startDynamoEmulator({ port: 0 });
  const ses = await startSesEmulator({ port: 0 });
  project.provide('dynamodbEndpoint', dynamodb.url);
  project.provide('sesEndpoint', ses.url);
  return async () => {
    await dynamodb.stop();
    await ses.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sesEndpoint: string;
  }
}
