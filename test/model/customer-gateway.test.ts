import { describe, expect, it } from "vitest";
import { customerGatewaySchema } from "../../provider/model/customer-gateway";
import { issuesFromZod, ValidationError } from "../../provider/model/issues";
import { at, customerGatewayInput, customerGatewayIssues, dynamicPeer, parseCustomerGateway, pathsOf, SECRET_PSK } from "./builders";

const dynamic = (overrides: Record<string, unknown> = {}) => customerGatewayInput({ peer: dynamicPeer(), ...overrides });

describe("customerGatewaySchema defaults", () => {
  it("resolves a static peer's defaults (CloudStack's)", () => {
    expect(parseCustomerGateway(customerGatewayInput())).toMatchObject({
      name: "VPN-203.0.113.20",
      ikeVersion: "ike",
      dpd: false,
      ikePolicy: "aes256-sha256;modp2048",
      espPolicy: "aes256-sha256;modp2048",
      ikeLifetime: 86400,
      espLifetime: 3600,
      dpdDelaySeconds: 30,
      dpdTimeoutSeconds: 120,
      forceEncap: false,
      splitConnections: false,
      allowLegacyCrypto: false,
    });
  });

  it("resolves a dynamic peer's defaults: IKEv2, DPD on, named after the remote ID", () => {
    expect(parseCustomerGateway(dynamic())).toMatchObject({ name: "VPN-branch@example.com", ikeVersion: "ikev2", dpd: true });
  });

  it("keeps an explicit name, dpd and ikeVersion", () => {
    expect(parseCustomerGateway(customerGatewayInput({ name: "paris", dpd: true, ikeVersion: "ikev1" }))).toMatchObject({ name: "paris", dpd: true, ikeVersion: "ikev1" });
  });

  it("lets a dynamic peer turn DPD off explicitly", () => {
    expect(parseCustomerGateway(dynamic({ dpd: false })).dpd).toBe(false);
  });

  it("accepts ikeVersion ikev2 for a dynamic peer", () => {
    expect(parseCustomerGateway(dynamic({ ikeVersion: "ikev2" })).ikeVersion).toBe("ikev2");
  });

  it("keeps forceEncap and splitConnections when set", () => {
    expect(parseCustomerGateway(customerGatewayInput({ forceEncap: true, splitConnections: true }))).toMatchObject({ forceEncap: true, splitConnections: true });
  });
});

describe("customerGatewaySchema ikeVersion", () => {
  it.each(["ike", "ikev1"])("fails when a dynamic peer asks for %j, giving the reason", (ikeVersion) => {
    const [issue] = at(customerGatewayIssues(dynamic({ ikeVersion })), "ikeVersion");
    expect(issue?.code).toBe("dynamic-peer-needs-ikev2");
    expect(issue?.message).toMatch(/cannot serve a dynamic peer.*IKEv1 main mode.*PSK.*ikev2/);
  });

  it("fails when ikeVersion is not ike, ikev1 or ikev2", () => {
    expect(at(customerGatewayIssues(customerGatewayInput({ ikeVersion: "ikev3" })), "ikeVersion")[0]?.message).toMatch(/"ikev3" must be one of "ike", "ikev1", "ikev2"/);
  });
});

describe("customerGatewaySchema cidrList", () => {
  it("accepts 10 disjoint aligned subnets", () => {
    const cidrList = Array.from({ length: 10 }, (_, i) => `192.168.${i}.0/24`);
    expect(customerGatewayIssues(customerGatewayInput({ cidrList }))).toEqual([]);
  });

  it("fails when the list is empty", () => {
    expect(at(customerGatewayIssues(customerGatewayInput({ cidrList: [] })), "cidrList")[0]?.message).toMatch(/must have ≥ 1 items/);
  });

  it("fails when the list has 11 subnets", () => {
    const cidrList = Array.from({ length: 11 }, (_, i) => `192.168.${i}.0/24`);
    expect(at(customerGatewayIssues(customerGatewayInput({ cidrList })), "cidrList")[0]?.message).toMatch(/must have ≤ 10 items/);
  });

  it.each([
    [["192.168.10.5/24"], "cidrList[0]", /host bits set; use the network address 192\.168\.10\.0\/24/],
    [["192.168.10.0/24", "10.0.0.0/33"], "cidrList[1]", /prefix length/],
    [["192.168.10.0"], "cidrList[0]", /a\.b\.c\.d\/n/],
    [["192.168.010.0/24"], "cidrList[0]", /dotted-quad/],
    [["192.168.10.0/24", "192.168.0.0/16"], "cidrList[1]", /overlaps `cidrList\[0\]` "192\.168\.10\.0\/24"/],
    [["192.168.0.0/16", "192.168.10.0/24"], "cidrList[1]", /overlaps `cidrList\[0\]`/],
    [["192.168.10.0/24", "192.168.11.0/24", "192.168.10.0/24"], "cidrList[2]", /overlaps `cidrList\[0\]`/],
  ])("fails when the list is %j (at %s)", (cidrList, path, reason) => {
    expect(at(customerGatewayIssues(customerGatewayInput({ cidrList })), path)[0]?.message).toMatch(reason);
  });

  it("accepts adjacent subnets that do not overlap", () => {
    expect(customerGatewayIssues(customerGatewayInput({ cidrList: ["192.168.10.0/25", "192.168.10.128/25"] }))).toEqual([]);
  });
});

