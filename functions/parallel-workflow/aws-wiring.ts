/** The step-record store of the ParallelWorkflow's functions, from the environment the construct sets. */
import { ParallelWorkflowEnv } from '../contract';
import { dynamoStepRecordStore } from '../lib/aws/step-record-store';
import { EnvReader } from '../lib/env-reader';
import type { StepRecordStore } from '../lib/parallel-workflow/types';

/** Reads the table settings once; throws a ConfigError naming every bad variable. */
export function storeFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): StepRecordStore {
  const reader = new EnvReader(env);
  const tableName = reader.text(ParallelWorkflowEnv.recordTableName);
  const ttlSeconds = reader.integer(ParallelWorkflowEnv.recordTtlSeconds, 60, 31_536_000);
  reader.check();
  return dynamoStepRecordStore({ tableName, ttlSeconds });
}
