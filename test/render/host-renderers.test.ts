import { describe, expect, it } from "vitest";
import { renderPeer } from "../../provider/render/peer";
import { renderSwanctl } from "../../provider/render/swanctl";
import { parseIpsecConf, parseSecretsLine, parseSwanctl, value } from "../helpers/strongswan-parse";
import { dynamicSite, staticSite, TEST_PSK } from "../helpers/sites";

describe("renderSwanctl", () => {
  it("matches the golden file for a dynamic DN peer", async () => {
    const site = dynamicSite({ peer: { type: "dynamic", remoteId: "C=FR, O=Example, CN=branch", allowedSourceCidrs: ["203.0.113.0/24"] } });
    await expect(renderSwanctl(site).files[0]!.content).toMatchFileSnapshot("./__golden__/swanctl-dynamic-dn.conf");
  });

  it("matches the golden file for a static peer with split connections", async () => {
    const site = staticSite({ cidrList: ["172.16.0.0/20", "172.16.32.0/20"], splitConnections: true, dpd: true });
    await expect(renderSwanctl(site).files[0]!.content).toMatchFileSnapshot("./__golden__/swanctl-static-split.conf");
  });

  it("makes a dynamic peer an IKEv2 responder keyed by its ID alone, secret base64-encoded, file 0600", () => {
    const r = renderSwanctl(dynamicSite());
    const tree = parseSwanctl(r.files[0]!.content);
    expect(value(tree, "connections", "s2s-branch-lyon", "version")).toBe("2");
    expect(value(tree, "connections", "s2s-branch-lyon", "remote_addrs")).toBe("%any");
    expect(value(tree, "connections", "s2s-branch-lyon", "remote", "id")).toBe('"branch@example.com"');
    expect(value(tree, "connections", "s2s-branch-lyon", "children", "s2s-branch-lyon", "start_action")).toBe("none");
    expect(value(tree, "secrets", "ike-s2s-branch-lyon", "id-1")).toBe('"branch@example.com"');
    expect(value(tree, "secrets", "ike-s2s-branch-lyon", "id-2")).toBeUndefined();
    expect(value(tree, "secrets", "ike-s2s-branch-lyon", "secret")).toBe(`0s${Buffer.from(TEST_PSK).toString("base64")}`);
    expect(r.files[0]!.mode).toBe(0o600);
    expect(r.commands).toEqual(["swanctl --load-all"]);
  });

  it("opens IKE, NAT-T and ESP to each allowed source of a dynamic peer, and to a static peer's address", () => {
    const dyn = renderSwanctl(dynamicSite()).firewall.map((f) => f.rule);
    expect(dyn).toEqual([
      "-A INPUT -i eth1 -p udp -m udp --dport 500 -s 203.0.113.0/24 -d 198.51.100.10 -j ACCEPT",
      "-A INPUT -i eth1 -p udp -m udp --dport 4500 -s 203.0.113.0/24 -d 198.51.100.10 -j ACCEPT",
      "-A INPUT -i eth1 -p esp -s 203.0.113.0/24 -d 198.51.100.10 -j ACCEPT",
    ]);
    expect(renderSwanctl(staticSite()).firewall.every((f) => f.rule.includes("-s 203.0.113.10 "))).toBe(true);
    expect(renderSwanctl(staticSite({ peer: { type: "static", gateway: "vpn.example.com" } })).firewall).toEqual([]);
  });

  it("traps traffic for a static peer (start_action=trap, like auto=route)", () => {
    const tree = parseSwanctl(renderSwanctl(staticSite()).files[0]!.content);
    expect(value(tree, "connections", "s2s-datacenter-paris", "remote_addrs")).toBe("203.0.113.10");
    expect(value(tree, "connections", "s2s-datacenter-paris", "children", "s2s-datacenter-paris", "start_action")).toBe("trap");
  });
});

describe("renderPeer (branch router side)", () => {
  it("matches the golden files for a dynamic FQDN peer", async () => {
    const r = renderPeer(dynamicSite({ peer: { type: "dynamic", remoteId: "@branch.example.com", allowedSourceCidrs: ["203.0.113.0/24"] } }));
    await expect(r.files[0]!.content).toMatchFileSnapshot("./__golden__/peer-dynamic-fqdn.conf");
    await expect(r.files[1]!.content).toMatchFileSnapshot("./__golden__/peer-dynamic-fqdn.secrets");
  });

  it("initiates and keeps trying: leftid=<remoteId>, auto=start, keyingtries=%forever, closeaction/dpdaction=restart", () => {
    const s = parseIpsecConf(renderPeer(dynamicSite()).files[0]!.content)[0]!.settings;
    expect(s.get("leftid")).toBe("branch@example.com");
    expect(s.get("right")).toBe("198.51.100.10");
    expect(s.get("rightsubnet")).toBe("10.1.0.0/16");
    expect(s.get("leftsubnet")).toBe("192.168.10.0/24");
    expect(s.get("auto")).toBe("start");
    expect(s.get("keyingtries")).toBe("%forever");
    expect(s.get("closeaction")).toBe("restart");
    expect(s.get("dpdaction")).toBe("restart");
    expect(s.get("keyexchange")).toBe("ikev2");
  });

  it("writes the secret for its own ID and the VPC side's dynamic-connection identity, file 0600", () => {
    const r = renderPeer(dynamicSite());
    expect(parseSecretsLine(r.files[1]!.content)).toEqual({ selectors: ["branch@example.com", "@vpn-198-51-100-10.s2s.invalid"], type: "PSK", secret: TEST_PSK });
    expect(r.files[1]!.mode).toBe(0o600);
  });

  it("fails when the site's PSK is an unresolved env reference and none is passed", () => {
    const site = dynamicSite({ ipsecPsk: { env: "LYON_PSK" } });
    expect(() => renderPeer(site)).toThrow(/LYON_PSK.*resolveSitePsk/);
    expect(renderPeer(site, { psk: TEST_PSK }).files[1]!.content).toContain(TEST_PSK);
  });
});
