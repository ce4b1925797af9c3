/**
 * Hand-written bindings for the apache/cloudstack Terraform provider (`cdktf get` needs the registry, which this
 * project cannot assume). Attribute names are exactly the provider's, from its Go source
 * (cloudstack/provider.go, cloudstack/resource_cloudstack_vpn_{gateway,customer_gateway,connection}.go).
 */
import type { Construct } from "constructs";
import { TerraformProvider, TerraformResource, type TerraformMetaArguments } from "cdktf";
import type { CloudStackProviderProps } from "./types";

/** Every attribute each resource of the provider has (arguments and computed), for checks and tests. */
export const CLOUDSTACK_PROVIDER_SCHEMA = {
  cloudstack: ["api_url", "api_key", "secret_key", "config", "profile", "http_get_only", "timeout"],
  cloudstack_vpn_gateway: ["vpc_id", "public_ip"],
  cloudstack_vpn_customer_gateway: ["name", "cidr", "esp_policy", "gateway", "ike_policy", "ipsec_psk", "dpd", "esp_lifetime", "ike_lifetime", "project"],
  cloudstack_vpn_connection: ["customer_gateway_id", "vpn_gateway_id", "project"],
} as const;

const METADATA = { providerName: "cloudstack", providerVersionConstraint: "~> 0.5" };

/** Drops undefined values: Terraform reads a missing optional attribute as "let the provider decide". */
function defined(attrs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined));
}


export class CloudstackProviderBinding extends TerraformProvider {
  constructor(scope: Construct, id: string, private readonly config: CloudStackProviderProps) {
    super(scope, id, {
      terraformResourceType: "cloudstack",
      terraformGeneratorMetadata: { ...METADATA, providerVersionConstraint: config.version ?? METADATA.providerVersionConstraint },
      terraformProviderSource: "cloudstack/cloudstack",
    });
    if (config.alias !== undefined) this.alias = config.alias;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return defined({ api_url: this.config.apiUrl, api_key: this.config.apiKey, http_get_only: this.config.httpGetOnly, timeout: this.config.timeout, alias: this.alias });
  }
}

export interface CloudstackVpnGatewayConfig extends TerraformMetaArguments {
  readonly vpcId: string;
}

export class CloudstackVpnGatewayBinding extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly config: CloudstackVpnGatewayConfig) {
    super(scope, id, { terraformResourceType: "cloudstack_vpn_gateway", terraformGeneratorMetadata: METADATA, ...metaOf(config) });
  }
  get publicIp(): string {
    return this.getStringAttribute("public_ip");
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { vpc_id: this.config.vpcId };
  }
}

export interface CloudstackVpnCustomerGatewayConfig extends TerraformMetaArguments {
  readonly name: string;
  /** Comma-separated, as the provider takes it. */
  readonly cidr: string;
  readonly espPolicy: string;
  readonly gateway: string;
  readonly ikePolicy: string;
  readonly ipsecPsk: string;
  readonly dpd?: boolean;
  readonly espLifetime?: number;
  readonly ikeLifetime?: number;
  readonly project?: string;
}

export class CloudstackVpnCustomerGatewayBinding extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly config: CloudstackVpnCustomerGatewayConfig) {
    super(scope, id, { terraformResourceType: "cloudstack_vpn_customer_gateway", terraformGeneratorMetadata: METADATA, ...metaOf(config) });
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return defined({ name: c.name, cidr: c.cidr, esp_policy: c.espPolicy, gateway: c.gateway, ike_policy: c.ikePolicy, ipsec_psk: c.ipsecPsk, dpd: c.dpd, esp_lifetime: c.espLifetime, ike_lifetime: c.ikeLifetime, project: c.project });
  }
}

export interface CloudstackVpnConnectionConfig extends TerraformMetaArguments {
  readonly customerGatewayId: string;
  readonly vpnGatewayId: string;
  readonly project?: string;
}

export class CloudstackVpnConnectionBinding extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly config: CloudstackVpnConnectionConfig) {
    super(scope, id, { terraformResourceType: "cloudstack_vpn_connection", terraformGeneratorMetadata: METADATA, ...metaOf(config) });
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return defined({ customer_gateway_id: this.config.customerGatewayId, vpn_gateway_id: this.config.vpnGatewayId, project: this.config.project });
  }
}

function metaOf(c: TerraformMetaArguments): TerraformMetaArguments {
  return defined({ dependsOn: c.dependsOn, count: c.count, provider: c.provider, lifecycle: c.lifecycle, forEach: c.forEach, provisioners: c.provisioners, connection: c.connection }) as TerraformMetaArguments;
}
