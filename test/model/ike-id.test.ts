import { describe, expect, it } from "vitest";
import { detectIkeIdType, ikeIdProblems, normaliseIkeId, parseDn, type IkeIdType } from "../../provider/model/ike-id";

describe("detectIkeIdType", () => {
  it.each([
    ["branch@example.com", "email"],
    ["@branch.example.com", "fqdn"],
    ["branch.example.com", "fqdn"],
    ["192.168.40.1", "ipv4"],
    ["2001:db8:40::1", "ipv6"],
    ["C=FR, O=Example, CN=branch", "dn"],
    ["127.1", "fqdn"],
  ])("reads %j as %s", (id, type) => {
    expect(detectIkeIdType(id)).toBe(type);
  });
});

describe("normaliseIkeId", () => {
  it("drops the @ of strongSwan's explicit FQDN form", () => {
    expect(normaliseIkeId("@branch.example.com", "fqdn")).toBe("branch.example.com");
  });

  it("rewrites a DN as ATTRIBUTE=value pairs joined by comma-space, with canonical attribute names", () => {
    expect(normaliseIkeId("c=FR,o=Example,  cn=branch", "dn")).toBe("C=FR, O=Example, CN=branch");
  });

  it("keeps an e-mail ID unchanged", () => {
    expect(normaliseIkeId("branch@example.com", "email")).toBe("branch@example.com");
  });
});

describe("ikeIdProblems", () => {
  it.each<[string, IkeIdType]>([
    ["branch@example.com", "email"],
    ["first.last+vpn@example.co.uk", "email"],
    ["@branch.example.com", "fqdn"],
    ["branch.example.com", "fqdn"],
    ["192.168.40.1", "ipv4"],
    ["2001:db8:40::1", "ipv6"],
    ["C=FR, O=Example Org, CN=branch-lille", "dn"],
    ["CN=branch", "dn"],
    ["emailAddress=a@example.com, CN=x", "dn"],
  ])("accepts %j as %s", (id, type) => {
    expect(ikeIdProblems(id, type)).toEqual([]);
  });

  it.each<[string, IkeIdType, RegExp]>([
    ["", "fqdn", /is empty/],
    ["a".repeat(256), "fqdn", /longer than 255/],
    ["branch\n.example.com", "fqdn", /control character/],
    ['bra"nch.example.com', "fqdn", /double quote/],
    ["bra'nch.example.com", "fqdn", /single quote/],
    ["branch#1.example.com", "fqdn", /#/],
    ["branch\\x.example.com", "fqdn", /backslash/],
    ["{branch}.example.com", "fqdn", /\{ or \}/],
    ["%anything", "fqdn", /starts with %/],
    ["branch example.com", "fqdn", /white space/],
    ["branch\t@example.com", "email", /control character/],
    ["CN=a\nCN=b", "dn", /control character/],
    ["CN=a#b", "dn", /#/],
  ])("fails when %j (%s) holds a character that could change a config file", (id, type, reason) => {
    expect(ikeIdProblems(id, type).join("\n")).toMatch(reason);
  });

  it.each<[string, IkeIdType, RegExp]>([
    ["127.1", "ipv4", /dotted-quad/],
    ["010.0.0.1", "ipv4", /dotted-quad/],
    ["999.1.1.1", "ipv4", /dotted-quad/],
    ["branch.example.com", "ipv4", /dotted-quad/],
    ["2001:db8::g", "ipv6", /not an IPv6/],
    ["192.168.40.1", "ipv6", /not an IPv6/],
    ["192.168.40.1", "fqdn", /IP address, not a host name/],
    ["@2001:db8::1", "fqdn", /IP address, not a host name/],
    ["branch_1.example.com", "fqdn", /not a valid FQDN/],
    ["@", "fqdn", /not a valid FQDN/],
    ["branch.example.com", "email", /not an e-mail/],
    ["@example.com", "email", /not an e-mail/],
    ["a@b@example.com", "email", /local part/],
    ["user@", "email", /domain.*not a valid FQDN/],
    ["user@exa_mple.com", "email", /domain.*not a valid FQDN/],
  ])("fails when %j is not a valid %s ID", (id, type, reason) => {
    expect(ikeIdProblems(id, type).join("\n")).toMatch(reason);
  });

  it("accepts white space inside a DN but not in other ID types", () => {
    expect(ikeIdProblems("CN=branch one", "dn")).toEqual([]);
    expect(ikeIdProblems("branch one.example.com", "fqdn").join()).toMatch(/white space/);
  });
});

describe("parseDn", () => {
  it("returns the RDNs in order", () => {
    expect(parseDn("C=FR, O=Example, CN=branch").rdns).toEqual([["C", "FR"], ["O", "Example"], ["CN", "branch"]]);
  });

  it.each([
    ["X=1", /unknown attribute "X"/],
    ["CN=branch, Foo=bar", /RDN 2 has unknown attribute "Foo"/],
    ["CN=", /RDN 1 \(CN\) has an empty value/],
    ["C=FR, O=", /RDN 2 \(O\) has an empty value/],
    ["C=FR,, CN=x", /RDN 2 .*not of the form ATTRIBUTE=value/],
    ["=FR", /not of the form ATTRIBUTE=value/],
    ["CN=a+UID=b", /contains one of = \+ ; : \/ < >/],
    ["CN=a=b", /contains one of/],
  ])("fails when the DN is %j", (text, reason) => {
    expect(parseDn(text).problem).toMatch(reason);
  });

  it("reports the DN problem through ikeIdProblems with an example of the expected form", () => {
    expect(ikeIdProblems("O=Example, XX=1", "dn").join()).toMatch(/not a valid distinguished name.*unknown attribute "XX".*C=FR, O=Example, CN=branch/);
  });
});
