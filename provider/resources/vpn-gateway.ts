import * as pulumi from "@pulumi/pulumi";
import { commonProps, withSecretOutputs, type CommonArgs } from "./common-args";
import { brand } from "./kinds";
import { providerFor, TYPE_MODULE } from "./provider-instances";

/** One SSH hop. */
export interface SshEndpointArgs {
  /** Address or name of the host. */
  host: pulumi.Input<string>;
  /** @default 3922 for the gateway (CloudStack's VR), 22 for a jump host */
  port?: pulumi.Input<number>;
  /** @default "root" */
  username?: pulumi.Input<string>;
  /** The private key itself (PEM or OpenSSH), never a path. Stored as a secret. */
  privateKey: pulumi.Input<string>;
  /** The pinned host key: `SHA256:…` (`ssh-keygen -lf`) or a known_hosts line. There is no trust on first use. */
  hostKey: pulumi.Input<string>;
}

/** How to reach the router that holds the gateway's public IP. */
export interface GatewaySshArgs extends SshEndpointArgs {
  /**
   * Reach the gateway through this host first (e.g. the hypervisor of a VR, whose sshd listens on link-local).
   *
   * @default - connect directly
   */
  jump?: pulumi.Input<SshEndpointArgs>;
  /**
   * A redundant VPC's other router (`redundantvpcrouter`; listRouters shows two). Every push then goes to both
   * routers in one transaction — both or neither — so a VRRP failover finds the peer on the new PRIMARY. Required
   * when CloudStack lists two routers for the VPC.
   *
   * @default - one router
   */
  secondRouter?: pulumi.Input<SecondRouterArgs>;
  /**
   * With `secondRouter`: when one router cannot be reached (connection refused or timed out; never a refused host
   * key), push to the other and record the unreachable one as out of sync (`gatewayInSync: false`, naming it).
   *
   * @default false - the push fails, naming the router
   */
  allowPartialPush?: pulumi.Input<boolean>;
}

/** The second router of a redundant pair: its own address and host key; the rest defaults to the first router's. */
export interface SecondRouterArgs {
  /** Its control address (listRouters `linklocalip`) or name. */
  host: pulumi.Input<string>;
  /** @default 3922 */
  port?: pulumi.Input<number>;
  /** @default - the first router's */
  username?: pulumi.Input<string>;
  /** @default - the first router's (CloudStack injects one key into every router) */
  privateKey?: pulumi.Input<string>;
  /** Its own pinned host key: `SHA256:…` or a known_hosts line. */
  hostKey: pulumi.Input<string>;
  /** @default - the first router's `jump` */
  jump?: pulumi.Input<SshEndpointArgs>;
}

/** Inputs of a {@link VpnGateway}. */
export interface VpnGatewayArgs extends CommonArgs {
  /** The VPC to enable site-to-site VPN on. Changing it replaces the gateway. */
  vpcId: pulumi.Input<string>;
  /**
   * Public IP to use (CloudStack ≥ 4.21). Changing it replaces the gateway (the old one is deleted first: one
   * gateway per VPC).
   *
   * @default - the VPC's source-NAT IP
   */
  ipAddressId?: pulumi.Input<string>;
  /** Show to the end user (admin only). @default true */
  forDisplay?: pulumi.Input<boolean>;
  /**
   * SSH access to the router, used only to push dynamic peers when CloudStack has no dynamic-peer API. The whole
   * value is stored as a secret (it holds private keys).
   *
   * @default - none; a connection that needs a push then fails its check with `vpnGateway.ssh`
   */
  ssh?: pulumi.Input<GatewaySshArgs>;
  /** The router's public interface (where pushed firewall rules apply). @default "eth1" */
  publicInterface?: pulumi.Input<string>;
  /**
   * Take over the VPC's existing VPN gateway (reported in `adopted`) instead of failing on "one gateway per VPC".
   *
   * @default false
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/** The VPC side of site-to-site VPNs: CloudStack's VPN gateway of one VPC. */
export class VpnGateway extends pulumi.dynamic.Resource {
  declare readonly vpcId: pulumi.Output<string>;
  /** The gateway's public IPv4 address: what branch routers connect to. */
  declare readonly publicIp: pulumi.Output<string>;
  /** The VPC's CIDR (the local side of every tunnel). */
  declare readonly vpcCidr: pulumi.Output<string>;
  declare readonly vpcName: pulumi.Output<string | undefined>;
  declare readonly publicInterface: pulumi.Output<string>;
  /** Secret: the SSH access as given. */
  declare readonly ssh: pulumi.Output<Record<string, unknown> | undefined>;
  /** `user@host:port` (and ` via …` for a jump host): not secret. */
  declare readonly sshTarget: pulumi.Output<string | undefined>;
  declare readonly account: pulumi.Output<string | undefined>;
  declare readonly domainId: pulumi.Output<string | undefined>;
  /** Set when `adoptExisting` took over the VPC's gateway: its id, VPC and public IP. */
  declare readonly adopted: pulumi.Output<{ id: string; vpcId: string; publicIp?: string } | undefined>;
  /** Layout version of these outputs (1 since 0.2.0). */
  declare readonly schemaVersion: pulumi.Output<number>;

  /**
   * The state of an existing VPN gateway, by CloudStack id (read-only here). To find the id from a VPC, see
   * `lookupVpnGateway`. SSH access is not part of CloudStack's object: a gateway read this way cannot push peers.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions & { cloudstack?: CommonArgs["cloudstack"] }): VpnGateway {
    const { cloudstack, ...rest } = opts ?? {};
    return new VpnGateway(name, { cloudstack } as VpnGatewayArgs, { ...rest, id });
  }

  constructor(name: string, args: VpnGatewayArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {
      ...args,
      ...commonProps(args),
      ssh: args.ssh === undefined ? undefined : pulumi.secret(args.ssh),
      publicIp: undefined,
      vpcCidr: undefined,
      vpcName: undefined,
      sshTarget: undefined,
      account: undefined,
      domainId: undefined,
      adopted: undefined,
    };
    props.publicInterface ??= undefined;
    super(providerFor("vpn-gateway"), name, props, withSecretOutputs(opts, ["ssh"]), TYPE_MODULE, "VpnGateway");
    brand(this, "VpnGateway");
  }
}
