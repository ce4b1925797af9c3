/** `cloudstack-s2s doctor --log …` in-process: text and JSON output, exit codes, --site fields, no key in output. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diagnose } from "../../provider";
import { FIXTURE_KEY, FIXTURES as DOCTOR, fixtureLog, fixtureSite } from "../doctor/helpers";
import { run } from "./capture";

const log = (name: string): string => join(DOCTOR, name);
const site = (name: string): string => join(DOCTOR, "sites", `${name}.yaml`);
const temps: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "s2s-doctor-"));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("doctor --log", () => {
  it("healthy router log: established, exit 0", async () => {
    const r = await run(["doctor", "--log", log("healthy.vr.charonlog")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[vr\] s2s-branch-a-example-com-\S+ \(peer 203\.0\.113\.25\): established — /);
    expect(r.stderr).toBe("");
  });

  it("JSON: {findings:[{cause, side, connection, evidence, fix}]}, exit 3 on a problem", async () => {
    const r = await run(["doctor", "--log", log("ike-proposal.vr.charonlog"), "--output", "json"]);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as { findings: Record<string, unknown>[] };
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ cause: "ike-proposal-mismatch", side: "vr", connection: "from 203.0.113.25", field: "customerGateway.ikePolicy" });
    expect(out.findings[0]!.evidence).toEqual(expect.arrayContaining([expect.stringContaining("received proposals: IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048")]));
    expect(typeof out.findings[0]!.fix).toBe("string");
  });

  it("text: cause, quoted evidence, side-by-side lists, fix", async () => {
    const r = await run(["doctor", "--log", log("pfs.vr.charonlog")]);
    expect(r.stdout).toContain("esp-proposal-mismatch");
    expect(r.stdout).toContain("    > ");
    expect(r.stdout).toContain("first differing transform: dh-group — branch none, router MODP_2048");
    expect(r.stdout).toContain("fix: Make the branch's ESP proposal");
  });

  it("--side overrides detection; --site names the field (branch log, key from the environment kept out)", async () => {
    const r = await run(["doctor", "--log", log("id-type.peer.charonlog"), "--side", "peer", "--site", site("site-ip")], { SITE_IP_PSK: "environment-key-0123456789abcdef" });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("id-mismatch");
    expect(r.stdout).toContain("customerGateway.peer.remoteIdType");
    expect(r.stdout).not.toContain("environment-key-0123456789abcdef");
  });

  it("a key inside the log never reaches the output, not even in JSON", async () => {
    const dir = tempDir();
    const file = join(dir, "charon.log");
    writeFileSync(file, fixtureLog("id-wrong.vr.charonlog").replace(/other@example\.com/g, FIXTURE_KEY));
    for (const output of ["text", "json"]) {
      const r = await run(["doctor", "--log", file, "--site", site("site-a"), "--output", output]);
      expect(r.code).toBe(3);
      expect(r.stdout + r.stderr).not.toContain(FIXTURE_KEY);
    }
  });

  it.each([
    [["doctor"], /doctor needs --log FILE/],
    [["doctor", "--log", "x", "--side", "cpe"], /--side "cpe" must be vr or peer/],
    [["doctor", "--log", "x", "--output", "yaml"], /--output "yaml" must be text or json/],
    [["doctor", "--log", "/nonexistent/charon.log"], /--log \/nonexistent\/charon.log cannot be read \(ENOENT\)/],
  ])("usage error %j → exit 2", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("attempts without an outcome are counted, not reported as problems", async () => {
    // The router's log cut right after IKE_SA_INIT: an attempt, no outcome yet.
    const file = join(tempDir(), "cut.log");
    const lines = fixtureLog("healthy.vr.charonlog").split("\n");
    writeFileSync(file, lines.slice(0, lines.findIndex((l) => l.includes("generating IKE_SA_INIT response")) + 1).join("\n"));
    const r = await run(["doctor", "--log", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+ connection attempt\(s\) in this log, none with a recognisable outcome yet/);
  });

  it("a file without charon lines says so", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x.log"), "nothing here\n");
    const r = await run(["doctor", "--log", join(dir, "x.log")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("holds no charon line");
  });
});

describe("diagnose() for programs", () => {
  it("offline, with a parsed site or a site document", async () => {
    const a = await diagnose({ log: fixtureLog("source-not-allowed.peer.charonlog"), site: fixtureSite("site-a") });
    expect(a.findings.map((f) => f.cause)).toEqual(["source-not-allowed"]);
    const b = await diagnose({ log: fixtureLog("psk-wrong.vr.charonlog") });
    expect(b.findings.map((f) => f.cause)).toEqual(["psk-mismatch"]);
  });

  it("live needs a site and the router's access", async () => {
    await expect(diagnose({})).rejects.toThrow(/needs `log` \(offline\), or `site` with `gatewaySsh` \(live\)/);
  });
});

describe("status", () => {
  it("needs gateway access from a file or the environment, never argv", async () => {
    const r = await run(["status", "--site", site("site-a")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gateway SSH access is needed: --gateway-ssh FILE, or S2S_GATEWAY_SSH_FILE \/ S2S_GATEWAY_SSH/);
  });

  it("refuses an unknown output", async () => {
    const r = await run(["status", "--output", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--output "xml" must be text or json');
  });
});
