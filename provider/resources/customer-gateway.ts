import * as pulumi from "@pulumi/pulumi";
import { commonProps, withSecretOutputs, type CommonArgs } from "./common-args";
import { brand } from "./kinds";
import { providerFor, TYPE_MODULE } from "./provider-instances";

/** The branch's public address: fixed. */
export interface StaticPeerArgs {
  type: pulumi.Input<"static">;
  /** The peer's public IPv4/IPv6 address (strict dotted quad) or host name, e.g. `203.0.113.20`. */
  gateway: pulumi.Input<string>;
}

/** The branch's public address changes; it is recognised by its IKE identity (responder only, IKEv2). */
export interface DynamicPeerArgs {
  type: pulumi.Input<"dynamic">;
  /** The IKE identity the branch router sends (`leftid` on its side), e.g. `branch@example.com`. */
  remoteId: pulumi.Input<string>;
  /**
   * The identity's type.
   *
   * @default - detected from `remoteId`: `=` → dn, dotted quad → ipv4, IPv6 → ipv6, `user@domain` → email, else fqdn
   */
  remoteIdType?: pulumi.Input<"ipv4" | "ipv6" | "fqdn" | "email" | "dn">;
  /**
   * IPv4 ranges the branch may connect from (its ISP's ranges); only these reach UDP 500/4500 and ESP.
   *
   * @default - required unless `allowAnySource` is true
   */
  allowedSourceCidrs?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Accept IKE from any source address; the PSK is then the only barrier.
   *
   * @default false
   */
  allowAnySource?: pulumi.Input<boolean>;
}

/** A proposal as an object instead of CloudStack's `cipher-hash;dhgroup` text. */
export interface ProposalArgs {
  cipher: pulumi.Input<"3des" | "aes128" | "aes192" | "aes256">;
  hash: pulumi.Input<"md5" | "sha1" | "sha256" | "sha384" | "sha512">;
  /**
   * Diffie-Hellman group (required in IKE policies; PFS group in ESP policies).
   *
   * @default - none (ESP without PFS)
   */
  dhGroup?: pulumi.Input<"modp1024" | "modp1536" | "modp2048" | "modp3072" | "modp4096" | "modp6144" | "modp8192">;
}

export type PolicyArgs = pulumi.Input<string | ProposalArgs | ProposalArgs[]>;

