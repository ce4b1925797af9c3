import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Site2SiteVpnDataBag } from "../../provider/model/databag";
import { renderVr } from "../../provider/render/vr";
import { parseIpsecConf } from "../helpers/strongswan-parse";

const fixtures = join(__dirname, "..", "fixtures", "databags");
const contractBag = JSON.parse(readFileSync(join(fixtures, "contract-4.3.json"), "utf8")) as Site2SiteVpnDataBag;
const contractExpected = JSON.parse(readFileSync(join(fixtures, "contract-4.3.expected.json"), "utf8")) as {
  files: { path: string; mode: string; content: string }[];
  firewall: { table: string; position: string; rule: string }[];
  commands: string[];
};

const simple: Site2SiteVpnDataBag = {
  ...contractBag,
  peer_guest_cidr_list: "10.3.0.0/16",
  split_connections: false,
  dpd: false,
  encap: undefined,
  ike_version: "ike",
  ike_lifetime: 28800,
  esp_lifetime: 3600,
};

describe("renderVr, static peer (CloudStack main-line VR)", () => {
  it("reproduces the hand-written contract §4.3 output byte for byte (files, modes, tuples, commands)", () => {
    const r = renderVr(contractBag);
    expect(r.files.map((f) => ({ path: f.path, mode: `0${f.mode.toString(8)}`, content: f.content }))).toEqual(contractExpected.files);
    expect(r.firewall).toEqual(contractExpected.firewall);
    expect(r.commands).toEqual(contractExpected.commands);
  });

  it("matches the golden files for a single-subnet peer without DPD", async () => {
    const r = renderVr(simple);
    await expect(r.files[0]!.content).toMatchFileSnapshot("./__golden__/static-simple.vpn.conf");
    await expect(r.files[1]!.content).toMatchFileSnapshot("./__golden__/static-simple.vpn.secrets");
  });

  it("writes lifetimes as whole minutes truncated like Python's int(), and forceencaps=no when encap is missing", () => {
    const settings = parseIpsecConf(renderVr({ ...simple, ike_lifetime: 90, esp_lifetime: 0 }).files[0]!.content)[0]!.settings;
    expect(settings.get("ikelifetime")).toBe("1m");
    expect(settings.get("lifetime")).toBe("0m");
    expect(settings.get("forceencaps")).toBe("no");
  });

  it.each([
    ["ike", "ike"], ["ikev1", "ikev1"], ["ikev2", "ikev2"], ["IKEv2", "IKEv2"], ["v2", "ike"], [undefined, "ike"],
  ])("writes keyexchange for ike_version %s as %s (as given when valid, else ike)", (version, expected) => {
    const conf = renderVr({ ...simple, ike_version: version }).files[0]!.content;
    expect(conf).toContain(` keyexchange=${expected}\n`);
  });

  it("keeps every peer CIDR in one rightsubnet without split connections", () => {
    const conns = parseIpsecConf(renderVr({ ...contractBag, split_connections: false }).files[0]!.content);
    expect(conns).toHaveLength(1);
    expect(conns[0]!.settings.get("rightsubnet")).toBe("192.168.10.0/24,192.168.20.0/24");
  });

  it("names the files and connection after the peer, keyed secrets by both addresses, mode 0400", () => {
    const r = renderVr(simple);
    expect(r.connections).toEqual(["vpn-203.0.113.20"]);
    expect(r.files[1]).toMatchObject({ path: "/etc/ipsec.d/ipsec.vpn-203.0.113.20.secrets", mode: 0o400 });
    expect(r.files[1]!.content).toBe('198.51.100.10 203.0.113.20 : PSK "contract-example-psk"\n');
  });

  it("marks its commands best effort, as CloudStack's VR ignores their exit status (the warm-up ping fails while the peer is down)", () => {
    expect(renderVr(simple).bestEffort).toBe(true);
    expect(renderVr({ ...simple, create: false }).bestEffort).toBe(true);
  });

  it("uses the given public interface in every rule", () => {
    const r = renderVr(simple, { publicInterface: "eth2" });
    expect(r.firewall.filter((f) => f.rule.includes(" eth2 "))).toHaveLength(4);
    expect(r.firewall.some((f) => f.rule.includes("eth1"))).toBe(false);
  });

  it("skips `ipsec rereadsecrets` when neither file changed since the previous bag, as CloudStack does", () => {
    expect(renderVr(simple, { previous: simple }).commands[0]).toBe("ipsec reload");
    expect(renderVr({ ...simple, ipsec_psk: "another-key" }, { previous: simple }).commands[0]).toBe("ipsec rereadsecrets");
  });

  it("removes a connection like deletevpn: down twice, delete both files, reload", () => {
    const r = renderVr({ ...simple, create: false });
    expect(r.files).toEqual([]);
    expect(r.firewall).toEqual([]);
    expect(r.commands).toEqual([
      "ipsec down vpn-203.0.113.20",
      "ipsec down vpn-203.0.113.20",
      "rm -f /etc/ipsec.d/ipsec.vpn-203.0.113.20.conf /etc/ipsec.d/ipsec.vpn-203.0.113.20.secrets",
      "ipsec reload",
    ]);
  });

  it("fails when a bag value could break the file, naming the key and never the PSK", () => {
    expect(() => renderVr({ ...simple, peer_gateway_ip: "203.0.113.20\n conn evil" })).toThrow(/`peer_gateway_ip`/);
    const hostile = 'Zq7marker"\n: PSK "other';
    expect(() => renderVr({ ...simple, ipsec_psk: hostile })).toThrow(/`ipsec_psk`.*double quote/);
    expect(() => renderVr({ ...simple, ipsec_psk: hostile })).toThrow(expect.objectContaining({ message: expect.not.stringContaining("Zq7marker") }));
  });
});
