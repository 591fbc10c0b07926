import type { RunStatus } from '../core/training/events';

/** Every run status, spelled out as a record so a status added to the core fails to compile here. */
const STATUSES: Record<RunStatus, true> = {
  running: true,
  completed: true,
  stopped: true,
  earlyStopped: true,
  diverged: true,
  failed: true,
  interrupted: true,
};

export const RUN_STATUSES = Object.keys(STATUSES) as RunStatus[];
