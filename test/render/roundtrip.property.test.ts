import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectIkeIdType, normaliseIkeId } from "../../provider/model/ike-id";
import { formatPolicy } from "../../provider/model/policy";
import { parseSite, siteToDataBag, type SiteSpec } from "../../provider/model/site";
import { renderPeer } from "../../provider/render/peer";
import { renderSwanctl } from "../../provider/render/swanctl";
import { renderVr } from "../../provider/render/vr";
import * as A from "../helpers/arbitraries";
import { parseIpsecConf, parseSecretsLine, parseSwanctl, value } from "../helpers/strongswan-parse";

const RUNS = 10_000;

const dynamicSiteInput = fc.record({
  id: A.ikeId,
  psk: A.psk,
  cidrs: A.peerCidrs,
  sources: A.sourceCidrs,
  vpc: A.vpcCidr,
  publicIp: fc.ipV4(),
  ike: A.policy,
  esp: A.policy,
  ikeLifetime: fc.integer({ min: 60, max: 86400 }),
  espLifetime: fc.integer({ min: 60, max: 86400 }),
  split: fc.boolean(),
  dpd: fc.boolean(),
  encap: fc.boolean(),
});

const policyText = (p: unknown) => (typeof p === "string" ? p : formatPolicy(p as never));

describe("rendering round-trip (property, 10 000 cases per property)", () => {
  it("every value of a valid dynamic-peer site occupies exactly its token in the VR, swanctl and peer files", () => {
    fc.assert(
      fc.property(dynamicSiteInput, (x) => {
        const { site, issues } = parseSite({
          name: "site",
          vpnGateway: { vpcCidr: x.vpc, publicIp: x.publicIp },
          customerGateway: {
            peer: { type: "dynamic", remoteId: x.id.id, remoteIdType: x.id.type, allowedSourceCidrs: x.sources, allowAnySource: true },
            cidrList: x.cidrs, ipsecPsk: x.psk, ikePolicy: x.ike, espPolicy: x.esp, ikeLifetime: x.ikeLifetime,
            espLifetime: x.espLifetime, splitConnections: x.split, dpd: x.dpd, forceEncap: x.encap,
          },
        });
        expect(issues.filter((i) => i.severity === "error")).toEqual([]);
        const s = site as SiteSpec;
        const id = normaliseIkeId(x.id.id, x.id.type);
        // Written out here, independently of the renderer: FQDNs take strongSwan's "@", DNs are quoted.
        const idToken = x.id.type === "fqdn" ? `@${id}` : x.id.type === "dn" ? `"${id}"` : id;
        const swanctlToken = `"${x.id.type === "fqdn" ? `@${id}` : id}"`;
        // The VPC side's identity for dynamic connections, written out independently of model/responder-id.ts.
        const responder = `vpn-${x.publicIp.split(".").join("-")}.s2s.invalid`;
        const cidrs = x.cidrs;
        const split = x.split && cidrs.length > 1;

        // VR format
        const vr = renderVr(siteToDataBag(s, { create: true, psk: x.psk }));
        const conns = parseIpsecConf(vr.files[0]!.content);
        const main = conns[0]!.settings;
        expect(main.get("rightid")).toBe(idToken);
        expect(main.get("right")).toBe("%any");
        expect(main.get("left")).toBe(x.publicIp);
        expect(main.get("leftid")).toBe(`@${responder}`);
        expect(main.get("leftsubnet")).toBe(x.vpc);
        expect(main.get("ike")).toBe(`${policyText(x.ike).replace(/;/g, "-")}!`);
        expect(main.get("esp")).toBe(`${policyText(x.esp).replace(/;/g, "-")}!`);
        expect(main.get("ikelifetime")).toBe(`${Math.trunc(x.ikeLifetime / 60)}m`);
        expect(conns.map((c) => c.settings.get("rightsubnet")).join(",")).toBe(cidrs.join(","));
        expect(conns).toHaveLength(split ? cidrs.length : 1);
        expect(parseSecretsLine(vr.files[1]!.content)).toEqual({ selectors: [idToken], type: "PSK", secret: x.psk });
        const sourcesInRules = vr.firewall.filter((f) => f.table === "filter").map((f) => f.rule.split(" ")[f.rule.split(" ").indexOf("-s") + 1]);
        expect([...new Set(sourcesInRules)]).toEqual(x.sources);

        // swanctl
        const tree = parseSwanctl(renderSwanctl(s).files[0]!.content);
        expect(value(tree, "connections", "s2s-site", "remote", "id")).toBe(swanctlToken);
        expect(value(tree, "connections", "s2s-site", "local", "id")).toBe(`"@${responder}"`);
        expect(value(tree, "secrets", "ike-s2s-site", "id-1")).toBe(swanctlToken);
        const secret = value(tree, "secrets", "ike-s2s-site", "secret")!;
        expect(Buffer.from(secret.replace(/^0s/, ""), "base64").toString("utf8")).toBe(x.psk);

        // peer side
        const peer = renderPeer(s);
        const peerMain = parseIpsecConf(peer.files[0]!.content)[0]!.settings;
        expect(peerMain.get("leftid")).toBe(idToken);
        expect(peerMain.get("right")).toBe(x.publicIp);
        expect(peerMain.get("rightid")).toBe(`@${responder}`);
        expect(peerMain.get("rightsubnet")).toBe(x.vpc);
        expect(parseSecretsLine(peer.files[1]!.content)).toEqual({ selectors: [idToken, `@${responder}`], type: "PSK", secret: x.psk });
      }),
      { numRuns: RUNS },
    );
  }, 120_000); // 10 000 full renders: ~10 s alone, several times that on a loaded 2-core machine

  it("auto-detection agrees with the declared type for every generated ID", () => {
    fc.assert(
      fc.property(A.ikeId, ({ id, type }) => {
        // FQDN IDs that look like nothing else detect as fqdn; e-mail, DN and address IDs detect as themselves.
        expect(detectIkeIdType(id)).toBe(type);
      }),
      { numRuns: RUNS },
    );
  });
});
