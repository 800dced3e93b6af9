import { describe, expect, it } from 'vitest';
import { loadDeployedStack, StackOutputsError } from '../../localstack/stack-outputs';

const files: Record<string, string> = {
  'one.json': JSON.stringify({ PpDemo: { IngressQueueUrl: 'http://127.0.0.1:4566/000000000000/ingress' } }),
  'two.json': JSON.stringify({ A: { K: 'a' }, B: { K: 'b' } }),
  'bad.json': '{oops',
};
const read = (path: string) => {
  if (!(path in files)) throw new Error(`ENOENT: ${path}`);
  return files[path];
};

describe('loadDeployedStack', () => {
  it('is undefined when PP_STACK_OUTPUTS is not set (embedded runtime)', () => {
    expect(loadDeployedStack({}, read)).toBeUndefined();
  });

  it('reads the only stack of the outputs file and the endpoint', () => {
    expect(loadDeployedStack({ PP_STACK_OUTPUTS: 'one.json', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, read)).toStrictEqual({
      stackName: 'PpDemo',
      outputs: { IngressQueueUrl: 'http://127.0.0.1:4566/000000000000/ingress' },
      endpoint: 'http://127.0.0.1:4566',
    });
  });

  it('picks a stack by PP_STACK_NAME and leaves the endpoint unset for real AWS', () => {
    expect(loadDeployedStack({ PP_STACK_OUTPUTS: 'two.json', PP_STACK_NAME: 'B' }, read)).toStrictEqual({ stackName: 'B', outputs: { K: 'b' }, endpoint: undefined });
  });

  it('fails naming the stacks when the choice is ambiguous or unknown', () => {
    expect(() => loadDeployedStack({ PP_STACK_OUTPUTS: 'two.json' }, read)).toThrow(/holds 2 stacks \(stacks: A, B\); set PP_STACK_NAME/);
    expect(() => loadDeployedStack({ PP_STACK_OUTPUTS: 'two.json', PP_STACK_NAME: 'C' }, read)).toThrow(/has no stack "C"/);
  });

  it('fails with a StackOutputsError for an unreadable or malformed file', () => {
    expect(() => loadDeployedStack({ PP_STACK_OUTPUTS: 'missing.json' }, read)).toThrow(StackOutputsError);
    expect(() => loadDeployedStack({ PP_STACK_OUTPUTS: 'bad.json' }, read)).toThrow(/bad.json is not a readable outputs JSON file/);
  });
});
