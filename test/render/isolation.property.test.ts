/**
 * Issue 10, as properties over generated input: whatever a user or a data bag supplies, no wildcard or degenerate
 * identity, no `-`-leading interface or address, and no control or line-separator character in a PSK ever reaches a
 * rendered file. The oracle for "wildcard" is written here from strongSwan 5.9's identification.c, independently of
 * provider/model/ike-id.ts.
 */
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { parseSite, siteToDataBag, type SiteSpec } from "../../provider/model/site";
import { renderPeer } from "../../provider/render/peer";
import { renderSwanctl } from "../../provider/render/swanctl";
import { renderVr } from "../../provider/render/vr";
import { parseIpsecConf, parseSecretsLine } from "../helpers/strongswan-parse";

const RUNS = 3_000;
const PSK = "valid-psk-0123456789-abcdefghij";

/** strongSwan reads these as ID_ANY, or as a pattern that matches more than one identity. */
function isWildcardForStrongswan(token: string): boolean {
  const id = token.replace(/^"|"$/g, "").replace(/^@/, "");
  if (["", "%any", "%any4", "%any6", "0.0.0.0", "*", "::", "0::0"].includes(id.toLowerCase())) return true;
  if (id.includes("*")) return true;
  if (/^(ipv4|ipv6|rfc822|email|userfqdn|fqdn|dns|asn1dn|asn1gn|keyid|\{\d+\}):/i.test(id)) return true;
  try {
    if (ipaddr.isValid(id) && ipaddr.parse(id).toByteArray().every((b) => b === 0)) return true;
  } catch {
    /* not an address */
  }
  return false;
}

function siteWith(peer: Record<string, unknown>, extra: { publicInterface?: string; psk?: string } = {}) {
  return {
    name: "branch-lyon",
    vpnGateway: { vpcCidr: "10.1.0.0/16", publicIp: "198.51.100.10", ...(extra.publicInterface !== undefined ? { publicInterface: extra.publicInterface } : {}) },
    customerGateway: { peer, cidrList: ["192.168.10.0/24"], ipsecPsk: extra.psk ?? PSK },
  };
}

/** Every identity token the VR, swanctl and branch renderings hold for the remote side. */
function renderedRemoteIds(site: SiteSpec): string[] {
  const vr = renderVr(siteToDataBag(site, { create: true, psk: PSK }));
  const conns = parseIpsecConf(vr.files[0]!.content);
  const swanctl = renderSwanctl(site).files[0]!.content;
  const swanctlIds = [...swanctl.matchAll(/^\s*(?:id|id-1) = (.*)$/gm)].map((m) => m[1]!);
  const peer = parseIpsecConf(renderPeer(site).files[0]!.content)[0]!.settings.get("leftid");
  return [...conns.map((c) => c.settings.get("rightid") ?? ""), ...parseSecretsLine(vr.files[1]!.content).selectors, ...swanctlIds, ...(peer ? [peer] : [])];
}

const zeroIpv6 = fc
  .array(fc.constantFrom("0", "00", "0000"), { minLength: 8, maxLength: 8 })
  .chain((groups) => fc.integer({ min: 0, max: 7 }).chain((i) => fc.integer({ min: i, max: 8 }).map((j) => (j > i ? `${groups.slice(0, i).join(":")}::${groups.slice(j).join(":")}` : groups.join(":")))));
const decorated = fc.tuple(fc.constantFrom("branch@example.com", "branch.example.com", "@branch.example.com", "C=FR, O=Example, CN=branch"), fc.nat(), fc.constantFrom("*", "fqdn:", "ipv4:", "keyid:", "{3}:", "%any"))
  .map(([id, at, bit]) => (bit.endsWith(":") || bit === "%any" ? `${bit}${id}` : `${id.slice(0, at % (id.length + 1))}${bit}${id.slice(at % (id.length + 1))}`));
