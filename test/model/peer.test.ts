import { describe, expect, it } from "vitest";
import { issuesFromZod } from "../../provider/model/issues";
import { dynamicPeerSchema, gatewayProblem, peerSchema, sourceCidrProblem } from "../../provider/model/peer";
import { at, dynamicPeer, pathsOf } from "./builders";

function peerIssues(input: unknown) {
  const result = peerSchema.safeParse(input);
  return result.success ? [] : issuesFromZod(result.error, input);
}

describe("gatewayProblem (static peer address)", () => {
  it.each(["203.0.113.20", "2001:db8::20", "::ffff:203.0.113.20", "vpn.branch.example.com", "vpn.branch.example.com.", "gw1"])(
    "accepts %j",
    (gateway) => {
      expect(gatewayProblem(gateway)).toBeUndefined();
    },
  );

  it.each(["127.1", "010.0.0.1", "999.1.1.1", "1.2.3", "1.2.3.4.5", "0x7f.0.0.1", "0x7f000001"])(
    "fails when %j is a loose IPv4 form CloudStack would store as a domain name",
    (gateway) => {
      expect(gatewayProblem(gateway)).toMatch(/not a valid IPv4 address.*four decimal octets/);
    },
  );

  it.each([
    ["fe80::1%eth0", /starts with %|neither an IPv4\/IPv6 address nor a valid host name/],
    ["vpn_1.example.com", /neither an IPv4\/IPv6 address nor a valid host name/],
    ["-vpn.example.com", /neither/],
    ["203.0.113.0/24", /neither/],
    ["vpn.example.com\n", /control character/],
    ["vpn example.com", /white space/],
    ["%any", /starts with %/],
    ['vpn"x', /double quote/],
    [`${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(10)}`, /longer than 190/],
  ])("fails when the gateway is %j", (gateway, reason) => {
    expect(gatewayProblem(gateway)).toMatch(reason);
  });
});

describe("peerSchema: static", () => {
  it("accepts an address and keeps it as given", () => {
    expect(peerSchema.parse({ type: "static", gateway: "203.0.113.20" })).toEqual({ type: "static", gateway: "203.0.113.20" });
  });

  it("fails when the gateway is a loose IPv4 form, naming `gateway` and the value", () => {
    expect(at(peerIssues({ type: "static", gateway: "127.1" }), "gateway")[0]?.message).toMatch(/^`gateway` "127\.1" is not a valid IPv4 address/);
  });

  it("fails when the gateway is missing", () => {
    expect(at(peerIssues({ type: "static" }), "gateway")[0]?.code).toBe("required");
  });

  it("fails when a static peer carries a dynamic peer's field", () => {
    expect(at(peerIssues({ type: "static", gateway: "203.0.113.20", remoteId: "x@example.com" }), "remoteId")[0]?.code).toBe("unknown-field");
  });

  it("fails when the type is neither static nor dynamic", () => {
    expect(at(peerIssues({ type: "roaming", gateway: "203.0.113.20" }), "type")[0]?.message).toMatch(/must be one of "static", "dynamic"/);
  });

  it("fails when the type is missing (dynamic is an explicit opt-in)", () => {
    expect(pathsOf(peerIssues({ remoteId: "x@example.com", allowedSourceCidrs: ["203.0.113.0/24"] }))).toContain("type");
  });
});

