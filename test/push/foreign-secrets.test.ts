/**
 * The push refuses to leave a branch identity that another secret on the gateway could unlock (issue 10): a line
 * with no selector or a wildcard one (older CloudStack remote-access VPN), or one keyed by the branch's own ID.
 * CloudStack's current address-keyed lines are fine: the dynamic connection's own identity is not an address.
 */
import { describe, expect, it } from "vitest";
import { siteToDataBag } from "../../provider/model/site";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { foreignSecretConflicts, parseForeignSecrets, selectorsCommand, splitSelectors } from "../../provider/push/foreign-secrets";
import { pushPeer, PushError } from "../../provider/push";
import { dynamicSite } from "../helpers/sites";
import { FakeGatewayHost } from "./helpers/fake-gateway-host";

const PSK = "unit-test-psk-a-0123456789-abcdefghij";
const gw = { publicInterface: "eth1", publicIp: "198.51.100.10" };
const bag = (remoteId: string) => siteToDataBag(dynamicSite({ peer: { type: "dynamic", remoteId, allowedSourceCidrs: ["203.0.113.0/24"] } }, "peer-a"), { create: true, psk: PSK });
const IDS = ["a@example.com", "203.0.113.7", "2001:db8::7", "vpn-198-51-100-10.s2s.invalid"];

describe("foreign secrets on the gateway", () => {
  it("splits selectors as stroke does (quoted DNs stay whole)", () => {
    expect(splitSelectors(`198.51.100.10 "C=FR, CN=x"  %any`)).toEqual(["198.51.100.10", "C=FR, CN=x", "%any"]);
    expect(parseForeignSecrets("/etc/ipsec.d/ipsec.any.secrets\t\n/etc/ipsec.d/ipsec.vpn-1.secrets\t198.51.100.10 203.0.113.20\n")).toEqual([
      { file: "/etc/ipsec.d/ipsec.any.secrets", selectors: [] },
      { file: "/etc/ipsec.d/ipsec.vpn-1.secrets", selectors: ["198.51.100.10", "203.0.113.20"] },
    ]);
  });

  it("accepts CloudStack's current lines: static peers and remote access keyed by addresses", () => {
    const lines = [
      { file: "/etc/ipsec.d/ipsec.vpn-203.0.113.20.secrets", selectors: ["198.51.100.10", "203.0.113.20"] },
      { file: "/etc/ipsec.d/ipsec.any.secrets", selectors: ["198.51.100.10"] },
    ];
    expect(foreignSecretConflicts(lines, IDS)).toEqual([]);
  });

  it.each([
    [[], /no selector: strongSwan tries it for every identity/],
    [["198.51.100.10", "%any"], /keyed by "%any", a wildcard/],
    [["0.0.0.0"], /wildcard/],
    [["*@example.com"], /wildcard/],
    [["198.51.100.10", "203.0.113.7"], /keyed by "203\.0\.113\.7", which is also the identity "203\.0\.113\.7" of a pushed connection/],
    [["2001:0db8::0:7"], /identity "2001:db8::7"/],
    [["A@Example.com"], /identity "a@example\.com"/],
    [["@vpn-198-51-100-10.s2s.invalid"], /vpn-198-51-100-10\.s2s\.invalid/],
  ])("fails when a foreign secret is keyed by %j", (selectors, reason) => {
    const problems = foreignSecretConflicts([{ file: "/etc/ipsec.d/x.secrets", selectors }], IDS);
    expect(problems.join("\n")).toMatch(reason);
    expect(problems[0]).toMatch(/^\/etc\/ipsec\.d\/x\.secrets holds/);
  });

  it("refuses the push before changing anything, naming the file and the step", async () => {
    const host = new FakeGatewayHost();
    host.foreignSelectors = "/etc/ipsec.d/ipsec.any.secrets\t198.51.100.10 %any\n";
    const before = host.observe();
    const err = await pushPeer(host, { ...gw, bag: bag("a@example.com") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushError);
    expect((err as PushError).step).toBe("check-secrets");
    expect((err as Error).message).toMatch(/ipsec\.any\.secrets holds a secret keyed by "%any".*nothing was changed/);
    expect((err as Error).message).not.toContain(PSK);
    expect(host.observe()).toEqual(before);
  });

  it("pushes when the gateway's other secrets cannot match", async () => {
    const host = new FakeGatewayHost();
    host.foreignSelectors = "/etc/ipsec.d/ipsec.any.secrets\t198.51.100.10\n";
    await expect(pushPeer(host, { ...gw, bag: bag("a@example.com") })).resolves.toMatchObject({ changed: true });
  });
});

describe("the selector reader run by the router's own awk (no key ever printed)", () => {
  const KEYS = ["k1-never-printed", "k2 : PSK never-printed", "k3-never-printed", "k4-never-printed", "k5-never-printed"];
  it("prints each line's selectors up to strongSwan's first separator, whatever the key holds, and skips comments, includes and continuation lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "s2s-secrets-"));
    try {
      writeFileSync(join(dir, "a.secrets"), [
        "# a comment : PSK not-a-key",
        "include /etc/ipsec.d/*.secrets",
        `198.51.100.10 203.0.113.20 : PSK "${KEYS[0]}"`,
        `@branch.example.com : PSK "${KEYS[1]}"`,
        `"C=CH, O=x, CN=y"\t:\tPSK "${KEYS[2]}"`,
        `: PSK "${KEYS[3]}"`,
        "@wrapped.example.com : PSK",
        `    "${KEYS[4]}"`,
        "",
      ].join("\n"), { mode: 0o600 });
      const r = spawnSync("sh", ["-c", selectorsCommand([join(dir, "*.secrets")])], { encoding: "utf8" });
      for (const k of KEYS) expect(r.stdout).not.toContain(k.split(" ")[0]);
      expect(parseForeignSecrets(r.stdout).map((s) => s.selectors)).toEqual([["198.51.100.10", "203.0.113.20"], ["@branch.example.com"], ["C=CH, O=x, CN=y"], [], ["@wrapped.example.com"]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
