/**
 * The CDKTF layer with the real Terraform binary, offline (only the built-in `terraform_data`): a stack of two
 * dynamic-peer SiteToSiteVpn constructs is synthesized by plain node (no cdktf-cli), `terraform init && apply`
 * pushes both peers to the local cloud's netns router through `cloudstack-s2s push`, the branch CPEs establish and
 * ping both ways; a change to one site replaces its push (the old one is removed first, the other tunnel keeps its
 * SAs and loses no ping); `terraform destroy` leaves nothing of ours on the router. The PSKs are in none of
 * cdk.tf.json, the state, Terraform's output, or any process's command line during apply.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { watchCommandLines } from "../helpers/secret-watch";
import { waitUp } from "./lab/checks";
import { CLI, DeployEnv, ensureBuilt, ROOT, type Branch } from "./lab/deploy-env";
import { waitFor } from "./lab/exec";
import { run, type RunResult } from "./lab/run";
import { describeE2e } from "./lab/suite";
import { ContinuousPing } from "./lab/traffic";

const ONE: Branch = { name: "one", wanIp: "203.0.113.21", lanCidr: "192.168.11.0/24", remoteId: "one@example.com", allowed: ["203.0.113.16/28"], pskEnv: "TF_ONE_PSK" };
const TWO: Branch = { name: "two", wanIp: "203.0.113.5", lanCidr: "192.168.12.0/24", remoteId: "two.example.com", allowed: ["203.0.113.0/28"], pskEnv: "TF_TWO_PSK" };
const ONE_CHANGED = [ONE.lanCidr, "192.168.111.0/24"];

describeE2e("CDKTF SiteToSiteVpn through the real terraform binary, offline", { timeout: 150_000 }, () => {
  let env: DeployEnv;
  let stackDir: string;
  let stateFile: string;
  const outputs: string[] = [];

  const synth = async () => {
    const r = await run(process.execPath, [join(env.dir, "main.js")], { cwd: env.dir, env: env.envWithPsks() });
    expect(r, r.stderr).toMatchObject({ code: 0 });
  };
  /** terraform with the PSKs in its environment (as a pipeline has them) and no CLI config, registry or checkpoint. */
  const terraform = async (...args: string[]): Promise<RunResult> => {
    const r = await run("/usr/local/bin/terraform", [`-chdir=${stackDir}`, ...args, "-input=false", "-no-color"], { env: env.envWithPsks({ TF_CLI_CONFIG_FILE: join(env.dir, "empty.tfrc"), CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" }) });
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const applyWatched = async (...args: string[]) => {
    let result: RunResult | undefined;
    // One PSK is watched (both take the same path; a second /proc scanner would double the CPU the watch costs).
    const watch = await watchCommandLines(env.psks.get(ONE.pskEnv)!, async () => (result = await terraform(...args)));
    expect(watch.seen, "a PSK was on a command line").toBe("");
    expect(watch.scans).toBeGreaterThan(10);
    expect(result!.code, result!.stdout + result!.stderr).toBe(0);
    return result!;
  };
  const pingBoth = async (b: Branch) => {
    const lan = env.router.topo.branch(b.name).lanHostIp;
    await waitFor(`guest → ${b.name}`, async () => (await env.router.ping("guest", lan, 1)).received === 1, { timeoutMs: 8_000 });
    expect((await env.router.ping("guest", lan, 3)).received).toBe(3);
    expect((await env.router.ping(b.name, env.router.guestHostIp, 3)).received).toBe(3);
  };
  const spis = async () => Object.fromEntries((await env.router.vr.sas()).filter((s) => s.state === "ESTABLISHED").map((s) => [s.name, `${s.spiI}/${s.children[0]?.spiIn}`]));

  beforeAll(async () => {
    ensureBuilt();
    env = await DeployEnv.create(inject("s2sRunId"), [ONE, TWO]);
    env.writeSite(ONE);
    env.writeSite(TWO);
    writeFileSync(join(env.dir, "empty.tfrc"), "");
    // The user's program: plain node, the published entry points (the package's dist and cdktf itself).
    writeFileSync(
      join(env.dir, "main.js"),
      `const { App, TerraformStack } = require(${JSON.stringify(join(ROOT, "node_modules", "cdktf"))});
const { SiteToSiteVpn } = require(${JSON.stringify(join(ROOT, "dist", "provider", "cdktf"))});
const app = new App({ outdir: ${JSON.stringify(join(env.dir, "cdktf.out"))} });
const stack = new TerraformStack(app, "vpn");
for (const name of ["one", "two"]) {
  new SiteToSiteVpn(stack, name, { site: ${JSON.stringify(env.dir)} + "/" + name + ".json", cli: ${JSON.stringify(`node ${CLI}`)},
    credentialsFile: ${JSON.stringify(env.credentialsFile)}, gatewaySshFile: ${JSON.stringify(env.gatewaySshFile)} });
}
app.synth();
`,
    );
    stackDir = join(env.dir, "cdktf.out", "stacks", "vpn");
    stateFile = join(env.dir, "terraform.vpn.tfstate");
  }, 240_000); // a stale dist/ is rebuilt first (tsc: minutes on a loaded 2-core machine)

  afterAll(async () => {
    if (env) expect(await env.close(), "the router left namespaces or its control link behind").toEqual({ namespaces: [], controlLink: false });
  });

  it("synth (plain node) + terraform init offline + apply: both peers pushed, the CPEs establish, pings both ways; no PSK anywhere", async () => {
    await synth();
    const init = await terraform("init");
    expect(init.code, init.stdout + init.stderr).toBe(0);
    expect(init.stdout).toMatch(/terraform\.io\/builtin\/terraform is built in to Terraform/);
    const apply = await applyWatched("apply", "-auto-approve");
    expect(apply.stdout).toMatch(/Apply complete! Resources: 2 added, 0 changed, 0 destroyed/);
    expect(apply.stdout).toMatch(/site one: pushed dynamic peer s2s-/);
    expect(apply.stdout).toMatch(/site two: pushed dynamic peer s2s-/);
    await env.startCpe(ONE);
    await env.startCpe(TWO);
    const sa = await waitUp(env.router.vr, (await env.connectionOf(ONE))!, 15_000);
    expect(sa.remoteId).toBe(ONE.remoteId);
    await waitUp(env.router.vr, (await env.connectionOf(TWO))!, 15_000);
    await pingBoth(ONE);
    await pingBoth(TWO);
    for (const psk of env.psks.values()) {
      expect(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).not.toContain(psk);
      expect(readFileSync(stateFile, "utf8")).not.toContain(psk);
    }
  });

  it("a change to one site replaces its push: the old push is removed first, the other tunnel keeps its SAs and every ping", async () => {
    env.writeSite(ONE, ONE_CHANGED);
    await synth();
    const before = await spis();
    const twoConn = (await env.connectionOf(TWO))!;
    const oneConn = (await env.connectionOf(ONE))!;
    // The branch's admin takes the CPE down while the VPC side changes, and starts it again afterwards.
    await env.router.cpe(ONE.name).kill();
    const pinging = new ContinuousPing(env.router.topo.branch(TWO.name).lan, env.router.guestHostIp);
    const apply = await applyWatched("apply", "-auto-approve").finally(() => pinging.stop());
    const report = await pinging.stop();
    expect(apply.stdout).toMatch(/Plan: 1 to add, 0 to change, 1 to destroy/);
    const removed = apply.stdout.indexOf("site one: removed dynamic peer");
    const pushed = apply.stdout.indexOf("site one: pushed dynamic peer");
    expect(removed, apply.stdout).toBeGreaterThan(-1);
    expect(pushed, "the new push runs after the old one was removed").toBeGreaterThan(removed);
    expect(report.transmitted).toBeGreaterThan(10);
    expect(report.lost, "pings of the untouched tunnel lost during the replacement").toEqual([]);
    expect((await spis())[twoConn]).toBe(before[twoConn]);
    // the branch comes back under the new generation (its CPE offers the subnet it has; the VR narrows to it:
    // the lab's branch has no interface in the added subnet, so the CPE could not install a policy for it)
    await env.startCpe(ONE);
    const newConn = (await env.connectionOf(ONE))!;
    expect(newConn).not.toBe(oneConn);
    await waitUp(env.router.vr, newConn, 20_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n--- branch CPE ---\n${await env.router.cpe(ONE.name).statusText()}\n${env.router.cpe(ONE.name).logSince().slice(-3000)}`);
    });
    await pingBoth(ONE);
  });

  it("terraform destroy removes every pushed file, rule and connection from the router; the output never shows a PSK", async () => {
    const destroy = await terraform("destroy", "-auto-approve");
    expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);
    expect(destroy.stdout).toMatch(/Destroy complete! Resources: 2 destroyed/);
    expect(await env.leftovers()).toEqual({ files: [], rules: [], connections: [] });
    for (const psk of env.psks.values()) {
      expect(outputs.join("\n")).not.toContain(psk);
      expect(readFileSync(stateFile, "utf8")).not.toContain(psk);
    }
  });
});
