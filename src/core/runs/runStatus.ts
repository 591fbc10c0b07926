import type { RunStatus } from '../training/events';
import { writeJsonAtomic } from '../files/atomicWrite';
import { runFile } from './runFiles';
import { readJsonRunFile, statusShape } from './runFileReads';
import { processAlive } from '../process/processAlive';

/** status.json: what a run is doing now, rewritten atomically at each change. */
export interface RunStatusFile {
  readonly status: RunStatus;
  readonly pid: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly message?: string;
}

export function writeRunStatus(runDir: string, status: Omit<RunStatusFile, 'updatedAt' | 'pid'>): void {
  writeJsonAtomic(runFile(runDir, 'status'), { ...status, pid: process.pid, updatedAt: new Date().toISOString() });
}

/**
 * Reads a run's status. A run that says "running" but whose process is gone was killed or crashed:
 * it is reported as interrupted, so no view shows a dead run as still training.
 */
export function readRunStatus(runDir: string): RunStatusFile | undefined {
  return withLiveness(readJsonRunFile<RunStatusFile>(runFile(runDir, 'status'), statusShape).value);
}

/** A status as read, except that a "running" run whose trainer is gone is "interrupted". */
export function withLiveness(status: RunStatusFile | undefined): RunStatusFile | undefined {
  if (status?.status === 'running' && !processAlive(status.pid)) return { ...status, status: 'interrupted' };
  return status;
}
