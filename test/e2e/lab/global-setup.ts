/**
 * e2e run set-up and final check. Gives the run its id (namespaces are `s2s<id><lab>-<role>`), sweeps leftovers
 * of dead runs, and at the very end asserts that no namespace and no charon/starter of this run is left.
 */
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { destroyNamespaces, listNamespaces, strayDaemons, sweepDeadLabs } from "./cleanup";
import { e2eSkipped } from "./preflight";

declare module "vitest" {
  export interface ProvidedContext {
    s2sRunId: string;
  }
}

const SKIP_BANNER = [
  "",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "!! S2S_E2E=skip: the e2e suite did NOT run. The renderers were NOT checked against  !!",
  "!! real strongSwan daemons. Run `sudo scripts/provision.sh` and `npm test` as root. !!",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "",
].join("\n");

export default function setup(project: TestProject): () => void {
  const runId = randomBytes(2).toString("hex");
  project.provide("s2sRunId", runId);
  const prefix = `s2s${runId}`;
  if (e2eSkipped()) {
    console.warn(SKIP_BANNER);
    return () => console.warn(SKIP_BANNER);
  }
  const root = process.getuid?.() === 0;
  if (root) {
    const swept = sweepDeadLabs();
    if (swept.length > 0) console.log(`[e2e] swept leftovers of dead runs: ${swept.join(", ")}`);
  }
  return () => {
    if (!root) return;
    const namespaces = listNamespaces().filter((n) => n.startsWith(prefix));
    const daemons = strayDaemons(prefix);
    if (namespaces.length > 0 || daemons.length > 0) {
      destroyNamespaces(namespaces);
      for (const pid of daemons) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
      throw new Error(`e2e run ${prefix} left namespaces [${namespaces.join(", ")}] and daemons [${daemons.join(", ")}] behind (now removed)`);
    }
    console.log(`[e2e] run ${prefix}: no namespace and no charon of this run left`);
  };
}
