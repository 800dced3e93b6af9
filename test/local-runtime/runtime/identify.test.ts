import { describe, expect, it } from 'vitest';
import { identifyRequest } from '../../../local-runtime/runtime/gateway/identify';

const auth = (key: string, service: string) => `AWS4-HMAC-SHA256 Credential=${key}/20250101/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

describe('identifyRequest', () => {
  it('reads caller, region, service and operation of a JSON-protocol request', () => {
    const r = identifyRequest('POST', '/', { authorization: auth('fn-Worker', 'sqs'), 'x-amz-target': 'AmazonSQS.SendMessageBatch', 'content-type': 'application/x-amz-json-1.0' }, '{"QueueUrl":"u"}');
    expect(r).toStrictEqual({ service: 'sqs', operation: 'SendMessageBatch', accessKeyId: 'fn-Worker', region: 'eu-west-1', protocol: 'json', jsonVersion: '1.0', input: { QueueUrl: 'u' } });
  });

  it('tells JSON 1.1 (EventBridge) from 1.0', () => {
    const r = identifyRequest('POST', '/', { authorization: auth('k', 'events'), 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' }, '{}');
    expect([r.service, r.operation, r.jsonVersion]).toStrictEqual(['events', 'PutEvents', '1.1']);
  });

  it('reads the Action of a query-protocol request', () => {
    const r = identifyRequest('POST', '/', { authorization: auth('k', 'sns'), 'content-type': 'application/x-www-form-urlencoded' }, 'Action=Publish&TopicArn=arn%3At');
    expect([r.service, r.operation, r.protocol, r.input.TopicArn]).toStrictEqual(['sns', 'Publish', 'query', 'arn:t']);
  });

  it('maps REST-JSON Scheduler routes to operations', () => {
    const headers = { authorization: auth('k', 'scheduler'), 'content-type': 'application/json' };
    expect(identifyRequest('POST', '/schedules/nightly', headers, '{}').operation).toBe('CreateSchedule');
    expect(identifyRequest('DELETE', '/schedules/nightly?groupName=g', headers, '').operation).toBe('DeleteSchedule');
    expect(identifyRequest('GET', '/schedules', headers, '').operation).toBe('ListSchedules');
  });

  it('maps the Lambda Invoke route', () => {
    const r = identifyRequest('POST', '/2015-03-31/functions/Worker/invocations', { authorization: auth('k', 'lambda') }, '{}');
    expect([r.service, r.operation, r.protocol]).toStrictEqual(['lambda', 'Invoke', 'rest-json']);
  });

  it('treats an unsigned request as an anonymous caller', () => {
    expect(identifyRequest('POST', '/', { 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{}')).toMatchObject({ accessKeyId: '', service: 'dynamodb', operation: 'GetItem' });
  });
});
