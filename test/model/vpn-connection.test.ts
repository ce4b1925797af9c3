import { describe, expect, it } from "vitest";
import { vpnConnectionSchema } from "../../provider/model/vpn-connection";

describe("vpnConnectionSchema", () => {
  it("defaults passive to false", () => {
    expect(vpnConnectionSchema.parse({ vpnGatewayId: "vgw-1", customerGatewayId: "cgw-1" })).toEqual({ vpnGatewayId: "vgw-1", customerGatewayId: "cgw-1", passive: false });
  });

  it("keeps passive when set", () => {
    expect(vpnConnectionSchema.parse({ vpnGatewayId: "vgw-1", customerGatewayId: "cgw-1", passive: true }).passive).toBe(true);
  });

  it.each([
    { customerGatewayId: "cgw-1" },
    { vpnGatewayId: "vgw-1" },
    { vpnGatewayId: "", customerGatewayId: "cgw-1" },
    { vpnGatewayId: "vgw-1", customerGatewayId: "cgw-1", passive: "yes" },
    { vpnGatewayId: "vgw-1", customerGatewayId: "cgw-1", gateway: "203.0.113.20" },
  ])("fails when given %j", (input) => {
    expect(vpnConnectionSchema.safeParse(input).success).toBe(false);
  });
});
