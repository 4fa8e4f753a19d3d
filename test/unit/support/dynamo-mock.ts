import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * A DynamoDB document client for the adapters' unit tests: every request it sends is answered by
 * the `aws-sdk-client-mock` stub returned with it, so nothing leaves the process.
 */

export const TABLE = 'cert-reminders-test';

export const mockedDocumentClient = () => {
  const documentClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
  );
  return { documentClient, dynamo: mockClient(documentClient) };
};

/** What DynamoDB answers a write whose condition is false. */
export const conditionFailed = () =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
  });

/** A failure that is not a failed condition. */
export const throttled = () =>
  new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded.',
    $metadata: { httpStatusCode: 400 },
  });