describe("customerGatewaySchema lifetimes and DPD", () => {
  it.each([60, 3600, 86400])("accepts a lifetime of %i s", (seconds) => {
    expect(customerGatewayIssues(customerGatewayInput({ ikeLifetime: seconds, espLifetime: seconds }))).toEqual([]);
  });

  it.each([
    [0, /≥ 60/],
    [-3600, /≥ 60/],
    [59, /≥ 60/],
    [86401, /≤ 86400/],
    [3600.5, /integer|int/i],
  ])("fails when the lifetimes are %s", (seconds, reason) => {
    const issues = customerGatewayIssues(customerGatewayInput({ ikeLifetime: seconds, espLifetime: seconds }));
    expect(at(issues, "ikeLifetime")[0]?.message).toMatch(reason);
    expect(at(issues, "espLifetime")[0]?.message).toMatch(reason);
  });

  it("accepts DPD timers with the timeout longer than the delay", () => {
    expect(parseCustomerGateway(dynamic({ dpdDelaySeconds: 10, dpdTimeoutSeconds: 30 }))).toMatchObject({ dpdDelaySeconds: 10, dpdTimeoutSeconds: 30 });
  });

  it.each([[30, 30], [30, 60]])("fails when the DPD timeout (%i) is not longer than the delay (%i)", (timeout, delay) => {
    const [issue] = at(customerGatewayIssues(dynamic({ dpdDelaySeconds: delay, dpdTimeoutSeconds: timeout })), "dpdTimeoutSeconds");
    expect(issue?.message).toMatch(/must be longer than `dpdDelaySeconds`/);
  });

  it.each([["dpdDelaySeconds", 0], ["dpdDelaySeconds", 3601], ["dpdTimeoutSeconds", 0]])("fails when %s is %i", (field, value) => {
    expect(pathsOf(customerGatewayIssues(dynamic({ [field]: value })))).toContain(field);
  });

  it.each(["dpd", "forceEncap", "splitConnections", "allowLegacyCrypto"])("fails when %s is not a boolean", (field) => {
    expect(at(customerGatewayIssues(customerGatewayInput({ [field]: "yes" })), field)[0]?.message).toMatch(/wrong type: expected boolean/);
  });
});

describe("customerGatewaySchema ownership and name", () => {
  it("accepts account with domainId, and projectId alone", () => {
    expect(customerGatewayIssues(customerGatewayInput({ account: "acme", domainId: "d-1" }))).toEqual([]);
    expect(customerGatewayIssues(customerGatewayInput({ projectId: "p-1" }))).toEqual([]);
  });

  it("fails when account is set without domainId", () => {
    expect(at(customerGatewayIssues(customerGatewayInput({ account: "acme" })), "domainId")[0]?.message).toMatch(/required when `account` is set/);
  });

  it.each(["account", "domainId", "projectId", "name"])("fails when %s is empty", (field) => {
    expect(pathsOf(customerGatewayIssues(customerGatewayInput({ [field]: "", domainId: field === "domainId" ? "" : "d-1" })))).toContain(field);
  });

  it("fails when the name holds a control character", () => {
    expect(at(customerGatewayIssues(customerGatewayInput({ name: "paris\nx" })), "name")[0]?.message).toMatch(/control character/);
  });

  it("fails when a field is unknown", () => {
    expect(at(customerGatewayIssues(customerGatewayInput({ gateway: "203.0.113.20" })), "gateway")[0]?.code).toBe("unknown-field");
  });
});

