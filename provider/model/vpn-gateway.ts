import { z } from "zod";

/** `VpnGateway` resource input: the VPC's side of the tunnels. */
export const vpnGatewaySchema = z
  .strictObject({
    vpcId: z.string().min(1).meta({ description: "The VPC to enable site-to-site VPN on. Changing it replaces the gateway." }),
    ipAddressId: z.string().min(1).optional().meta({ description: "Public IP to use (CloudStack ≥ 4.21). @default - the VPC's source-NAT IP" }),
    forDisplay: z.boolean().optional().meta({ description: "Show to the end user (admin only). @default true" }),
  })
  .meta({ title: "VpnGateway" });

export type VpnGatewayInput = z.input<typeof vpnGatewaySchema>;
export type VpnGatewaySpec = z.output<typeof vpnGatewaySchema>;
