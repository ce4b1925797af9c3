/**
 * `CloudStackProvider`, `VpnGateway`, `CustomerGateway`, `VpnConnection`: the CloudStack objects through the
 * apache/cloudstack Terraform provider (static peers). Each validates its props through the model at synth time.
 */
import { Construct } from "constructs";
import { Annotations, type ITerraformDependable, type TerraformProvider } from "cdktf";
import type { CloudStackProviderProps, PolicyInput } from "./types";

export type { CloudStackProviderProps } from "./types";
import { CloudstackProviderBinding, CloudstackVpnConnectionBinding, CloudstackVpnCustomerGatewayBinding, CloudstackVpnGatewayBinding } from "./bindings";
import { checkCustomerGatewayForProvider, checkVpnConnectionForProvider, checkVpnGatewayForProvider, refuse } from "./validation";


/** The apache/cloudstack Terraform provider (`cloudstack/cloudstack`); needed for static peers. */
export class CloudStackProvider extends CloudstackProviderBinding {
  constructor(scope: Construct, id: string, props: CloudStackProviderProps = {}) {
    super(scope, id, props);
    if (props.apiUrl !== undefined && !/^https?:\/\/[^\s?@]+$/.test(props.apiUrl)) {
      throw new Error(`CloudStackProvider ${this.node.path}: \`apiUrl\` ${JSON.stringify(props.apiUrl)} must be an http(s) URL without credentials or query, e.g. https://cloud.example.com/client/api`);
    }
  }
}

export interface VpnGatewayProps {
  /** The VPC to enable site-to-site VPN on. Changing it replaces the gateway. */
  readonly vpcId: string;
  /**
   * Not supported by the Terraform provider (an error if set); kept so the model's field is named, not dropped.
   *
   * @default - the VPC's source-NAT IP
   */
  readonly ipAddressId?: string;
  /**
   * Not supported by the Terraform provider (`false` is an error).
   *
   * @default true
   */
  readonly forDisplay?: boolean;
  /**
   * The provider to use.
   *
   * @default - the stack's default `cloudstack` provider
   */
  readonly provider?: TerraformProvider;
}

/** `cloudstack_vpn_gateway`: the VPC's side of the tunnels (one per VPC). */
export class VpnGateway extends Construct {
  readonly resource: CloudstackVpnGatewayBinding;
  /** The gateway's id (a token). */
  readonly id: string;
  /** The public IP CloudStack gave it (a token). */
  readonly publicIp: string;
  constructor(scope: Construct, id: string, props: VpnGatewayProps) {
    super(scope, id);
    const { provider, ...fields } = props;
    const { issues } = checkVpnGatewayForProvider({ ...fields });
    refuse(`VpnGateway ${this.node.path}`, issues);
    this.resource = new CloudstackVpnGatewayBinding(this, "gateway", { vpcId: props.vpcId, ...(provider ? { provider } : {}) });
    this.id = this.resource.getStringAttribute("id");
    this.publicIp = this.resource.publicIp;
  }
}

export interface StaticPeerInput {
  readonly type: "static";
  /** The peer's public IPv4/IPv6 address (strict dotted quad) or host name. */
  readonly gateway: string;
}

export interface CustomerGatewayProps {
  /**
   * CloudStack name, unique per account.
   *
   * @default - `VPN-<gateway>`
   */
  readonly name?: string;
  /** The branch: a static peer (a dynamic one is an error here; use SiteToSiteVpn). */
  readonly peer: StaticPeerInput;
  /** The branch's subnets: aligned IPv4 CIDRs, at most 10, disjoint, outside the VPC. */
  readonly cidrList: string[];
  /** A token of a sensitive TerraformVariable (a literal key is refused: it would land in cdk.tf.json). */
  readonly ipsecPsk: string;
  /** @default "aes256-sha256;modp2048" */
  readonly ikePolicy?: PolicyInput;
  /** @default "aes256-sha256;modp2048" */
  readonly espPolicy?: PolicyInput;
  /**
   * Only `"ike"` (the provider has no `ikeversion`).
   *
   * @default "ike"
   */
  readonly ikeVersion?: "ike" | "ikev1" | "ikev2";
  /** @default 86400 */
  readonly ikeLifetime?: number;
  /** @default 3600 */
  readonly espLifetime?: number;
  /** @default false */
  readonly dpd?: boolean;
  /**
   * Not a CloudStack field: CloudStack's router always writes 30 (a warning when set otherwise).
   *
   * @default 30
   */
  readonly dpdDelaySeconds?: number;
  /**
   * Not a CloudStack field: CloudStack's router always writes 120 (a warning when set otherwise).
   *
   * @default 120
   */
  readonly dpdTimeoutSeconds?: number;
  /**
   * Only `false` (the provider has no `forceencap`).
   *
   * @default false
   */
  readonly forceEncap?: boolean;
  /**
   * Only `false` (the provider has no `splitconnections`).
   *
   * @default false
   */
  readonly splitConnections?: boolean;
  /** @default false */
  readonly allowLegacyCrypto?: boolean;
  /**
   * Not supported by the provider (an error if set).
   *
   * @default - the provider's account
   */
  readonly account?: string;
  /**
   * Not supported by the provider (an error if set).
   *
   * @default - the provider's domain
   */
  readonly domainId?: string;
  /**
   * Owner project (the provider's `project`).
   *
   * @default - none
   */
  readonly projectId?: string;
  /** @default - the stack's default `cloudstack` provider */
  readonly provider?: TerraformProvider;
}