describe("customerGatewaySchema pre-shared key", () => {
  it("accepts a short key for a static peer", () => {
    expect(customerGatewayIssues(customerGatewayInput({ ipsecPsk: "short" }))).toEqual([]);
  });

  it("fails when a dynamic peer's key is shorter than 20 characters", () => {
    expect(at(customerGatewayIssues(dynamic({ ipsecPsk: "x".repeat(19) })), "ipsecPsk")[0]?.message).toMatch(/at least 20/);
  });

  it.each([['with"quote', /double quote/], ["with\nnewline", /line break/], ["", /is empty/]])("fails when the key is %j", (ipsecPsk, reason) => {
    expect(at(customerGatewayIssues(customerGatewayInput({ ipsecPsk })), "ipsecPsk")[0]?.message).toMatch(reason);
  });

  it("fails when the key is missing", () => {
    expect(at(customerGatewayIssues({ peer: dynamicPeer(), cidrList: ["192.168.10.0/24"] }), "ipsecPsk")[0]?.code).toBe("required");
  });

  it.each([
    ["a short dynamic key", dynamic({ ipsecPsk: "LeakCanary-short" }), "LeakCanary-short"],
    ["a key with a quote", dynamic({ ipsecPsk: `${SECRET_PSK}"` }), SECRET_PSK],
    ["a key with a newline", dynamic({ ipsecPsk: `${SECRET_PSK}\nmore` }), SECRET_PSK],
    ["a key over 255 characters", customerGatewayInput({ ipsecPsk: SECRET_PSK.repeat(9) }), SECRET_PSK],
    ["a key of the wrong type", customerGatewayInput({ ipsecPsk: { value: SECRET_PSK } }), SECRET_PSK],
    ["a valid key beside other errors", dynamic({ ikeVersion: "ike", cidrList: ["x"], ikeLifetime: 0, bogus: SECRET_PSK.length }), SECRET_PSK],
  ])("never shows the key in any message: %s", (_label, input, secret) => {
    const issues = customerGatewayIssues(input);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.message).not.toContain(secret);
    expect(new ValidationError(issues).message).not.toContain(secret);
  });
});

describe("customerGatewaySchema reporting", () => {
  it("reports every independent problem at once, each at its own path", () => {
    // GIVEN one input with nine independent problems
    const input = {
      name: "x\u0007",
      peer: { type: "dynamic", remoteId: "%any", allowedSourceCidrs: ["203.0.113.9/24"] },
      cidrList: ["192.168.10.1/24"],
      ipsecPsk: "short",
      ikePolicy: "aes128-sha256",
      espPolicy: "AES128-sha256;modp2048",
      ikeVersion: "ikev1",
      ikeLifetime: 0,
      account: "acme",
    };
    // WHEN it is parsed
    const issues = customerGatewayIssues(input);
    // THEN each problem is reported under its own path
    const expected = ["name", "peer.remoteId", "peer.allowedSourceCidrs[0]", "cidrList[0]", "ipsecPsk", "ikePolicy", "espPolicy", "ikeVersion", "ikeLifetime", "domainId"];
    expect(new Set(pathsOf(issues))).toEqual(new Set(expected));
    expect(issues.length).toBeGreaterThanOrEqual(expected.length);
    for (const issue of issues) expect(issue.message.startsWith(`\`${issue.path}\``)).toBe(true);
  });

  it.each<[string, unknown]>([
    ["ikePolicy", [null]],
    ["espPolicy", [null, { cipher: "aes128" }]],
    ["cidrList", [null, 5]],
    ["peer", null],
    ["ipsecPsk", 42],
  ])("reports, never throws, when %s is %j", (field, value) => {
    const input = customerGatewayInput({ [field]: value });
    expect(() => customerGatewaySchema.safeParse(input)).not.toThrow();
    expect(pathsOf(customerGatewayIssues(input)).some((p) => p.startsWith(field))).toBe(true);
  });

  it.each([null, undefined, "text", []])("reports, never throws, when the whole input is %j", (input) => {
    const result = customerGatewaySchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(issuesFromZod(result.error, input)).toHaveLength(1);
  });
});
