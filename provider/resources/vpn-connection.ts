import * as pulumi from "@pulumi/pulumi";
import { connectionDeviceConfig } from "../render/device/connection";
import { commonProps, withSecretOutputs, type CommonArgs } from "./common-args";
import type { CustomerGateway } from "./customer-gateway";
import { brand, isCustomerGatewayLike, isVpnGatewayLike } from "./kinds";
import { providerFor, TYPE_MODULE } from "./provider-instances";
import type { VpnGateway } from "./vpn-gateway";

/** Inputs of a {@link VpnConnection}. */
export interface VpnConnectionArgs extends CommonArgs {
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
  /**
   * Vendor of the branch configuration in the `deviceConfig` output (see `cloudstack-s2s device-config --vendor
   * list`). Only used when both gateways are passed as resources. @default "strongswan-swanctl"
   */
  deviceConfigVendor?: pulumi.Input<string>;
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
  /**
   * The tunnel is up (as of the last create, update or refresh). Live telemetry (peer address, byte counters) is
   * not an output — it would change on every refresh; read it with `getTunnelStatus`.
   */
  declare readonly established: pulumi.Output<boolean>;
  /** The VPN gateway's public IP. */
  declare readonly publicIp: pulumi.Output<string>;
  /** Pushed dynamic peer: false when a refresh found the gateway differing from what was pushed (the next `up` pushes again). */
  declare readonly gatewayInSync: pulumi.Output<boolean | undefined>;
  /** Pushed dynamic peer: one line per difference found by the last refresh. */
  declare readonly gatewayDrift: pulumi.Output<string[] | undefined>;
  /** Ids of the VPC's routers (listRouters) at the last push; a refresh names a re-created router by them. Admin API: unset without it. */
  declare readonly gatewayRouterIds: pulumi.Output<string[] | undefined>;
  declare readonly adopted: pulumi.Output<{ id: string; state?: string } | undefined>;
  /**
   * Secret: the branch router's configuration (vendor from `deviceConfigVendor`), key included. Computed in the
   * program from the gateways' outputs, never stored in the state; undefined unless both gateways are resources.
   */
  readonly deviceConfig: pulumi.Output<string | undefined>;
  /** Layout version of these outputs (1 since 0.2.0). */
  declare readonly schemaVersion: pulumi.Output<number>;

  /** The state of an existing CloudStack VPN connection, by id (read-only here). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions & { cloudstack?: CommonArgs["cloudstack"] }): VpnConnection {
    const { cloudstack, ...rest } = opts ?? {};
    return new VpnConnection(name, { cloudstack } as unknown as VpnConnectionArgs, { ...rest, id });
  }

  constructor(name: string, args: VpnConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    // By shape, not instanceof: a resource from another copy of the SDK or of this package is still a resource.
    const vgw = isVpnGatewayLike(args.vpnGateway) ? (args.vpnGateway as VpnGateway) : undefined;
    const cgw = isCustomerGatewayLike(args.customerGateway) ? (args.customerGateway as CustomerGateway) : undefined;
    // What a push needs, given only when the customer gateway is pushed (`managedBy: "gateway"`): a connection
    // CloudStack manages stores no PSK and no SSH access in its state.
    const pushed = <T>(value: () => pulumi.Input<T> | undefined): pulumi.Output<T | undefined> | undefined =>
      cgw ? pulumi.all([cgw.managedBy, value()]).apply(([managedBy, v]) => (managedBy === "gateway" ? (v as T) : undefined)) : undefined;
    const props: Record<string, unknown> = {
      ...commonProps(args),
      vpnGatewayId: vgw ? vgw.id : args.vpnGateway,
      customerGatewayId: cgw ? cgw.id : args.customerGateway,
      passive: args.passive,
      forDisplay: args.forDisplay,
      waitForEstablished: args.waitForEstablished,
      establishedTimeoutSeconds: args.establishedTimeoutSeconds,
      adoptExisting: args.adoptExisting,
      // What a push needs (ignored on the CloudStack path): the gateway's address and access, the peer's settings.
      gateway: vgw ? pushed(() => pulumi.all([vgw.publicIp, vgw.vpcCidr, vgw.publicInterface]).apply(([publicIp, vpcCidr, publicInterface]) => ({ publicIp, vpcCidr, publicInterface }))) : undefined,
      gatewaySsh: vgw ? pushed(() => vgw.ssh) : undefined,
      customerGatewaySpec: pushed(() => cgw!.spec),
      ipsecPsk: cgw ? pulumi.secret(pushed(() => cgw.ipsecPsk)!) : undefined,
      managedBy: undefined,
      state: undefined,
      established: undefined,
      publicIp: undefined,
      gatewayInSync: undefined,
      gatewayDrift: undefined,
      gatewayRouterIds: undefined,
      adopted: undefined,
    };
    super(providerFor("vpn-connection"), name, props, withSecretOutputs(opts, ["ipsecPsk", "gatewaySsh"]), TYPE_MODULE, "VpnConnection");
    brand(this, "VpnConnection");
    this.deviceConfig =
      vgw && cgw
        ? pulumi.secret(
            pulumi.all([cgw.spec, cgw.ipsecPsk, vgw.publicIp, vgw.vpcCidr, args.deviceConfigVendor]).apply(([spec, psk, publicIp, vpcCidr, vendor]) => {
              if (vendor) return connectionDeviceConfig({ name, customerGatewaySpec: spec, psk, publicIp, vpcCidr, vendor });
              // The default export is a convenience: a gateway that cannot provide it (e.g. a mocked spec) leaves it
              // empty with a warning instead of failing the deployment. A vendor chosen explicitly fails loudly.
              try {
                return connectionDeviceConfig({ name, customerGatewaySpec: spec, psk, publicIp, vpcCidr });
              } catch (e) {
                void pulumi.log.warn(`deviceConfig not available: ${(e as Error).message}`, this);
                return undefined;
              }
            }),
          )
        : pulumi.secret(pulumi.output<string | undefined>(undefined));
  }
}
