/**
 * The blur shard's starter: each batch of listed originals becomes one FanOutFanIn run — the
 * unit the join gates. The run is named by a hash of its keys, so a redelivered batch starts
 * nothing new (ExecutionAlreadyExists is success).
 */
import { createHash } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { workQueue } from '../work-queue/factory';

const sfn = new SFNClient({});
const stateMachineArn = process.env.PP_DEMO_BLUR_MACHINE_ARN ?? '';

/** The Lambda handler. */
export const handler = workQueue<{ key: string }, undefined>({
  processBatch: async (envelopes) => {
    const keys = [...new Set(envelopes.map((e) => e.item.key))].sort();
    const name = `blur-${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 40)}`;
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ items: keys.map((key) => ({ key })) }) }));
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists')) throw error;
    }
    return envelopes.map(({ messageId }) => ({ messageId, result: undefined }));
  },
});
