/** Every run status a message may carry; coreWireChecks.ts fails to compile when the core's RunStatus differs. */
export const RUN_STATUSES = [
  'running',
  'completed',
  'stopped',
  'earlyStopped',
  'diverged',
  'failed',
  'interrupted',
] as const;

export type WireRunStatus = (typeof RUN_STATUSES)[number];
