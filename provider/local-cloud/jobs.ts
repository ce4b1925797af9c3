/**
 * Async jobs: a row that stays jobstatus 0 for `jobDurationMs`, then runs the command's `execute()` and stores the
 * rendered `jobresult` the way `ApiAsyncJobDispatcher` does (contract §1.4).
 */
import * as texts from "./error-texts";
import { asCloudStackError } from "./errors";
import type { FaultInjector } from "./faults";
import type { SerialQueue } from "./serial-queue";
import type { Job } from "./state";
import type { World } from "./world";

export type JobOutcome =
  | { kind: "object"; objectName: string; object: Record<string, unknown> }
  | { kind: "success" }
  /** `updateVpnGateway` never sets a response object: the job succeeds with no jobresult. */
  | { kind: "none" };

export interface JobSpec {
  command: string;
  cmdClass: string;
  accountId: number;
  userId: number;
  instanceType?: string;
  instanceId?: string;
  execute: () => Promise<JobOutcome>;
}

export class JobRunner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly world: World,
    private readonly faults: FaultInjector,
    private readonly queue: SerialQueue,
  ) {}

  submit(spec: JobSpec): Job {
    const job: Job = {
      ...this.world.identity("jobs"),
      accountId: spec.accountId,
      userId: spec.userId,
      command: spec.command,
      cmdClass: spec.cmdClass,
      status: 0,
      resultCode: 0,
      ...(spec.instanceType !== undefined ? { instanceType: spec.instanceType } : {}),
      ...(spec.instanceId !== undefined ? { instanceId: spec.instanceId } : {}),
    };
    this.world.state.jobs.push(job);
    this.world.persist();
    const injectFailure = this.faults.onJob();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      void this.queue.run(() => this.complete(job, spec, injectFailure));
    }, this.faults.jobDurationMs);
    this.timers.add(timer);
    return job;
  }

  private async complete(job: Job, spec: JobSpec, injectFailure: boolean): Promise<void> {
    if (injectFailure) {
      this.finish(job, 2, 530, { errorcode: 530, errortext: texts.injectedJobFailure() });
      return;
    }
    try {
      const outcome = await spec.execute();
      if (outcome.kind === "object") this.finish(job, 1, 0, { [outcome.objectName]: outcome.object });
      else if (outcome.kind === "success") this.finish(job, 1, 0, { success: true });
      else this.finish(job, 1, 0, undefined);
    } catch (error) {
      const failure = asCloudStackError(error);
      this.finish(job, 2, failure.jobErrorCode, { errorcode: failure.jobErrorCode, errortext: failure.message });
    }
  }

  private finish(job: Job, status: 1 | 2, resultCode: number, result: unknown): void {
    job.status = status;
    job.resultCode = resultCode;
    if (result !== undefined) job.result = result;
    job.completed = this.world.now();
    this.world.persist();
  }

  /** Stops jobs that have not started; their rows stay jobstatus 0 and are failed on the next start. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** After a restart, jobs that never finished fail, as CloudStack fails jobs of a management server that went away. */
export function failInterruptedJobs(world: World): void {
  for (const job of world.state.jobs) {
    if (job.status !== 0) continue;
    job.status = 2;
    job.resultCode = 530;
    job.result = { errorcode: 530, errortext: "Job was cancelled because the local cloud was restarted before it finished" };
    job.completed = world.now();
  }
}
