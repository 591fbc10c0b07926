import type { ApplyEvent } from '../core/apply/applyRun';
import { writeFileAtomic } from '../core/files/atomicWrite';
import type { ApplyProgress } from '../app/apply/applyProgress';
import type { ApplyRequest } from '../protocol/trainerMessages';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Keeps an apply's progress record (src/app/apply/applyProgress.ts) up to date: at once when the apply starts,
 * each written file and the ending; tiles at most once per interval (an atomic rewrite costs a file sync).
 * Without a file named in the request it records nothing.
 */
export class ApplyProgressWriter {
  private readonly record: Mutable<ApplyProgress>;
  private lastWrite = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly request: ApplyRequest,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {
    const { runDir, inputs, out } = request;
    this.record = {
      pid: process.pid,
      state: 'running',
      runDir,
      inputs,
      out,
      startedAt: new Date().toISOString(),
      outputs: [],
    };
    this.write();
  }

  event(event: ApplyEvent): void {
    if (event.type === 'started') {
      this.record.files = event.files;
      this.record.model = event.model;
    } else if (event.type === 'tile') {
      this.record.file = event.file;
      this.record.tile = { done: event.done, total: event.total };
      if (event.done !== event.total && this.now() - this.lastWrite < this.intervalMs) return;
    } else {
      this.record.outputs = [...this.record.outputs, event.output];
    }
    this.write();
  }

  ended(state: 'done' | 'failed', failure?: { message: string; failure: 'badInput' | 'runFailed' }): void {
    this.record.state = state;
    if (failure) Object.assign(this.record, failure);
    this.write();
  }

  private write(): void {
    if (!this.request.progressFile) return;
    this.lastWrite = this.now();
    try {
      writeFileAtomic(this.request.progressFile, JSON.stringify(this.record));
    } catch {
      // The record is for a window that reattaches; a failed write must not end the apply.
    }
  }
}
