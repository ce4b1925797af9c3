/**
 * The lab itself: isolated from the root namespace, one charon per namespace with private sockets, a data plane
 * that is detected and reported, and a sweeper that removes dead runs' leftovers but never a live run's.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, inject, it } from "vitest";
import { LAB_ROOT, listNamespaces, sweepDeadLabs } from "./lab/cleanup";
import { run } from "./lab/exec";
import { describeE2e, useLab } from "./lab/suite";

describeE2e("lab harness", () => {
  const lab = useLab({ branches: [{ name: "h1", wanIp: "203.0.113.21", lanCidr: "192.168.11.0/24" }, { name: "h2", wanIp: "203.0.113.52", lanCidr: "192.168.12.0/24", nat: true }] });

  it("links no namespace to the root namespace", async () => {
    const root = (await run(["ip", "-o", "link", "show"])).stdout;
    expect(root).not.toContain(lab().prefix);
    for (const ns of lab().topo.namespaces) {
      const links = (await run(["ip", "-n", ns, "-o", "link", "show"])).stdout;
      // Every veth's peer is in another lab namespace (ip shows `link-netns <name>` for it).
      for (const m of links.matchAll(/link-netns (\S+)/g)) expect(m[1]!.startsWith(`${lab().prefix}-`), `${ns}: ${m[0]}`).toBe(true);
      for (const line of links.split("\n").filter((l) => /@if\d+:/.test(l))) expect(line, ns).toContain("link-netns");
    }
  });

  it("runs each charon in its own namespace with its own sockets, and reports the data plane", async () => {
    const vr = await lab().startVr("stroke");
    const cpe = await lab().startCpe("h1", undefined, "swanctl");
    for (const inst of [vr, cpe]) {
      const pid = inst.pid()!;
      expect((await run(["ip", "netns", "identify", String(pid)])).stdout.trim()).toBe(inst.ns);
    }
    expect(vr.pid()).not.toBe(cpe.pid());
    // The stroke socket answers for the VR only: a CPE status must not show the VR's daemon.
    expect((await vr.exec(["ipsec", "statusall"])).stdout).toContain(lab().topo.publicIp);
    expect((await cpe.exec(["swanctl", "--stats"])).stdout).toMatch(/uptime/);
    expect(["kernel", "libipsec"]).toContain(lab().dataplane);
    expect(lab().dataplaneReason.length).toBeGreaterThan(0);
    if (lab().dataplane === "libipsec") expect((await run(["ip", "-n", vr.ns, "link", "show", "ipsec0"])).code).toBe(0);
  });

  it("sweeps a dead run's namespace but never a live run's", async () => {
    // GIVEN a leftover whose owner process is dead, and one whose owner (this process) is alive
    const run4 = inject("s2sRunId");
    const dead = `s2s${run4}zd`;
    const live = `s2s${run4}zl`;
    const deadPid = spawnSync("true").pid!;
    for (const [name, owner] of [[dead, deadPid], [live, process.pid]] as const) {
      mkdirSync(join(LAB_ROOT, name), { recursive: true });
      writeFileSync(join(LAB_ROOT, name, "owner.pid"), `${owner}\n`);
      await run(["ip", "netns", "add", `${name}-vr`]);
    }
    try {
      // WHEN the sweeper runs
      const swept = sweepDeadLabs();
      // THEN only the dead one is gone
      expect(swept).toContain(dead);
      expect(swept).not.toContain(live);
      expect(listNamespaces()).not.toContain(`${dead}-vr`);
      expect(listNamespaces()).toContain(`${live}-vr`);
    } finally {
      await run(["ip", "netns", "del", `${live}-vr`], { allowFail: true });
      await run(["ip", "netns", "del", `${dead}-vr`], { allowFail: true });
      await run(["rm", "-rf", join(LAB_ROOT, live), join(LAB_ROOT, dead)]);
    }
  });
});
