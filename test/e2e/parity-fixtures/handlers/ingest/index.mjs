// Fixture (SQS → Lambda → DynamoDB, as published samples write it): marshalls each record
// with @aws-sdk/util-dynamodb, a package Lambda's runtime provides but apps rarely install.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

const ddb = new DynamoDBClient({});

export const handler = async (event) => {
  for (const record of event.Records) {
    const item = JSON.parse(record.body);
    await ddb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: marshall({ pk: item.id, ...item }) }));
  }
};
