/**
 * vitest glue for the lab: `describeE2e` (fails loudly when the machine is not provisioned, skips only with
 * S2S_E2E=skip) and `useLab` (one lab per describe block, torn down in afterAll with a leak check).
 */
import { afterAll, beforeAll, describe, expect, inject } from "vitest";
import { Lab } from "./lab";
import { assertPrerequisites, e2eSkipped } from "./preflight";
import type { TopologySpec } from "./topology";

/**
 * A suite that needs real daemons (charon, sshd, iptables in namespaces): it fails with the provisioning command
 * when the machine cannot run it, and is skipped only with S2S_E2E=skip.
 */
export function describeE2e(name: string, body: () => void): void;
export function describeE2e(name: string, options: { timeout?: number }, body: () => void): void;
export function describeE2e(name: string, a: { timeout?: number } | (() => void), b?: () => void): void {
  const options = typeof a === "function" ? {} : a;
  const body = typeof a === "function" ? a : b!;
  if (e2eSkipped()) {
    console.warn(`!! S2S_E2E=skip: SKIPPING e2e "${name}" — not checked against real strongSwan/sshd`);
    describe.skip(name, options, body);
    return;
  }
  describe(name, options, () => {
    beforeAll(() => assertPrerequisites());
    body();
  });
}

/** A lab for the enclosing describe block; the returned getter throws if the lab failed to build. */
export function useLab(topology: TopologySpec): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await Lab.create({ topology, runId: inject("s2sRunId") });
    console.log(`[e2e] lab ${lab.prefix}: data plane ${lab.dataplane} — ${lab.dataplaneReason}`);
  });
  afterAll(async () => {
    if (!lab) return;
    const left = await lab.destroy();
    expect(left, "the lab left namespaces or charons behind").toEqual({ namespaces: [], daemons: [] });
  });
  return () => {
    if (!lab) throw new Error("lab not built (see the beforeAll failure)");
    return lab;
  };
}
