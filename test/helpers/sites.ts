import { parseSite, type SiteInput, type SiteSpec } from "../../provider/model/site";

export const TEST_PSK = "test-psk-0123456789-abcdefghijkl";

type DeepPartialCg = Partial<SiteInput["customerGateway"]>;

/** A valid dynamic-peer site, with overrides; throws if the result is invalid (tests of rendering need valid input). */
export function dynamicSite(overrides: DeepPartialCg = {}, name = "branch-lyon"): SiteSpec {
  return mustParse({
    name,
    vpnGateway: { vpcCidr: "10.1.0.0/16", publicIp: "198.51.100.10" },
    customerGateway: {
      peer: { type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: ["203.0.113.0/24"] },
      cidrList: ["192.168.10.0/24"],
      ipsecPsk: TEST_PSK,
      ...overrides,
    },
  });
}

export function staticSite(overrides: DeepPartialCg = {}, name = "datacenter-paris"): SiteSpec {
  return mustParse({
    name,
    vpnGateway: { vpcCidr: "10.1.0.0/16", publicIp: "198.51.100.10" },
    customerGateway: {
      peer: { type: "static", gateway: "203.0.113.10" },
      cidrList: ["172.16.0.0/20"],
      ipsecPsk: TEST_PSK,
      ...overrides,
    },
  });
}

export function mustParse(input: unknown): SiteSpec {
  const { site, issues } = parseSite(input);
  if (!site) throw new Error(`test site is invalid:\n${issues.map((i) => i.message).join("\n")}`);
  return site;
}
