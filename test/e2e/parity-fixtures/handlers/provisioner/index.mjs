// Fixture: creates a queue, a table and a rule at run time (as apps that provision per tenant
// do), then uses each of them like a template resource. As on AWS, the rule reaches the queue
// only through a queue policy admitting it; `withoutPolicy` leaves that policy out.
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});
const ddb = new DynamoDBClient({});
const events = new EventBridgeClient({});

export const handler = async ({ tenant, withoutPolicy = false }) => {
  const name = `tenant-${tenant}`;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '30' } }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ hello: tenant }) }));
  await ddb.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  }));
  await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: tenant } } }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const { RuleArn } = await events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ['parity.tenants'], detail: { tenant: [tenant] } }) }));
  if (!withoutPolicy) {
    const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: Attributes.QueueArn, Condition: { ArnEquals: { 'aws:SourceArn': RuleArn } } }] });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } }));
  }
  await events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'queue', Arn: Attributes.QueueArn }] }));
  await events.send(new PutEventsCommand({ Entries: [{ Source: 'parity.tenants', DetailType: 'TenantReady', Detail: JSON.stringify({ tenant }) }] }));
  return { queueUrl: QueueUrl, tableName: name };
};
