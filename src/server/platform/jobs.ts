/**
 * Periodic background work (deadline sweeps, webhook sending). Each job keeps its state in the
 * database and claims rows with `FOR UPDATE SKIP LOCKED` or a claim column, so a restart loses
 * nothing and several instances may run the same job without firing anything twice. The scheduler
 * only decides when to look again: a run never overlaps the previous run of the same job.
 */
export interface Job {
  name: string;
  intervalMs: number;
  /** Does what is due at `now`; returns how many items it handled (for logs and tests). */
  run(now: Date): Promise<number>;
}

export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<number>>();
  private stopped = true;

  constructor(private readonly onError: (error: unknown, job: string) => void = () => {}) {}

  register(job: Job): void {
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} registered twice`);
    this.jobs.set(job.name, job);
  }

  start(): void {
    this.stopped = false;
    for (const job of this.jobs.values()) {
      const timer = setInterval(() => void this.runNow(job.name).catch(() => undefined), job.intervalMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.allSettled([...this.running.values()]);
  }

  /** Runs one job now (or joins its run in progress); tests pass `now` to move the clock. */
  runNow(name: string, now: Date = new Date()): Promise<number> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named ${name}`);
    const current = this.running.get(name);
    if (current) return current;
    const run = job
      .run(now)
      .catch((error: unknown) => {
        this.onError(error, name);
        throw error;
      })
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }

  get started(): boolean {
    return !this.stopped;
  }
}
