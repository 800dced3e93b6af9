// Fixture: writes each record to TABLE and reports the records whose write failed (partial
// batch response), so throttled ones go back to the queue and, after maxReceiveCount, to its DLQ.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

// One attempt: the test is about the table's throttling, not the SDK's backoff.
const ddb = new DynamoDBClient({ maxAttempts: 1 });

export const handler = async (event) => {
  const results = await Promise.allSettled(event.Records.map((record) => {
    const item = JSON.parse(record.body);
    return ddb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { pk: { S: item.id } } }));
  }));
  const failed = results.map((r, i) => (r.status === 'rejected' ? event.Records[i].messageId : undefined)).filter(Boolean);
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
};
