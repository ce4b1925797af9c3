import { z } from "zod";

/** `VpnConnection` resource input: ties a customer gateway to a VPN gateway. */
export const vpnConnectionSchema = z
  .strictObject({
    vpnGatewayId: z.string().min(1).meta({ description: "The VPN gateway (VPC side). Changing it replaces the connection." }),
    customerGatewayId: z.string().min(1).meta({ description: "The customer gateway (branch side). Changing it replaces the connection." }),
    passive: z.boolean().default(false).meta({ description: "CloudStack waits for the peer to initiate and reports Disconnected until it does. Dynamic peers are always responder-only whatever this says." }),
    forDisplay: z.boolean().optional().meta({ description: "Show to the end user (admin only). @default true" }),
  })
  .meta({ title: "VpnConnection" });

export type VpnConnectionInput = z.input<typeof vpnConnectionSchema>;
export type VpnConnectionSpec = z.output<typeof vpnConnectionSchema>;