/** `cloudstack_vpn_customer_gateway`: a static branch. */
export class CustomerGateway extends Construct {
  readonly resource: CloudstackVpnCustomerGatewayBinding;
  readonly id: string;
  constructor(scope: Construct, id: string, props: CustomerGatewayProps) {
    super(scope, id);
    const { provider, ...fields } = props;
    const { spec, issues } = checkCustomerGatewayForProvider({ ...fields });
    refuse(`CustomerGateway ${this.node.path}`, issues);
    if (spec!.peer.type !== "static") throw new Error("unreachable: dynamic peers are refused above");
    if (spec!.dpdDelaySeconds !== 30 || spec!.dpdTimeoutSeconds !== 120) {
      Annotations.of(this).addWarning("dpdDelaySeconds/dpdTimeoutSeconds are not CloudStack fields: CloudStack's router always writes dpddelay=30, dpdtimeout=120");
    }
    this.resource = new CloudstackVpnCustomerGatewayBinding(this, "gateway", {
      name: spec!.name,
      cidr: spec!.cidrList.join(","),
      gateway: spec!.peer.gateway,
      ikePolicy: spec!.ikePolicy,
      espPolicy: spec!.espPolicy,
      ipsecPsk: props.ipsecPsk,
      dpd: spec!.dpd,
      ikeLifetime: spec!.ikeLifetime,
      espLifetime: spec!.espLifetime,
      ...(spec!.projectId !== undefined ? { project: spec!.projectId } : {}),
      ...(provider ? { provider } : {}),
    });
    this.id = this.resource.getStringAttribute("id");
  }
}

export interface VpnConnectionProps {
  /** The VPN gateway's id (e.g. `vpnGateway.id`). Changing it replaces the connection. */
  readonly vpnGatewayId: string;
  /** The customer gateway's id (e.g. `customerGateway.id`). Changing it replaces the connection. */
  readonly customerGatewayId: string;
  /**
   * Only `false` (the provider has no `passive`).
   *
   * @default false
   */
  readonly passive?: boolean;
  /**
   * Only `true` (the provider has no `fordisplay`).
   *
   * @default true
   */
  readonly forDisplay?: boolean;
  /** @default - none */
  readonly dependsOn?: ITerraformDependable[];
  /** @default - the stack's default `cloudstack` provider */
  readonly provider?: TerraformProvider;
}

/** `cloudstack_vpn_connection`: ties a customer gateway to a VPN gateway. */
export class VpnConnection extends Construct {
  readonly resource: CloudstackVpnConnectionBinding;
  readonly id: string;
  constructor(scope: Construct, id: string, props: VpnConnectionProps) {
    super(scope, id);
    const { provider, dependsOn, ...fields } = props;
    const { issues } = checkVpnConnectionForProvider({ ...fields });
    refuse(`VpnConnection ${this.node.path}`, issues);
    this.resource = new CloudstackVpnConnectionBinding(this, "connection", {
      vpnGatewayId: props.vpnGatewayId,
      customerGatewayId: props.customerGatewayId,
      ...(dependsOn ? { dependsOn } : {}),
      ...(provider ? { provider } : {}),
    });
    this.id = this.resource.getStringAttribute("id");
  }
}
