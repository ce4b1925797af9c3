/**
 * The example's stack synthesizes (cdktf's testing helpers, no terraform): one shared VPN gateway, the datacenter
 * as the provider's resources with the PSK from a sensitive variable, the branch as a push `terraform_data` that
 * waits for the gateway; no key in the JSON.
 */
import { Testing } from "cdktf";
import { expect, it } from "vitest";
import { BranchesStack } from "./main";

it("synthesizes the static site as provider resources and the dynamic one as a push", () => {
  process.env.LYON_PSK = "example-test-key-0123456789abcdef";
  const json = Testing.synth(new BranchesStack(Testing.app(), "branches"), true);
  const doc = JSON.parse(json) as { resource: Record<string, Record<string, Record<string, unknown>>>; variable: Record<string, unknown> };
  expect(Object.keys(doc.resource.cloudstack_vpn_gateway!)).toHaveLength(1);
  expect(Testing.toHaveResourceWithProperties(json, "cloudstack_vpn_customer_gateway", { name: "paris-dc", gateway: "203.0.113.20", ipsec_psk: "${var.paris_dc_psk}" })).toBe(true);
  expect(Testing.toHaveResource(json, "cloudstack_vpn_connection")).toBe(true);
  const [push] = Object.values(doc.resource.terraform_data!);
  expect(push).toMatchObject({ depends_on: [expect.stringMatching(/^cloudstack_vpn_gateway\./)], input: { site_name: "branch-lyon" } });
  expect(json).not.toContain(process.env.LYON_PSK);
});
