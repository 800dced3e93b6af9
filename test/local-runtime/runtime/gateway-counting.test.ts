import { describe, expect, it } from 'vitest';
import { RequestCounter } from '../../../local-runtime/runtime/accounting/request-counter';
import { FaultInjector } from '../../../local-runtime/runtime/faults/fault-injector';
import { PrincipalDirectory } from '../../../local-runtime/runtime/gateway/principals';
import { Gateway } from '../../../local-runtime/runtime/gateway/server';

const SIGNED = 'AWS4-HMAC-SHA256 Credential=driver/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x';

function gateway(body: string, contentType: string): { gateway: Gateway; counter: RequestCounter } {
  const counter = new RequestCounter();
  const g = new Gateway({ principals: new PrincipalDirectory(), counter, faults: new FaultInjector(), arns: { region: 'us-east-1', accountId: '000000000000' } });
  g.setBackend('sqs', async () => ({ status: 200, headers: { 'content-type': contentType }, body }));
  return { gateway: g, counter };
}

describe('Gateway request counting', () => {
  it('passes a query-protocol (XML) ReceiveMessage answer through and counts it as served', async () => {
    const xml = '<ReceiveMessageResponse><ReceiveMessageResult><Message><MessageId>m1</MessageId></Message></ReceiveMessageResult></ReceiveMessageResponse>';
    const { gateway: g, counter } = gateway(xml, 'text/xml');
    const headers = { authorization: SIGNED, 'content-type': 'application/x-www-form-urlencoded' };
    const response = await g.serve('POST', '/', headers, 'Action=ReceiveMessage&QueueUrl=q');
    expect(response).toMatchObject({ status: 200, body: xml });
    expect(counter.rowsSnapshot()).toStrictEqual([{ principal: 'driver', service: 'sqs', operation: 'ReceiveMessage', requests: 1, emptyReceives: 0, denied: 0, throttled: 0 }]);
  });

  it('counts an empty query-protocol ReceiveMessage answer as an empty receive', async () => {
    const { gateway: g, counter } = gateway('<ReceiveMessageResponse><ReceiveMessageResult/></ReceiveMessageResponse>', 'text/xml');
    await g.serve('POST', '/', { authorization: SIGNED, 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ReceiveMessage&QueueUrl=q');
    expect(counter.rowsSnapshot()[0]).toMatchObject({ requests: 1, emptyReceives: 1 });
  });

  it('counts an empty JSON ReceiveMessage answer as an empty receive', async () => {
    const { gateway: g, counter } = gateway('{}', 'application/x-amz-json-1.0');
    await g.serve('POST', '/', { authorization: SIGNED, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ReceiveMessage' }, '{"QueueUrl":"q"}');
    expect(counter.rowsSnapshot()[0]).toMatchObject({ requests: 1, emptyReceives: 1 });
  });

  it('shows each served request, its input and caller, to an observer until it is removed', async () => {
    const { gateway: g } = gateway('{}', 'application/x-amz-json-1.0');
    const seen: string[] = [];
    const stop = g.observe((request, principal) => seen.push(`${principal} ${request.service}:${request.operation} ${String(request.input.QueueUrl)}`));
    const headers = { authorization: SIGNED, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ReceiveMessage' };
    await g.serve('POST', '/', headers, '{"QueueUrl":"first"}');
    stop();
    await g.serve('POST', '/', headers, '{"QueueUrl":"second"}');
    expect(seen).toStrictEqual(['driver sqs:ReceiveMessage first']);
  });
});
