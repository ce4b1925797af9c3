import { describe, expect, it } from "vitest";
import { vpnGatewaySchema } from "../../provider/model/vpn-gateway";

describe("vpnGatewaySchema", () => {
  it("accepts a VPC id with optional IP and display flag", () => {
    expect(vpnGatewaySchema.parse({ vpcId: "vpc-1", ipAddressId: "ip-1", forDisplay: false })).toEqual({ vpcId: "vpc-1", ipAddressId: "ip-1", forDisplay: false });
  });

  it.each([{}, { vpcId: "" }, { vpcId: "vpc-1", ipAddressId: "" }, { vpcId: "vpc-1", extra: 1 }])("fails when given %j", (input) => {
    expect(vpnGatewaySchema.safeParse(input).success).toBe(false);
  });
});
