import { describe, expect, it } from "vitest";
import { siteToDataBag } from "../../provider/model/site";
import { dynamicConnectionName } from "../../provider/render/names";
import { dynamicVrConnectionName, waitUnloadedCommand } from "../../provider/render/vr-dynamic";
import { renderVr } from "../../provider/render/vr";
import { parseIpsecConf, parseSecretsLine } from "../helpers/strongswan-parse";
import { dynamicSite, TEST_PSK } from "../helpers/sites";

const bagOf = (site = dynamicSite(), create = true) => siteToDataBag(site, { create, psk: TEST_PSK });
const BASE = dynamicConnectionName("branch@example.com");
const NAME = dynamicVrConnectionName(bagOf());

describe("renderVr, dynamic peer (responder by IKE ID)", () => {
  it("matches the golden files for an e-mail ID with two subnets split", async () => {
    const r = renderVr(bagOf(dynamicSite({ cidrList: ["192.168.10.0/24", "192.168.11.0/24"], splitConnections: true })));
    await expect(r.files[0]!.content).toMatchFileSnapshot("./__golden__/dynamic-email-split.conf");
    await expect(r.files[1]!.content).toMatchFileSnapshot("./__golden__/dynamic-email-split.secrets");
    await expect(JSON.stringify({ firewall: r.firewall, commands: r.commands }, null, 2)).toMatchFileSnapshot("./__golden__/dynamic-email-split.apply.json");
  });

  it("writes a strict IKEv2 responder: right=%any, rightid, auto=add, strict proposals, mobike=no, dpdaction=clear", () => {
    const s = parseIpsecConf(renderVr(bagOf()).files[0]!.content)[0]!.settings;
    expect(s.get("right")).toBe("%any");
    expect(s.get("rightid")).toBe("branch@example.com");
    expect(s.get("keyexchange")).toBe("ikev2");
    expect(s.get("auto")).toBe("add");
    expect(s.get("ike")).toBe("aes256-sha256-modp2048!");
    expect(s.get("esp")).toBe("aes256-sha256-modp2048!");
    expect(s.get("mobike")).toBe("no");
    expect(s.get("dpdaction")).toBe("clear");
  });

  it.each([
    ["branch@example.com", undefined, "branch@example.com"],
    ["@branch.example.com", undefined, "@branch.example.com"],
    ["branch.example.com", "fqdn", "@branch.example.com"],
    ["C=FR, O=Example, CN=branch", undefined, '"C=FR, O=Example, CN=branch"'],
    ["192.168.40.1", "ipv4", "192.168.40.1"],
    ["2001:db8::1", undefined, "2001:db8::1"],
  ] as const)("renders ID %s (%s) as %s in rightid and as the only secrets selector", (id, type, token) => {
    const site = dynamicSite({ peer: { type: "dynamic", remoteId: id, ...(type ? { remoteIdType: type } : {}), allowedSourceCidrs: ["203.0.113.0/24"] } });
    const r = renderVr(bagOf(site));
    expect(parseIpsecConf(r.files[0]!.content)[0]!.settings.get("rightid")).toBe(token);
    expect(parseSecretsLine(r.files[1]!.content)).toEqual({ selectors: [token], type: "PSK", secret: TEST_PSK });
  });

  it("keys the secret by the peer ID alone: no VR address in the selectors (cross-peer PSK defence)", () => {
    const secrets = renderVr(bagOf()).files[1]!.content;
    expect(secrets).not.toContain("198.51.100.10");
  });

  it("names files outside CloudStack's ipsec.vpn-* glob, secrets 0600", () => {
    const r = renderVr(bagOf());
    expect(r.files.map((f) => f.path)).toEqual([`/etc/ipsec.d/${BASE}.conf`, `/etc/ipsec.d/${BASE}.secrets`]);
    expect(r.files.every((f) => !/\/ipsec\.vpn-/.test(f.path))).toBe(true);
    expect(r.files[1]!.mode).toBe(0o600);
  });

  it("opens UDP 500, 4500 and ESP only to each allowed source CIDR, never to the null host", () => {
    const site = dynamicSite({ peer: { type: "dynamic", remoteId: "branch@example.com", allowAnySource: true } });
    const rules = renderVr(bagOf(site)).firewall.filter((f) => f.table === "filter").map((f) => f.rule);
    expect(rules).toEqual([
      "-A INPUT -i eth1 -p udp -m udp --dport 500 -s 0.0.0.0/0 -d 198.51.100.10 -j ACCEPT",
      "-A INPUT -i eth1 -p udp -m udp --dport 4500 -s 0.0.0.0/0 -d 198.51.100.10 -j ACCEPT",
      "-A INPUT -i eth1 -p esp -s 0.0.0.0/0 -d 198.51.100.10 -j ACCEPT",
    ]);
    expect(rules.join("\n")).not.toMatch(/-s 0\.0\.0\.0 /);
  });

  it("adds a new peer with reread + update only (no restart, no terminate), commands that must all succeed", () => {
    expect(renderVr(bagOf()).commands).toEqual(["ipsec rereadsecrets", "ipsec update"]);
    expect(renderVr(bagOf()).bestEffort).toBe(false);
  });

  it("does nothing when the peer's bag did not change", () => {
    expect(renderVr(bagOf(), { previous: bagOf() }).commands).toEqual([]);
  });

  it("renames a connection whose settings change, waits until the old one is unloaded, then ends only its SA", () => {
    const before = bagOf();
    const after = bagOf(dynamicSite({ cidrList: ["192.168.12.0/24"] }));
    const r = renderVr(after, { previous: before });
    const newName = r.connections[0]!;
    expect(newName).not.toBe(NAME);
    expect(newName.startsWith(`${BASE}-g`)).toBe(true);
    expect(r.commands).toEqual(["ipsec rereadsecrets", "ipsec update", waitUnloadedCommand([NAME]), `ipsec down ${NAME}`]);
  });

  it("keeps the name when only the key changes: rereads the secrets and ends the SA so it re-authenticates", () => {
    const before = bagOf();
    const after = siteToDataBag(dynamicSite(), { create: true, psk: `${TEST_PSK}-rotated` });
    const r = renderVr(after, { previous: before });
    expect(r.connections[0]).toBe(NAME);
    expect(r.commands).toEqual(["ipsec rereadsecrets", `ipsec down ${NAME}`]);
  });

  it("never derives the connection name from the key", () => {
    const other = siteToDataBag(dynamicSite(), { create: true, psk: "a-completely-different-key-0123456789" });
    expect(dynamicVrConnectionName(other)).toBe(NAME);
  });

  it("waits for the unload with a bounded loop on `ipsec statusall`, matching connection lines only", () => {
    expect(waitUnloadedCommand(["s2s-a-g1", "s2s-a-g1-2"])).toBe(
      `timeout 10 sh -c 'while ipsec statusall | grep -q "^ *s2s-a-g1:\\|^ *s2s-a-g1-2:"; do sleep 0.1; done'`,
    );
  });

  it("flushes conntrack for sources dropped from the allow-list and leaves the tunnel alone", () => {
    const before = bagOf(dynamicSite({ peer: { type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: ["203.0.113.0/24", "192.0.2.0/25"] } }));
    const after = bagOf();
    expect(renderVr(after, { previous: before }).commands).toEqual([
      "conntrack -D -p udp --dport 500 -s 192.0.2.0 --mask-src 255.255.255.128 || true",
      "conntrack -D -p udp --dport 4500 -s 192.0.2.0 --mask-src 255.255.255.128 || true",
    ]);
  });

  it("removes a peer: unload first, then terminate (a branch that reconnects finds no config), then flush", () => {
    const r = renderVr(bagOf(dynamicSite(), false));
    expect(r.files).toEqual([]);
    expect(r.commands).toEqual([
      `rm -f /etc/ipsec.d/${BASE}.conf /etc/ipsec.d/${BASE}.secrets`,
      "ipsec rereadsecrets",
      "ipsec update",
      waitUnloadedCommand([NAME]),
      `ipsec down ${NAME}`,
      "conntrack -D -p udp --dport 500 -s 203.0.113.0 --mask-src 255.255.255.0 || true",
      "conntrack -D -p udp --dport 4500 -s 203.0.113.0 --mask-src 255.255.255.0 || true",
    ]);
  });

  it("treats a changed peer ID as a removal of the old connection plus a new one", () => {
    const before = bagOf();
    const after = bagOf(dynamicSite({ peer: { type: "dynamic", remoteId: "other@example.com", allowedSourceCidrs: ["203.0.113.0/24"] } }));
    const r = renderVr(after, { previous: before });
    expect(r.commands.slice(0, 5)).toEqual([
      `rm -f /etc/ipsec.d/${BASE}.conf /etc/ipsec.d/${BASE}.secrets`,
      "ipsec rereadsecrets",
      "ipsec update",
      waitUnloadedCommand([NAME]),
      `ipsec down ${NAME}`,
    ]);
    expect(r.commands).not.toContain(`ipsec down ${r.connections[0]}`);
  });

  it("gives distinct IDs distinct names even when they slug alike", () => {
    expect(dynamicConnectionName("a.b@example.com")).not.toBe(dynamicConnectionName("a-b@example.com"));
    expect(dynamicConnectionName("x@example.com")).toMatch(/^s2s-[a-z0-9-]+-[0-9a-f]{8}$/);
  });
});
