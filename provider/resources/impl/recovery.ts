/**
 * Half-failed creates. CloudStack stores the row of a `create*` before its job runs, so a failed job (or a
 * transient error in a follow-up call) can leave an object the stack does not know; the next `up` would then trip
 * over "already exists" for ever. The rule here: an object is taken over only when it is provably the one this
 * resource's create made — the id CloudStack answered to this very call (`CloudStackAsyncJobError.entityId`), or a
 * customer gateway whose name AND pre-shared key (a secret only this stack holds) AND every other setting equal
 * what this resource sends — otherwise it is cleaned up, or the error says what exists.
 */
import { CloudStackAsyncJobError } from "../../cloudstack";

/** The id of the object a failed async create left, when CloudStack told us. */
export function leftoverId(error: unknown): string | undefined {
  return error instanceof CloudStackAsyncJobError && error.entityId ? error.entityId : undefined;
}

/**
 * Runs a clean-up or follow-up step a few times: it runs right after a failure, against the same flaky API, and
 * giving up early is what leaves orphans. The last error is thrown.
 */
export async function persistently<T>(step: () => Promise<T>, attempts = 4, pauseMs = 200): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await step();
    } catch (error) {
      last = error;
      if (i < attempts - 1) await new Promise((resolve) => setTimeout(resolve, pauseMs * (i + 1)));
    }
  }
  throw last;
}
