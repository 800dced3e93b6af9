/** Environment variable names the end-to-end stack sets on its fixture submitters. */
export const FixtureEnv = {
  /** The jobs queue the callback submitter hands jobs to (the test plays the external system). */
  jobsQueueUrl: 'SPARSE_E2E_JOBS_QUEUE_URL',
  /** The RollingPoller ingress the polled submitter sends watch commands to. */
  watchQueueUrl: 'SPARSE_E2E_WATCH_QUEUE_URL',
} as const;