/** Inputs of a {@link CustomerGateway}; validated by the model's `customerGatewaySchema` in `check`. */
export interface CustomerGatewayArgs extends CommonArgs {
  /**
   * CloudStack name, unique per account. Changing it updates the gateway in place.
   *
   * @default - `VPN-<gateway>` (static) or `VPN-<remoteId>` (dynamic)
   */
  name?: pulumi.Input<string>;
  /** How the branch is reached. Changing `type` replaces the gateway. */
  peer: pulumi.Input<StaticPeerArgs | DynamicPeerArgs>;
  /** The branch's subnets: aligned IPv4 CIDRs, at most 10, disjoint, outside the VPC. */
  cidrList: pulumi.Input<pulumi.Input<string>[]>;
  /** Pre-shared key. Always stored and shown as a secret. No `"` or line breaks; ≥ 20 characters for dynamic peers. */
  ipsecPsk: pulumi.Input<string>;
  /**
   * IKE proposals (`cipher-hash;dhgroup`, comma-separated, or objects).
   *
   * @default "aes256-sha256;modp2048"
   */
  ikePolicy?: PolicyArgs;
  /**
   * ESP proposals; a DH group adds PFS (required for dynamic peers).
   *
   * @default "aes256-sha256;modp2048"
   */
  espPolicy?: PolicyArgs;
  /**
   * IKE version.
   *
   * @default - `ike` (auto) for static peers, `ikev2` for dynamic peers
   */
  ikeVersion?: pulumi.Input<"ike" | "ikev1" | "ikev2">;
  /** @default 86400 */
  ikeLifetime?: pulumi.Input<number>;
  /** @default 3600 */
  espLifetime?: pulumi.Input<number>;
  /**
   * Dead peer detection.
   *
   * @default - false for static peers, true for dynamic peers
   */
  dpd?: pulumi.Input<boolean>;
  /** DPD interval in seconds (dynamic peers pushed to the gateway; CloudStack's VR always uses 30). @default 30 */
  dpdDelaySeconds?: pulumi.Input<number>;
  /** DPD timeout in seconds (IKEv1 only in strongSwan; CloudStack's VR always uses 120). @default 120 */
  dpdTimeoutSeconds?: pulumi.Input<number>;
  /** Force UDP encapsulation (NAT-T). @default false */
  forceEncap?: pulumi.Input<boolean>;
  /** One child SA per peer CIDR. @default false */
  splitConnections?: pulumi.Input<boolean>;
  /** Permit 3des, md5 and modp1024 for a peer that cannot do better. @default false */
  allowLegacyCrypto?: pulumi.Input<boolean>;
  /** Owner account (needs `domainId`). Changing it replaces the gateway. @default - the caller's account */
  account?: pulumi.Input<string>;
  /** Owner domain id. Changing it replaces the gateway. @default - the caller's domain */
  domainId?: pulumi.Input<string>;
  /** Owner project id. Changing it replaces the gateway. @default - no project */
  projectId?: pulumi.Input<string>;
  /**
   * Take over a customer gateway of the same name that already exists (it is updated to these settings and
   * reported in `adopted`) instead of failing on CloudStack's unique name.
   *
   * @default false
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/**
 * The branch side of a site-to-site VPN. A CloudStack VPN customer gateway — or, for a dynamic peer on a
 * CloudStack without the dynamic-peer API (stock 4.22), a validated spec kept in the stack only
 * (`managedBy: "gateway"`, id `gateway:<uuid>`): its VpnConnection then pushes the peer to the router over SSH.
 */
export class CustomerGateway extends pulumi.dynamic.Resource {
  /** Resolved name (the default filled in). */
  declare readonly name: pulumi.Output<string>;
  declare readonly peer: pulumi.Output<Record<string, unknown>>;
  declare readonly cidrList: pulumi.Output<string[]>;
  /** Secret. */
  declare readonly ipsecPsk: pulumi.Output<string>;
  /** Canonical `cipher-hash;dhgroup` text. */
  declare readonly ikePolicy: pulumi.Output<string>;
  declare readonly espPolicy: pulumi.Output<string>;
  declare readonly ikeVersion: pulumi.Output<string>;
  declare readonly ikeLifetime: pulumi.Output<number>;
  declare readonly espLifetime: pulumi.Output<number>;
  declare readonly dpd: pulumi.Output<boolean>;
  /** `cloudstack` (a CloudStack object; the resource id is its uuid) or `gateway` (pushed by the connection). */
  declare readonly managedBy: pulumi.Output<"cloudstack" | "gateway">;
  /** The validated spec without the PSK (what a connection pushes). */
  declare readonly spec: pulumi.Output<Record<string, unknown>>;
  /** Set when `adoptExisting` took over an existing gateway: its id, name and the fields that were changed. */
  declare readonly adopted: pulumi.Output<{ id: string; name: string; changedFields: string[] } | undefined>;
  /** CloudStack ≥ 4.23: weak algorithms it flags. */
  declare readonly obsoleteParameters: pulumi.Output<string | undefined>;
  /** Layout version of these outputs (1 since 0.2.0; state of 0.1.0 has none and is migrated on the next `up`). */
  declare readonly schemaVersion: pulumi.Output<number>;

  /**
   * The state of an existing customer gateway, by CloudStack id (read-only here: Pulumi does not manage it). A
   * stack-only gateway (`gateway:<uuid>`, a pushed dynamic peer) has nothing to read in CloudStack.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions & { cloudstack?: CommonArgs["cloudstack"] }): CustomerGateway {
    const { cloudstack, ...rest } = opts ?? {};
    return new CustomerGateway(name, { cloudstack } as CustomerGatewayArgs, { ...rest, id });
  }

  constructor(name: string, args: CustomerGatewayArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {
      ...args,
      ...commonProps(args),
      ipsecPsk: args.ipsecPsk === undefined ? undefined : pulumi.secret(args.ipsecPsk),
      managedBy: undefined,
      spec: undefined,
      adopted: undefined,
      obsoleteParameters: undefined,
    };
    for (const k of ["name", "peer", "cidrList", "ikePolicy", "espPolicy", "ikeVersion", "ikeLifetime", "espLifetime", "dpd"]) props[k] ??= undefined;
    super(providerFor("customer-gateway"), name, props, withSecretOutputs(opts, ["ipsecPsk"]), TYPE_MODULE, "CustomerGateway");
    brand(this, "CustomerGateway");
  }
}
