import * as pulumi from "@pulumi/pulumi";
import { CustomerGateway } from "./customer-gateway";
import { providerFor, TYPE_MODULE } from "./provider-instances";
import { VpnGateway } from "./vpn-gateway";

/** Inputs of a {@link VpnConnection}. */
export interface VpnConnectionArgs {
  /**
   * The VPN gateway (VPC side): the resource, or the id of one managed elsewhere. Pass the resource when the peer
   * may have to be pushed (dynamic peer on CloudStack without the dynamic-peer API). Changing it replaces the
   * connection.
   */
  vpnGateway: VpnGateway | pulumi.Input<string>;
  /**
   * The customer gateway (branch side): the resource, or the CloudStack id of one managed elsewhere. Changing it
   * replaces the connection.
   */
  customerGateway: CustomerGateway | pulumi.Input<string>;
  /**
   * CloudStack waits for the peer to initiate. Changing it replaces the connection (CloudStack cannot update it).
   * Dynamic peers are responder-only whatever this says.
   *
   * @default false
   */
  passive?: pulumi.Input<boolean>;
  /** Show to the end user (admin only). @default true */
  forDisplay?: pulumi.Input<boolean>;
  /**
   * Wait until the tunnel is up (CloudStack reports `Connected`, or charon shows an ESTABLISHED SA for a pushed
   * peer). A connection that does not come up within `establishedTimeoutSeconds` fails the create and is removed
   * again.
   *
   * @default false
   */
  waitForEstablished?: pulumi.Input<boolean>;
  /** @default 300 */
  establishedTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Take over the existing connection of this gateway pair (reported in `adopted`) instead of failing on "one
   * connection per pair".
   *
   * @default false
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/**
 * Ties a customer gateway to a VPN gateway: a CloudStack VPN connection, or — for a dynamic peer on stock
 * CloudStack — the peer pushed to the router over SSH (`managedBy: "gateway"`).
 */
export class VpnConnection extends pulumi.dynamic.Resource {
  declare readonly vpnGatewayId: pulumi.Output<string>;
  declare readonly customerGatewayId: pulumi.Output<string>;
  /** `cloudstack` or `gateway` (pushed peer). */
  declare readonly managedBy: pulumi.Output<"cloudstack" | "gateway">;
  /** CloudStack's state (`Pending`, `Connecting`, `Connected`, `Disconnected`, `Error`); for a pushed peer `Connected`/`Disconnected` from charon. */
  declare readonly state: pulumi.Output<string>;
  /** The tunnel is up (as of the last create, update or refresh). */
  declare readonly established: pulumi.Output<boolean>;
  /** The VPN gateway's public IP. */
  declare readonly publicIp: pulumi.Output<string>;
  /** Pushed dynamic peer: the address the branch last connected from. */
  declare readonly peerAddress: pulumi.Output<string | undefined>;
  /** Pushed dynamic peer: bytes received / sent by its current SAs. */
  declare readonly bytesIn: pulumi.Output<number | undefined>;
  declare readonly bytesOut: pulumi.Output<number | undefined>;
  /** Pushed dynamic peer: false when a refresh found the gateway differing from what was pushed (the next `up` pushes again). */
  declare readonly gatewayInSync: pulumi.Output<boolean | undefined>;
  /** Pushed dynamic peer: one line per difference found by the last refresh. */
  declare readonly gatewayDrift: pulumi.Output<string[] | undefined>;
  /** Ids of the VPC's routers (listRouters) at the last push; a refresh names a re-created router by them. Admin API: unset without it. */
  declare readonly gatewayRouterIds: pulumi.Output<string[] | undefined>;
  declare readonly adopted: pulumi.Output<{ id: string; state?: string } | undefined>;

  constructor(name: string, args: VpnConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    const vgw = args.vpnGateway instanceof VpnGateway ? args.vpnGateway : undefined;
    const cgw = args.customerGateway instanceof CustomerGateway ? args.customerGateway : undefined;
    const props: Record<string, unknown> = {
      vpnGatewayId: vgw ? vgw.id : args.vpnGateway,
      customerGatewayId: cgw ? cgw.id : args.customerGateway,
      passive: args.passive,
      forDisplay: args.forDisplay,
      waitForEstablished: args.waitForEstablished,
      establishedTimeoutSeconds: args.establishedTimeoutSeconds,
      adoptExisting: args.adoptExisting,
      // What a push needs (ignored on the CloudStack path): the gateway's address and access, the peer's settings.
      gateway: vgw ? pulumi.all([vgw.publicIp, vgw.vpcCidr, vgw.publicInterface]).apply(([publicIp, vpcCidr, publicInterface]) => ({ publicIp, vpcCidr, publicInterface })) : undefined,
      gatewaySsh: vgw ? vgw.ssh : undefined,
      customerGatewaySpec: cgw ? cgw.spec : undefined,
      ipsecPsk: cgw ? pulumi.secret(cgw.ipsecPsk) : undefined,
      managedBy: undefined,
      state: undefined,
      established: undefined,
      publicIp: undefined,
      peerAddress: undefined,
      bytesIn: undefined,
      bytesOut: undefined,
      gatewayInSync: undefined,
      gatewayDrift: undefined,
      gatewayRouterIds: undefined,
      adopted: undefined,
    };
    super(providerFor("vpn-connection"), name, props, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "ipsecPsk", "gatewaySsh"] }, TYPE_MODULE, "VpnConnection");
  }
}
