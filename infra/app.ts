/**
 * cdk.json's app (`node --import tsx infra/app.ts`): the demo stack with cdk-nag's AWS
 * Solutions checks. `npx cdk synth` fails on any unacknowledged finding.
 */
import { createDemoApp } from './stacks/demo-stack';

createDemoApp().app.synth();
