import { describe, expect, it } from "vitest";
import { at, customerGatewayInput, customerGatewayIssues, dynamicPeer, parseCustomerGateway, pathsOf } from "./builders";

const dynamic = (overrides: Record<string, unknown> = {}) => customerGatewayInput({ peer: dynamicPeer(), ...overrides });

describe("customerGatewaySchema policies: normalisation", () => {
  it.each<[string, unknown, string]>([
    ["a CloudStack string", "aes128-sha256;modp3072", "aes128-sha256;modp3072"],
    ["a multi-proposal string", "aes256-sha512;modp4096,aes128-sha256;modp2048", "aes256-sha512;modp4096,aes128-sha256;modp2048"],
    ["one typed object", { cipher: "aes192", hash: "sha384", dhGroup: "modp6144" }, "aes192-sha384;modp6144"],
    ["an array of typed objects", [{ cipher: "aes256", hash: "sha256", dhGroup: "modp2048" }, { cipher: "aes128", hash: "sha1", dhGroup: "modp1536" }], "aes256-sha256;modp2048,aes128-sha1;modp1536"],
  ])("normalises %s to the canonical string", (_label, policy, canonical) => {
    const cg = parseCustomerGateway(customerGatewayInput({ ikePolicy: policy, espPolicy: policy }));
    expect(cg.ikePolicy).toBe(canonical);
    expect(cg.espPolicy).toBe(canonical);
  });

  it("accepts an ESP policy without a PFS group for a static peer", () => {
    expect(parseCustomerGateway(customerGatewayInput({ espPolicy: { cipher: "aes256", hash: "sha256" } })).espPolicy).toBe("aes256-sha256");
  });
});

describe("customerGatewaySchema policies: grammar", () => {
  it.each([
    ["", /is empty/],
    ["aes128-sha256;modp2048,", /stray comma/],
    [",aes128-sha256;modp2048", /is empty/],
    ["aes128-sha256;modp2048,,aes256-sha256;modp2048", /is empty/],
    ["aes128-sha256;", /unknown DH group ""/],
    ["aes128-sha256;modp2048;junk", /more than one ';'/],
    ["AES128-sha256;modp2048", /unknown cipher "AES128"/],
    ["aes128-SHA256;modp2048", /unknown hash "SHA256"/],
    ["blowfish-sha256;modp2048", /unknown cipher "blowfish"/],
    ["aes128-sha256;modp768", /unknown DH group "modp768"/],
    ["aes128_sha256;modp2048", /not of the form cipher-hash/],
  ])("fails when ikePolicy is %j, naming the path and the value", (ikePolicy, reason) => {
    const [issue] = at(customerGatewayIssues(customerGatewayInput({ ikePolicy })), "ikePolicy");
    expect(issue?.code).toBe("invalid-policy");
    expect(issue?.message).toMatch(new RegExp(`^\`ikePolicy\` ${JSON.stringify(ikePolicy).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    expect(issue?.message).toMatch(reason);
  });

  it("fails when espPolicy is malformed, at espPolicy", () => {
    expect(at(customerGatewayIssues(customerGatewayInput({ espPolicy: "aes128-sha256;" })), "espPolicy")[0]?.code).toBe("invalid-policy");
  });

  it.each<[string, unknown]>([
    ["an unknown cipher", { cipher: "des", hash: "sha256", dhGroup: "modp2048" }],
    ["an unknown field", { cipher: "aes128", hash: "sha256", dhGroup: "modp2048", prf: "sha256" }],
    ["an empty array", []],
    ["a number", 7],
  ])("fails when a typed policy has %s", (_label, ikePolicy) => {
    expect(pathsOf(customerGatewayIssues(customerGatewayInput({ ikePolicy }))).filter((p) => p.startsWith("ikePolicy")).length).toBeGreaterThan(0);
  });
});

describe("customerGatewaySchema policies: DH groups", () => {
  it.each<[string, unknown]>([
    ["a string without a group", "aes256-sha256"],
    ["one proposal of two without a group", "aes256-sha256;modp2048,aes128-sha256"],
    ["a typed object without dhGroup", { cipher: "aes256", hash: "sha256" }],
    ["an array with one object without dhGroup", [{ cipher: "aes256", hash: "sha256", dhGroup: "modp2048" }, { cipher: "aes128", hash: "sha256" }]],
  ])("fails when the IKE policy is %s", (_label, ikePolicy) => {
    expect(at(customerGatewayIssues(customerGatewayInput({ ikePolicy })), "ikePolicy")[0]?.message).toMatch(/without a DH group; IKE needs a Diffie-Hellman group/);
  });

  it.each<[string, unknown]>([
    ["a string without a group", "aes256-sha256"],
    ["a typed object without dhGroup", { cipher: "aes256", hash: "sha256" }],
  ])("fails when a dynamic peer's ESP policy is %s (PFS required)", (_label, espPolicy) => {
    const [issue] = at(customerGatewayIssues(dynamic({ espPolicy })), "espPolicy");
    expect(issue?.code).toBe("missing-dh-group");
    expect(issue?.message).toMatch(/dynamic peer needs PFS/);
  });
});

describe("customerGatewaySchema policies: legacy crypto", () => {
  it.each([
    ["ikePolicy", "3des-sha256;modp2048", /uses 3des/],
    ["ikePolicy", "aes128-md5;modp2048", /uses md5/],
    ["ikePolicy", "aes128-sha256;modp1024", /uses modp1024/],
    ["espPolicy", "3des-sha1", /uses 3des/],
    ["espPolicy", "aes128-md5", /uses md5/],
    ["espPolicy", "aes128-sha1;modp1024", /uses modp1024/],
  ])("fails when %s is %j without allowLegacyCrypto", (field, policy, reason) => {
    const [issue] = at(customerGatewayIssues(customerGatewayInput({ [field]: policy })), field);
    expect(issue?.code).toBe("legacy-crypto");
    expect(issue?.message).toMatch(reason);
    expect(issue?.message).toMatch(/allowLegacyCrypto: true/);
  });

  it("fails when a typed proposal uses a legacy algorithm", () => {
    expect(at(customerGatewayIssues(customerGatewayInput({ ikePolicy: { cipher: "3des", hash: "sha256", dhGroup: "modp2048" } })), "ikePolicy")[0]?.code).toBe("legacy-crypto");
  });

  it("accepts legacy algorithms with allowLegacyCrypto: true", () => {
    const cg = parseCustomerGateway(customerGatewayInput({ ikePolicy: "3des-md5;modp1024", espPolicy: "3des-md5", allowLegacyCrypto: true }));
    expect(cg).toMatchObject({ ikePolicy: "3des-md5;modp1024", espPolicy: "3des-md5" });
  });

  it("accepts sha1 and modp1536 (weak but not refused)", () => {
    expect(customerGatewayIssues(customerGatewayInput({ ikePolicy: "aes128-sha1;modp1536", espPolicy: "aes128-sha1" }))).toEqual([]);
  });
});
