/**
 * Runs jobs with at most `limit` at a time; the others wait in order. The limit can change while jobs
 * run (a settings change): raising it starts waiting jobs, lowering it lets running ones finish.
 */
export class RunQueue<J> {
  private readonly waiting: J[] = [];
  private readonly active = new Set<J>();

  constructor(
    private limit: number,
    /** Runs a job to its end; must not reject (a job reports its own failures). */
    private readonly run: (job: J) => Promise<void>,
  ) {}

  /** Starts the job now if a slot is free, else queues it. */
  add(job: J): 'started' | 'queued' {
    this.waiting.push(job);
    this.pump();
    return this.active.has(job) ? 'started' : 'queued';
  }

  /** Takes a waiting job out of the queue; false when it is not waiting (running or unknown). */
  remove(job: J): boolean {
    const index = this.waiting.indexOf(job);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.pump();
  }

  /** 1 for the next job to start, 0 when the job is not waiting. */
  position(job: J): number {
    return this.waiting.indexOf(job) + 1;
  }

  get running(): readonly J[] {
    return [...this.active];
  }

  get queued(): readonly J[] {
    return [...this.waiting];
  }

  private pump(): void {
    while (this.active.size < Math.max(1, this.limit) && this.waiting.length > 0) {
      const job = this.waiting.shift() as J;
      this.active.add(job);
      void this.run(job).finally(() => {
        this.active.delete(job);
        this.pump();
      });
    }
  }
}