describe("peerSchema: dynamic", () => {
  it("detects the ID type and keeps the source ranges", () => {
    expect(peerSchema.parse(dynamicPeer())).toEqual({
      type: "dynamic",
      remoteId: "branch@example.com",
      remoteIdType: "email",
      allowedSourceCidrs: ["203.0.113.0/24"],
      allowAnySource: false,
    });
  });

  it.each([
    ["@branch.example.com", "fqdn", "branch.example.com"],
    ["branch.example.com", "fqdn", "branch.example.com"],
    ["192.168.40.1", "ipv4", "192.168.40.1"],
    ["2001:db8:40::1", "ipv6", "2001:db8:40::1"],
    ["c=FR,o=Example,cn=branch", "dn", "C=FR, O=Example, CN=branch"],
  ])("reads remoteId %j as %s and normalises it to %j", (remoteId, type, normalised) => {
    expect(peerSchema.parse(dynamicPeer({ remoteId }))).toMatchObject({ remoteIdType: type, remoteId: normalised });
  });

  it("lets remoteIdType override the detected type", () => {
    expect(peerSchema.parse(dynamicPeer({ remoteId: "router-1", remoteIdType: "fqdn" }))).toMatchObject({ remoteIdType: "fqdn" });
  });

  it("fails when remoteIdType contradicts the ID", () => {
    expect(at(peerIssues(dynamicPeer({ remoteId: "192.168.40.1", remoteIdType: "fqdn" })), "remoteId")[0]?.message).toMatch(/`remoteId` "192\.168\.40\.1" \(fqdn\) is an IP address/);
  });

  it("fails when remoteIdType is not a known type", () => {
    expect(at(peerIssues(dynamicPeer({ remoteIdType: "keyid" })), "remoteIdType")[0]?.message).toMatch(/must be one of "ipv4", "ipv6", "fqdn", "email", "dn"/);
  });

  it("fails when remoteId is missing", () => {
    expect(at(peerIssues({ type: "dynamic", allowedSourceCidrs: ["203.0.113.0/24"] }), "remoteId")[0]?.code).toBe("required");
  });

  it.each(["", "%any", "bad id@example.com", 'a"b@example.com', "CN=x, Bogus=y"])("fails when remoteId is %j", (remoteId) => {
    expect(at(peerIssues(dynamicPeer({ remoteId })), "remoteId")[0]?.code).toBe("invalid-remote-id");
  });

  it("fails when a dynamic peer has a gateway", () => {
    expect(at(peerIssues(dynamicPeer({ gateway: "203.0.113.20" })), "gateway")[0]?.code).toBe("unknown-field");
  });

  it("fails when allowedSourceCidrs is missing and allowAnySource is not set", () => {
    expect(at(peerIssues({ type: "dynamic", remoteId: "branch@example.com" }), "allowedSourceCidrs")[0]?.message).toMatch(/is required for a dynamic peer.*allowAnySource/);
  });

  it("fails when allowedSourceCidrs is empty and allowAnySource is not set", () => {
    expect(at(peerIssues(dynamicPeer({ allowedSourceCidrs: [] })), "allowedSourceCidrs")[0]?.code).toBe("no-source-cidrs");
  });

  it("defaults the list to 0.0.0.0/0 when only allowAnySource is set", () => {
    expect(dynamicPeerSchema.parse({ type: "dynamic", remoteId: "branch@example.com", allowAnySource: true })).toMatchObject({ allowedSourceCidrs: ["0.0.0.0/0"], allowAnySource: true });
  });

  it("fails when 0.0.0.0/0 is listed without allowAnySource", () => {
    expect(at(peerIssues(dynamicPeer({ allowedSourceCidrs: ["0.0.0.0/0"] })), "allowedSourceCidrs[0]")[0]?.message).toMatch(/whole internet.*allowAnySource: true/);
  });

  it("accepts 0.0.0.0/0 with allowAnySource: true", () => {
    expect(peerIssues(dynamicPeer({ allowedSourceCidrs: ["0.0.0.0/0"], allowAnySource: true }))).toEqual([]);
  });

  it("fails when a source range is listed twice, on the second occurrence", () => {
    const issues = peerIssues(dynamicPeer({ allowedSourceCidrs: ["203.0.113.0/24", "192.0.2.0/24", "203.0.113.0/24"] }));
    expect(issues.map((i) => [i.path, i.code])).toEqual([["allowedSourceCidrs[2]", "duplicate-source-cidr"]]);
  });

  it("reports every bad source range with its own index", () => {
    const issues = peerIssues(dynamicPeer({ allowedSourceCidrs: ["203.0.113.5/24", "192.0.2.0/24", "2001:db8::/32", "198.51.100.0/33"] }));
    expect(pathsOf(issues)).toEqual(["allowedSourceCidrs[0]", "allowedSourceCidrs[2]", "allowedSourceCidrs[3]"]);
  });
});

describe("sourceCidrProblem", () => {
  it.each([
    ["203.0.113.0/24", false, undefined],
    ["0.0.0.0/0", true, undefined],
    ["203.0.113.7/32", false, undefined],
  ])("accepts %s (allowAnySource %s)", (text, any, expected) => {
    expect(sourceCidrProblem(text, any)).toBe(expected);
  });

  it.each([
    ["203.0.113.5/24", /host bits set; use the network address 203\.0\.113\.0\/24/],
    ["0.0.0.0/0", /whole internet/],
    ["2001:db8::/32", /IPv4/],
    ["127.1/32", /dotted-quad/],
    ["203.0.113.0", /a\.b\.c\.d\/n/],
  ])("fails when a source range is %j", (text, reason) => {
    expect(sourceCidrProblem(text, false)).toMatch(reason);
  });
});
