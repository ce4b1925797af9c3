import { describe, expect, it } from "vitest";
import { javaSplit } from "../../../provider/local-cloud/validation/java-split";
import { cidrsOverlap, cleanCidrList, isValidCidrList, isValidIp4, verifyDomainName } from "../../../provider/local-cloud/validation/net-utils";
import { isValidS2SVpnPolicy } from "../../../provider/local-cloud/validation/policy";
import { detectRemoteIdType } from "../../../provider/local-cloud/validation/remote-id";

describe("javaSplit", () => {
  it.each([
    ["a,b,", ["a", "b"]],
    [",a", ["", "a"]],
    ["a,,b", ["a", "", "b"]],
    [",", []],
    ["", [""]],
  ])("splits %j like Java", (text, parts) => {
    expect(javaSplit(text, ",")).toEqual(parts);
  });
});

describe("isValidS2SVpnPolicy (contract §2.2)", () => {
  it.each([
    ["ike", "aes128-sha1;modp1536", true],
    ["esp", "aes128-sha1,", true],
    ["ike", "aes128-sha1;modp1536,", true],
    ["ike", "aes128-sha1;modp1536;junk", true],
    ["ike", "aes128-sha1,aes256-sha256;modp2048", false],
    ["esp", "aes128-sha1,aes256-sha256;modp2048", true],
    ["ike", "aes128-sha1", false],
    ["esp", "aes128-sha1", true],
    ["ike", ",aes128-sha1;modp1536", false],
    ["ike", "a,,b", false],
    ["ike", "AES128-sha1;modp1536", false],
    ["ike", "aes128-sha1;modp9999", false],
    ["ike", "aes128-sha1-x;modp1536", false],
    ["ike", "", false],
  ])("%s %j is %s", (type, policy, valid) => {
    expect(isValidS2SVpnPolicy(type, policy)).toBe(valid);
  });

  it("fails like Java's ArrayIndexOutOfBoundsException on a trailing semicolon", () => {
    expect(() => isValidS2SVpnPolicy("ike", "aes128-sha1;")).toThrow(/Index 1 out of bounds for length 1/);
  });
});

describe("NetUtils leniency", () => {
  it.each(["999.1.1.1", "300.1.1.1", "10.0.0", "vpn.example.com", "010.1.1.1"])("accepts %s as a domain name", (name) => {
    expect(verifyDomainName(name)).toBe(true);
  });

  it.each(["foo_bar", ".a.com", "a.com.", "-a.com", "a..b", "2001:db8::1", ""])("rejects %j as a domain name", (name) => {
    expect(verifyDomainName(name)).toBe(false);
  });

  it("accepts only dotted quads without leading zeros as IPv4", () => {
    expect(isValidIp4("203.0.113.1")).toBe(true);
    expect(isValidIp4("010.1.1.1")).toBe(false);
    expect(isValidIp4("999.1.1.1")).toBe(false);
  });

  it.each([
    ["10.0.0.5/24", true],
    ["10.0.0.0/24,10.1.0.0/16", true],
    ["10.0.0.0/24,", true],
    ["10.0.0.0/33", false],
    ["10.0.0.0/24, 10.1.0.0/16", false],
    ["", false],
    ["10.0.0.0", false],
  ])("cidr list %j valid=%s", (list, valid) => {
    expect(isValidCidrList(list)).toBe(valid);
  });

  it("cleans host bits and drops a trailing comma", () => {
    expect(cleanCidrList("10.0.0.5/24,192.168.1.1/16,")).toBe("10.0.0.0/24,192.168.0.0/16");
  });

  it("compares networks under the shorter mask", () => {
    expect(cidrsOverlap("10.0.0.0/8", "10.200.0.0/16")).toBe(true);
    expect(cidrsOverlap("10.1.0.0/16", "10.2.0.0/16")).toBe(false);
    expect(cidrsOverlap("junk", "10.0.0.0/8")).toBe(false);
  });
});

describe("detectRemoteIdType", () => {
  it.each([
    ["198.51.100.7", "ipv4"],
    ["2001:db8::7", "ipv6"],
    ["branch.example.com", "fqdn"],
    ["@branch", "fqdn"],
    ["branch@example.com", "email"],
    ["C=CH, O=Branch, CN=gw", "dn"],
  ])("%s is %s", (id, type) => {
    expect(detectRemoteIdType(id)).toBe(type);
  });

  it.each(['bad"quote', " padded", "line\nbreak", "", "1234"])("rejects %j", (id) => {
    expect(detectRemoteIdType(id)).toBeUndefined();
  });
});
