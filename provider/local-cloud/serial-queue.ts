/**
 * Runs async work one piece at a time. CloudStack serialises jobs on a sync object (the VPC); one queue for the
 * whole local cloud is stricter and keeps job effects, status checks and router calls from interleaving.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
