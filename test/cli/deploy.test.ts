/**
 * push / unpush / reconcile input handling (no cloud needed): usage errors, invalid sites and unreadable or
 * world-readable secret files are refused before anything is contacted, with the right exit code (reconcile
 * never answers 2 for bad input: 2 means "repaired" to cron and CI).
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "./capture";

const dir = mkdtempSync(join(tmpdir(), "s2s-deploy-cli-"));
const site = join(dir, "site.yaml");
writeFileSync(site, "name: branch\nvpnGateway: { vpcId: v-1, vpcCidr: 10.1.0.0/16 }\ncustomerGateway:\n  peer: { type: static, gateway: 203.0.113.9 }\n  cidrList: [172.16.0.0/20]\n  ipsecPsk: { env: DC_PSK }\n");
const creds = join(dir, "creds.json");
writeFileSync(creds, JSON.stringify({ url: "http://127.0.0.1:1/client/api", apiKey: "k", secretKey: "s3cr3t-api-key" }), { mode: 0o644 });
chmodSync(creds, 0o644);

describe("push / unpush / reconcile: input errors", () => {
  it("usage: push and unpush take exactly one site file (exit 2); reconcile needs one or more (exit 1, never 2)", async () => {
    expect(await run(["push"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/push needs exactly one site file/) });
    expect(await run(["unpush", site, site])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unpush needs exactly one site file/) });
    expect(await run(["unpush", site, "--psk-file", "x"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown option --psk-file/) });
    expect(await run(["reconcile"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/reconcile needs one or more site files/) });
  });

  it("an unset PSK variable is exit 2 naming it; a world-readable credentials or PSK file is refused without showing its content", async () => {
    expect(await run(["push", site, "--credentials-file", creds])).toMatchObject({ code: 2, stderr: expect.stringMatching(/names DC_PSK, which is not set/) });
    const r = await run(["push", site, "--credentials-file", creds], { DC_PSK: "a-strong-key-0123456789abcdef" });
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/--credentials-file ".*creds\.json" is readable by others \(mode 644\); run chmod 600 on it/) });
    expect(r.stderr).not.toContain("s3cr3t-api-key");
    const psk = join(dir, "psk.txt");
    writeFileSync(psk, "a-strong-key-0123456789abcdef\n", { mode: 0o640 });
    chmodSync(psk, 0o640);
    expect(await run(["push", site, "--psk-file", psk])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--psk-file ".*psk\.txt" is readable by others/) });
  });

  it("without credentials the push names all three variables (exit 2); reconcile of an invalid site file fails with 1 and the field path", async () => {
    const none = await run(["push", site], { DC_PSK: "a-strong-key-0123456789abcdef" });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/CLOUDSTACK_API_URL[\s\S]*CLOUDSTACK_API_KEY[\s\S]*CLOUDSTACK_SECRET_KEY/);
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "name: Bad\nvpnGateway: { vpcCidr: 10.1.0.0/16 }\ncustomerGateway:\n  peer: { type: static, gateway: 203.0.113.9 }\n  cidrList: [172.16.0.0/20]\n  ipsecPsk: { env: DC_PSK }\n");
    const r = await run(["reconcile", bad], { DC_PSK: "a-strong-key-0123456789abcdef", CLOUDSTACK_API_URL: "http://127.0.0.1:1/client/api", CLOUDSTACK_API_KEY: "k", CLOUDSTACK_SECRET_KEY: "s" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml: error: `name` "Bad"/);
    expect(r.stdout).toMatch(/reconcile: 0 in sync, 0 repaired, 1 failed/);
  });
});
