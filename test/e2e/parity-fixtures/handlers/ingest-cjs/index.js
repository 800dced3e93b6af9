// Fixture: the CommonJS form of the ingest handler (require, not import).
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const { marshall } = require('@aws-sdk/util-dynamodb');

const ddb = new DynamoDBClient({});

exports.handler = async (event) => {
  for (const record of event.Records) {
    const item = JSON.parse(record.body);
    await ddb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: marshall({ pk: item.id, ...item }) }));
  }
};
