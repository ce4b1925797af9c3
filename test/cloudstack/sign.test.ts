import { describe, expect, it } from "vitest";
import { canonicalQueryString, encodeFormBody, formatExpires, javaUrlEncode, signParams } from "../../provider/cloudstack/sign";

// Known answers computed ONCE, independently of this code, by a Python script implementing Java's URLEncoder
// byte by byte (keep [A-Za-z0-9.-*_], space -> %20, everything else %XX of its UTF-8 bytes), sorting names with
// Python's sorted() (code-point order == UTF-16 order for these ASCII names), lowercasing, then
// base64(hmac.new(secret.encode(), s.encode(), hashlib.sha1).digest()).
const KNOWN_ANSWERS: Array<{ name: string; params: Record<string, string>; secret: string; unsigned: string; signature: string }> = [
  {
    name: "plain listZones",
    params: { command: "listZones", apiKey: "AK-123", response: "json" },
    secret: "secret-1",
    unsigned: "apiKey=AK-123&command=listZones&response=json",
    signature: "4wHYzfSwbdz4+Y4eS50WOJvvYvI=",
  },
  {
    name: "mixed-case names whose order differs before/after lowercasing",
    params: {
      command: "createVpnCustomerGateway", apiKey: "AK-123", ikePolicy: "aes128-sha1;modp1536", ikelifetime: "86400",
      Zeta: "z", alpha: "a", aB: "x", aa: "y", response: "json", signatureversion: "3", expires: "2030-01-01T00:00:00+0000",
    },
    secret: "s3cr3t/Key+=",
    unsigned:
      "Zeta=z&aB=x&aa=y&alpha=a&apiKey=AK-123&command=createVpnCustomerGateway&expires=2030-01-01T00%3A00%3A00%2B0000" +
      "&ikePolicy=aes128-sha1%3Bmodp1536&ikelifetime=86400&response=json&signatureversion=3",
    signature: "3vWE8X3XOWKOHpO9j6MKvA9EVf0=",
  },
  {
    name: "!'()~* spaces and reserved characters, signature parameter skipped",
    params: {
      command: "createVpnCustomerGateway", apiKey: "AK", ipsecpsk: "a!b'c(d)e~f*g h+i/j=k&l%m", name: "my gw (test)~1",
      response: "json", signature: "ignored",
    },
    secret: "K",
    unsigned:
      "apiKey=AK&command=createVpnCustomerGateway&ipsecpsk=a%21b%27c%28d%29e%7Ef*g%20h%2Bi%2Fj%3Dk%26l%25m" +
      "&name=my%20gw%20%28test%29%7E1&response=json",
    signature: "+BF1Yv0l/qkMzlkoZtDgN2pu07c=",
  },
  {
    name: "unicode values (2-, 3- and 4-byte UTF-8) and a unicode secret",
    params: { command: "listVpnCustomerGateways", apiKey: "AK", keyword: "café 日本 😀", response: "json" },
    secret: "unicode-secret-é",
    unsigned: "apiKey=AK&command=listVpnCustomerGateways&keyword=caf%C3%A9%20%E6%97%A5%E6%9C%AC%20%F0%9F%98%80&response=json",
    signature: "NBPV4bwg2b7Ynxa6lhXdnNZzdsg=",
  },
];

describe("signParams", () => {
  it.each(KNOWN_ANSWERS)("matches the independently computed signature: $name", ({ params, secret, signature }) => {
    expect(signParams(params, secret)).toBe(signature);
  });

  it.each(KNOWN_ANSWERS)("builds the canonical string CloudStack signs: $name", ({ params, unsigned }) => {
    expect(canonicalQueryString(params)).toBe(unsigned);
  });

  it("sorts names case-sensitively before lowercasing (Zeta before alpha)", () => {
    expect(canonicalQueryString({ alpha: "1", Zeta: "2", ikelifetime: "3", ikePolicy: "4" })).toBe("Zeta=2&alpha=1&ikePolicy=4&ikelifetime=3");
  });

  it("drops the signature parameter whatever its case", () => {
    expect(canonicalQueryString({ command: "x", Signature: "a", SIGNATURE: "b" })).toBe("command=x");
  });

  it("changes when any value changes (the PSK is covered by the signature)", () => {
    const base = { command: "createVpnCustomerGateway", ipsecpsk: "one" };
    expect(signParams(base, "k")).not.toBe(signParams({ ...base, ipsecpsk: "two" }, "k"));
  });
});

describe("javaUrlEncode", () => {
  it.each([
    ["!'()~", "%21%27%28%29%7E"],
    ["*", "*"],
    ["a b", "a%20b"],
    ["+/=&%", "%2B%2F%3D%26%25"],
    ["AZaz09.-_", "AZaz09.-_"],
    ["é😀", "%C3%A9%F0%9F%98%80"],
  ])("encodes %j as java.net.URLEncoder does: %s", (input, expected) => {
    expect(javaUrlEncode(input)).toBe(expected);
  });

  it("encodes an unpaired surrogate as '?' like Java's String.getBytes", () => {
    expect(javaUrlEncode("a\uD800b")).toBe("a%3Fb");
  });
});

describe("formatExpires", () => {
  it("writes CloudStack's own date form with a +0000 offset, whole seconds", () => {
    expect(formatExpires(Date.UTC(2030, 0, 2, 3, 4, 5, 678))).toBe("2030-01-02T03:04:05+0000");
  });
});

describe("encodeFormBody", () => {
  it("round-trips through standard form decoding, including + and / in a base64 signature", () => {
    const params = { signature: "ab+/cd==", ipsecpsk: "p s!k~*" };
    expect(Object.fromEntries(new URLSearchParams(encodeFormBody(params)))).toEqual(params);
  });
});
