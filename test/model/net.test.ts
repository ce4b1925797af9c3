import { describe, expect, it } from "vitest";
import { cidrsOverlap, isAligned, isFqdn, isIpv6, isStrictIpv4, parseIpv4Cidr, type Ipv4Cidr } from "../../provider/model/net";

function cidr(text: string): Ipv4Cidr {
  const parsed = parseIpv4Cidr(text);
  if (typeof parsed === "string") throw new Error(`${text}: ${parsed}`);
  return parsed;
}

describe("isStrictIpv4", () => {
  it.each(["0.0.0.0", "203.0.113.20", "255.255.255.255", "10.0.0.1"])("accepts the dotted quad %s", (text) => {
    expect(isStrictIpv4(text)).toBe(true);
  });

  it.each(["127.1", "010.0.0.1", "999.1.1.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "0x7f.0.0.1", " 1.2.3.4", "1.2.3.4 ", "", "1.2.3.-4"])(
    "refuses %j (not four decimal octets 0–255 without leading zeros)",
    (text) => {
      expect(isStrictIpv4(text)).toBe(false);
    },
  );
});

describe("isIpv6", () => {
  it.each(["2001:db8::1", "::1", "::ffff:192.0.2.1"])("accepts %s", (text) => {
    expect(isIpv6(text)).toBe(true);
  });

  it.each(["fe80::1%eth0", "2001:db8::g", "203.0.113.1", "2001:db8:::1"])("refuses %j", (text) => {
    expect(isIpv6(text)).toBe(false);
  });
});

describe("parseIpv4Cidr", () => {
  it("parses the address, prefix and aligned network", () => {
    expect(parseIpv4Cidr("10.1.2.3/16")).toMatchObject({ text: "10.1.2.3/16", prefix: 16, network: cidr("10.1.0.0/16").address });
  });

  it.each([
    ["10.0.0.0", /form a\.b\.c\.d\/n/],
    ["10.0.0.0/33", /prefix length/],
    ["10.0.0.0/08", /prefix length/],
    ["10.0.0/8", /dotted-quad/],
    ["010.0.0.0/8", /dotted-quad/],
    ["10.0.0.0/-1", /form a\.b\.c\.d\/n/],
    ["2001:db8::/32", /dotted-quad/],
  ])("fails when given %j", (text, reason) => {
    expect(parseIpv4Cidr(text)).toMatch(reason);
  });
});

describe("isAligned", () => {
  it.each([
    ["10.0.0.0/8", true],
    ["0.0.0.0/0", true],
    ["192.168.10.0/24", true],
    ["203.0.113.7/32", true],
    ["10.0.0.5/24", false],
    ["192.168.10.128/24", false],
    ["10.1.0.0/8", false],
  ])("%s → %s", (text, aligned) => {
    expect(isAligned(cidr(text))).toBe(aligned);
  });
});

describe("cidrsOverlap", () => {
  it.each([
    ["10.0.0.0/8", "10.1.0.0/16", true],
    ["10.1.0.0/16", "10.0.0.0/8", true],
    ["192.168.10.0/24", "192.168.10.0/24", true],
    ["192.168.10.0/25", "192.168.10.128/25", false],
    ["192.168.10.0/24", "192.168.11.0/24", false],
    ["0.0.0.0/0", "203.0.113.0/24", true],
  ])("%s and %s → %s", (a, b, overlap) => {
    expect(cidrsOverlap(cidr(a), cidr(b))).toBe(overlap);
  });
});

describe("isFqdn", () => {
  it.each(["vpn.example.com", "vpn.example.com.", "a", "xn--bcher-kva.example", "a1-b2.example"])("accepts %s", (text) => {
    expect(isFqdn(text)).toBe(true);
  });

  it.each(["", "-vpn.example.com", "vpn-.example.com", "vpn_x.example.com", "a..b", "1.2.3.4", `${"a".repeat(64)}.com`, "a b.com"])("refuses %j", (text) => {
    expect(isFqdn(text)).toBe(false);
  });
});