const hostileId = fc.oneof(
  fc.constantFrom("0.0.0.0", "::", "0::0", "%any", "%any6", "%any4", "*", "", " ", "\t", "::ffff:0.0.0.0", "vpn-198-51-100-10.s2s.invalid"),
  zeroIpv6,
  decorated,
  fc.string({ unit: fc.constantFrom("*", "%", ":", "0", ".", "@", "a", "=", ",", " ", "-"), maxLength: 12 }),
);

describe("identity isolation (property)", () => {
  it("no wildcard or degenerate identity is accepted, and none reaches a rendered file", () => {
    fc.assert(
      fc.property(hostileId, fc.option(fc.constantFrom("ipv4", "ipv6", "fqdn", "email", "dn"), { nil: undefined }), (remoteId, remoteIdType) => {
        const { site, issues } = parseSite(siteWith({ type: "dynamic", remoteId, ...(remoteIdType ? { remoteIdType } : {}), allowedSourceCidrs: ["203.0.113.0/24"] }));
        if (!site) {
          expect(issues.map((i) => i.path)).toContain("customerGateway.peer.remoteId");
          return;
        }
        for (const token of renderedRemoteIds(site)) expect(isWildcardForStrongswan(token), `rendered ${token}`).toBe(false);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("no interface or peer address starting with - becomes a command or iptables word", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("-", "e", "t", "h", "1", ".", "_"), minLength: 1, maxLength: 16 }), (publicInterface) => {
        const { site } = parseSite(siteWith({ type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: ["203.0.113.0/24"] }, { publicInterface }));
        if (publicInterface.startsWith("-")) expect(site).toBeUndefined();
        if (!site) return;
        const rules = [...renderVr(siteToDataBag(site, { create: true, psk: PSK }), { publicInterface }).firewall, ...renderSwanctl(site).firewall].map((f) => f.rule);
        for (const rule of rules) expect(rule).not.toMatch(/ -[io] -/);
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.constantFrom("-j ACCEPT", "-1.2.3.4", "--flush", "-"), (gateway) => {
        expect(() => renderVr({ type: "site2sitevpn", create: true, local_public_ip: "198.51.100.10", local_guest_cidr: "10.1.0.0/16", peer_gateway_ip: gateway, peer_guest_cidr_list: "192.168.10.0/24", esp_policy: "aes128-sha1", ike_policy: "aes128-sha1;modp1536", ipsec_psk: "k", ike_lifetime: 86400, esp_lifetime: 3600, dpd: false, passive: false })).toThrow(/peer_gateway_ip/);
      }),
    );
  });

  it("no control or line-separator character in a PSK reaches a secrets file", () => {
    const bad = fc.oneof(fc.constantFrom("\u0085", "\u2028", "\u2029", "\n", "\r", "\u0000", "\u007f", "\u009b"), fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)));
    fc.assert(
      fc.property(fc.string({ minLength: 20, maxLength: 40, unit: fc.constantFrom(..."abcXYZ019-_ #'".split("")) }), bad, fc.nat(), (base, ch, at) => {
        const psk = `${base.slice(0, at % (base.length + 1))}${ch}${base.slice(at % (base.length + 1))}`;
        const { site, issues } = parseSite(siteWith({ type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: ["203.0.113.0/24"] }, { psk }));
        expect(site).toBeUndefined();
        expect(issues.map((i) => i.path)).toContain("customerGateway.ipsecPsk");
        expect(issues.map((i) => i.message).join("\n")).not.toContain(base.length > 0 ? psk : "\u0000never");
        expect(() => renderVr({ type: "site2sitevpn", create: true, local_public_ip: "198.51.100.10", local_guest_cidr: "10.1.0.0/16", peer_gateway_ip: "203.0.113.20", peer_guest_cidr_list: "192.168.10.0/24", esp_policy: "aes128-sha1", ike_policy: "aes128-sha1;modp1536", ipsec_psk: psk, ike_lifetime: 86400, esp_lifetime: 3600, dpd: false, passive: false })).toThrow(/ipsec_psk/);
      }),
      { numRuns: RUNS },
    );
  });
});
