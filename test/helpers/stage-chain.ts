/**
 * Fixtures of the stage-chain and routing construct tests: a stage handler entry that exists
 * in the repository (not bundled in construct tests), and finders over synthesized templates.
 */
import { fileURLToPath } from 'node:url';
import type { Template } from 'aws-cdk-lib/assertions';

/** The end-to-end pipeline's stage handler, used as the `entry` of construct-test stages. */
export const STAGE_ENTRY = fileURLToPath(new URL('../e2e/stage-chain-fixtures/stage.ts', import.meta.url));

/** The `Environment.Variables` of the function whose logical ID matches `idPattern`. */
export function functionEnv(template: Template, idPattern: RegExp): Record<string, unknown> {
  const functions = template.findResources('AWS::Lambda::Function');
  const id = Object.keys(functions).find((key) => idPattern.test(key));
  if (id === undefined) throw new Error(`no function matching ${idPattern}; functions: ${Object.keys(functions).join(', ')}`);
  return ((functions[id] as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables ?? {});
}

/** The logical ID of the only resource of `type` whose ID matches `idPattern`. */
export function logicalId(template: Template, type: string, idPattern: RegExp): string {
  const ids = Object.keys(template.findResources(type)).filter((key) => idPattern.test(key));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${idPattern}, found ${ids.length}: ${ids.join(', ')}`);
  return ids[0] as string;
}

/** Every IAM policy statement of the template, flattened. */
export function policyStatements(template: Template): Array<{ Action: unknown; Resource: unknown; Effect: string }> {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown; Effect: string }> } } }).Properties.PolicyDocument.Statement,
  );
}
