import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDataBag } from "../../provider/model/databag-schema";
import { parseSite, siteToDataBag } from "../../provider/model/site";
import { renderVr } from "../../provider/render/vr";
import { dynamicSite } from "../helpers/sites";

const RUNS = 10_000;

const validDynamic = () => ({
  name: "branch-lyon",
  vpnGateway: { vpcCidr: "10.1.0.0/16", publicIp: "198.51.100.10", publicInterface: "eth1" },
  customerGateway: {
    peer: { type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: ["203.0.113.0/24"] } as Record<string, unknown>,
    cidrList: ["192.168.10.0/24"],
    ipsecPsk: "valid-psk-0123456789-abcdefghij",
    ikePolicy: "aes256-sha256;modp2048",
    espPolicy: "aes256-sha256;modp2048",
  },
});

type Input = ReturnType<typeof validDynamic>;

/** Each field that lands in a file, and how to put a value there. */
const FIELDS: { path: string; set: (input: Input, value: string) => void; allowsSpace?: boolean }[] = [
  { path: "customerGateway.peer.remoteId", set: (i, v) => { i.customerGateway.peer.remoteId = `branch${v}@example.com`; } },
  { path: "customerGateway.peer.remoteId", set: (i, v) => { i.customerGateway.peer.remoteId = `C=FR, O=Ex${v}ample, CN=branch`; }, allowsSpace: true },
  { path: "customerGateway.peer.gateway", set: (i, v) => { i.customerGateway.peer = { type: "static", gateway: `vpn${v}.example.com` }; } },
  { path: "customerGateway.cidrList[0]", set: (i, v) => { i.customerGateway.cidrList = [`192.168.10.0/24${v}`]; } },
  { path: "customerGateway.peer.allowedSourceCidrs[0]", set: (i, v) => { i.customerGateway.peer.allowedSourceCidrs = [`${v}203.0.113.0/24`]; } },
  { path: "vpnGateway.vpcCidr", set: (i, v) => { i.vpnGateway.vpcCidr = `10.1.0.0${v}/16`; } },
  { path: "vpnGateway.publicIp", set: (i, v) => { i.vpnGateway.publicIp = `198.51.100.10${v}`; } },
  { path: "vpnGateway.publicInterface", set: (i, v) => { i.vpnGateway.publicInterface = `eth${v}1`; } },
  { path: "customerGateway.ikePolicy", set: (i, v) => { i.customerGateway.ikePolicy = `aes256-sha256;modp2048${v}`; } },
  { path: "customerGateway.espPolicy", set: (i, v) => { i.customerGateway.espPolicy = `aes256${v}-sha256;modp2048`; } },
  { path: "name", set: (i, v) => { (i as { name: string }).name = `branch${v}lyon`; } },
];

/** Characters that could end a token, open a comment, quote, escape, nest a section or start a keyword. */
const hostile = fc.oneof(
  fc.constantFrom("\n", "\r", '"', "#", "\\", "{", "}", "\u0000", "\u001b", "\u2028", "'", " %any", "\n conn evil\n"),
  fc.constantFrom(" ", "\t"),
);

describe("hostile values (property, 10 000 cases per property)", () => {
  it("refuses a hostile character in any field that lands in a config file, with that field's path", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), hostile, (field, bad) => {
        // Inside a quoted DN a space (and so " %any") is ordinary text; only a leading % is a keyword.
        fc.pre(!(field.allowsSpace && (bad === " " || bad === " %any")));
        const input = validDynamic();
        field.set(input, bad);
        const { site, issues } = parseSite(input);
        expect(site).toBeUndefined();
        expect(issues.map((i) => i.path)).toContain(field.path);
      }),
      { numRuns: RUNS },
    );
  });

  it("refuses a PSK with a quote or a line break, and never echoes it (nor any other PSK) in any issue", () => {
    const breaking = fc.constantFrom('"', "\n", "\r", "\u0000");
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{24,40}$/), breaking, fc.nat(24), (core, bad, at) => {
        const psk = `${core.slice(0, at)}${bad}${core.slice(at)}`;
        const input = validDynamic();
        input.customerGateway.ipsecPsk = psk;
        const { issues } = parseSite(input);
        expect(issues.map((i) => i.path)).toContain("customerGateway.ipsecPsk");
        const text = JSON.stringify(issues);
        expect(text).not.toContain(core.slice(0, 12));
        expect(text).not.toContain(core.slice(-12));
      }),
      { numRuns: RUNS },
    );
  });

  it("never shows the PSK in any error or warning, whatever else is wrong with the input", () => {
    const maybe = <T,>(good: T, bad: unknown) => fc.oneof(fc.constant(good), fc.constant(bad));
    fc.assert(
      fc.property(
        fc.stringMatching(/^PSKMARK[A-Za-z0-9]{5,30}$/),
        maybe("branch@example.com", "bad id with spaces"),
        maybe(["192.168.10.0/24"], ["192.168.10.5/24", 7]),
        maybe("aes256-sha256;modp2048", "des-md5"),
        maybe(86400, -5),
        maybe("ikev2", "ikev1"),
        maybe(["203.0.113.0/24"], ["0.0.0.0/0"]),
        (psk, remoteId, cidrList, ikePolicy, ikeLifetime, ikeVersion, sources) => {
          const input = validDynamic() as unknown as Record<string, Record<string, unknown>>;
          Object.assign(input.customerGateway!, { ipsecPsk: psk, cidrList, ikePolicy, ikeLifetime, ikeVersion });
          Object.assign(input.customerGateway!.peer as object, { remoteId, allowedSourceCidrs: sources });
          const { issues } = parseSite(input);
          expect(JSON.stringify(issues)).not.toContain("PSKMARK");
          if (issues.every((i) => i.severity === "warning")) {
            const bag = siteToDataBag(parseSite(input).site!, { create: true, psk });
            const broken = { ...bag, peer_guest_cidr_list: "not-a-cidr" };
            expect(JSON.stringify(parseDataBag(broken).issues)).not.toContain("PSKMARK");
            expect(() => renderVr(broken)).toThrow(expect.objectContaining({ message: expect.not.stringContaining("PSKMARK") }));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("the data bag renderer refuses a hostile peer ID even when the bag bypasses the site model", () => {
    const bag = siteToDataBag(dynamicSite(), { create: true, psk: "valid-psk-0123456789-abcdefghij" });
    fc.assert(
      fc.property(hostile, (bad) => {
        expect(() => renderVr({ ...bag, peer_id: `branch${bad}@example.com` })).toThrow(/`peer_id`/);
      }),
      { numRuns: 1_000 },
    );
  });
});
