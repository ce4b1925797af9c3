/**
 * `SiteToSiteVpn`: one site (a site-file spec, or its path) as Terraform configuration.
 * - dynamic peers (and static ones with `staticVia: "cli"`): a `terraform_data` whose `local-exec` provisioners
 *   run `cloudstack-s2s push -` on create and `cloudstack-s2s unpush -` on destroy, the site document (no secret)
 *   kept in `input` so the destroy-time provisioner, which may only reference `self`, removes what was pushed;
 * - static peers (default): the apache/cloudstack provider's gateway, customer gateway and connection.
 * The PSK never enters the configuration or the state: the CLI reads it from the environment variable the site
 * names (`ipsecPsk: { env: NAME }`) or from `pskFile`; `triggers_replace` holds the rendered configuration's digest.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Construct } from "constructs";
import { Annotations, DataResource, TerraformVariable, type TerraformProvider } from "cdktf";
import { parse as parseYaml } from "yaml";
import { renderedConfigDigest } from "../deploy/config-digest";
import { makeIssue, type Issue } from "../model/issues";
import { parseSite, type SiteInput, type SiteSpec } from "../model/site";
import { CustomerGateway, VpnConnection, VpnGateway } from "./resources";
import { checkCustomerGatewayForProvider, checkVpnConnectionForProvider, InvalidPropsError, refuse } from "./validation";

export interface SiteToSiteVpnProps {
  /** The site: a spec object (as in a site file) or the path of a site file (YAML or JSON, relative to the cwd). */
  readonly site: SiteInput | string;
  /**
   * How a static peer is deployed: `provider` (the apache/cloudstack Terraform provider's resources) or `cli`
   * (`cloudstack-s2s push`, which sets the fields the provider lacks). Dynamic peers always use the CLI.
   *
   * @default "provider"
   */
  readonly staticVia?: "provider" | "cli";
  /**
   * The VPC's VPN gateway, shared by the sites of one VPC (CloudStack allows one per VPC). Pushes wait for it.
   *
   * @default - static peers via the provider: a VpnGateway is created; the CLI finds or creates the VPC's gateway
   */
  readonly vpnGateway?: VpnGateway;
  /**
   * The command that runs the CLI, as the shell of `terraform apply` finds it.
   *
   * @default "cloudstack-s2s"
   */
  readonly cli?: string;
  /**
   * A CloudStack credentials file ({"url","apiKey","secretKey"}, mode 0600) for the CLI.
   *
   * @default - `CLOUDSTACK_API_URL`/`CLOUDSTACK_API_KEY`/`CLOUDSTACK_SECRET_KEY` of the Terraform process
   */
  readonly credentialsFile?: string;
  /**
   * The router's SSH access file for the CLI (mode 0600; see `--gateway-ssh`).
   *
   * @default - `S2S_GATEWAY_SSH_FILE` or `S2S_GATEWAY_SSH` of the Terraform process
   */
  readonly gatewaySshFile?: string;
  /**
   * A file holding the PSK (mode 0600), instead of the environment variable the site names.
   *
   * @default - the site's `ipsecPsk: { env: NAME }`, from the Terraform process's environment
   */
  readonly pskFile?: string;
  /** @default - the stack's default `cloudstack` provider */
  readonly provider?: TerraformProvider;
}

/** Terraform interpolates `${…}` and `%{…}` in every string; the site document is data. */
const escapeTemplate = (text: string): string => text.replace(/([$%])\{/g, (_m, sigil: string) => `${sigil}${sigil}{`);
const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function loadSite(site: SiteInput | string): { document?: unknown; issues: Issue[] } {
  if (typeof site !== "string") return { document: site, issues: [] };
  try {
    return { document: parseYaml(readFileSync(resolve(site), "utf8"), { uniqueKeys: true }), issues: [] };
  } catch (e) {
    // Only the reason's first line: the parser may quote a line of the file, which could hold a key.
    return { issues: [makeIssue("site", "unreadable", `${JSON.stringify(site)} cannot be read as YAML/JSON (${String((e as Error).message).split("\n")[0]})`)] };
  }
}

/** A literal key in a pushed site would be written to cdk.tf.json and terraform.tfstate. */
function literalPsk(document: unknown): Issue[] {
  const psk = (document as { customerGateway?: { ipsecPsk?: unknown } } | undefined)?.customerGateway?.ipsecPsk;
  return typeof psk === "string" ? [makeIssue("customerGateway.ipsecPsk", "literal-psk", "holds the key itself, which would be written to cdk.tf.json and terraform.tfstate; use `{ env: NAME }` (or `pskFile`)")] : [];
}

export class SiteToSiteVpn extends Construct {
  /** The validated site (defaults applied; the PSK only as its reference). */
  readonly spec: SiteSpec;
  /** `cli`: the `terraform_data` carrying the push. */
  readonly push?: DataResource;
  /** `provider`: the CloudStack resources. */
  readonly customerGateway?: CustomerGateway;
  readonly connection?: VpnConnection;
  readonly vpnGateway?: VpnGateway;
  /** `provider`: the sensitive variable the PSK comes from (`TF_VAR_<name>`). */
  readonly pskVariable?: TerraformVariable;

  constructor(scope: Construct, id: string, props: SiteToSiteVpnProps) {
    super(scope, id);
    const label = `SiteToSiteVpn ${this.node.path}`;
    const loaded = loadSite(props.site);
    refuse(label, loaded.issues);
    const parsed = parseSite(loaded.document);
    refuse(label, [...parsed.issues, ...(this.viaCli(loaded.document, props) ? literalPsk(loaded.document) : [])]);
    this.spec = parsed.site!;
    for (const w of parsed.issues.filter((i) => i.severity === "warning")) Annotations.of(this).addWarning(w.message);
    const viaCli = this.spec.customerGateway.peer.type === "dynamic" || props.staticVia === "cli";
    if (viaCli) this.push = this.pushResource(label, loaded.document, props);
    else Object.assign(this, this.providerResources(label, props));
  }

  private viaCli(document: unknown, props: SiteToSiteVpnProps): boolean {
    const peer = (document as { customerGateway?: { peer?: { type?: unknown } } } | undefined)?.customerGateway?.peer;
    return peer?.type === "dynamic" || props.staticVia === "cli";
  }

  private pushResource(label: string, document: unknown, props: SiteToSiteVpnProps): DataResource {
    const ref = this.spec.customerGateway.ipsecPsk;
    if (!this.spec.vpnGateway.vpcId) refuse(label, [makeIssue("vpnGateway.vpcId", "required-for-push", "is required: `cloudstack-s2s push` finds the VPC's VPN gateway by it")]);
    const pskFromEnv = typeof ref === "object" ? process.env[ref.env] : undefined;
    if (pskFromEnv === undefined && props.pskFile === undefined) {
      Annotations.of(this).addWarning(`the PSK (${typeof ref === "object" ? ref.env : "?"}) is not set at synth time: a changed key will not re-push by itself (taint the push, or synthesize with it set)`);
    }
    const cli = props.cli ?? "cloudstack-s2s";
    const flags = (destroy: boolean) => [
      ...(props.credentialsFile !== undefined ? [`--credentials-file ${quote(resolve(props.credentialsFile))}`] : []),
      ...(props.gatewaySshFile !== undefined ? [`--gateway-ssh ${quote(resolve(props.gatewaySshFile))}`] : []),
      ...(props.pskFile !== undefined && !destroy ? [`--psk-file ${quote(resolve(props.pskFile))}`] : []),
    ].join(" ");
    // The document goes to the CLI on stdin, read from the provisioner's environment: never an argument.
    const run = (command: "push" | "unpush") => `printf '%s' "$S2S_SITE" | ${cli} ${command} - ${flags(command === "unpush")}`.trimEnd();
    const resource = new DataResource(this, "push", {
      input: { site_name: this.spec.name, site: escapeTemplate(JSON.stringify(document)), push: escapeTemplate(run("push")), unpush: escapeTemplate(run("unpush")) },
      triggersReplace: { rendered: renderedConfigDigest(this.spec, pskFromEnv) },
      ...(props.vpnGateway ? { dependsOn: [props.vpnGateway.resource] } : {}),
      provisioners: [
        { type: "local-exec", command: "${self.input.push}", environment: { S2S_SITE: "${self.input.site}" } },
        { type: "local-exec", when: "destroy", command: "${self.input.unpush}", environment: { S2S_SITE: "${self.input.site}" } },
      ],
    });
    return resource;
  }

  private providerResources(label: string, props: SiteToSiteVpnProps) {
    const site = this.spec;
    const ref = site.customerGateway.ipsecPsk;
    const variable = new TerraformVariable(this, "psk", { type: "string", sensitive: true, description: `PSK of site ${site.name}${typeof ref === "object" ? ` (the site names ${ref.env}; export TF_VAR_${site.name.replace(/-/g, "_")}_psk=$${ref.env})` : ""}` });
    variable.overrideLogicalId(`${site.name.replace(/-/g, "_")}_psk`);
    const { ipsecPsk: _ref, ...cg } = site.customerGateway;
    const raw = { ...cg, ipsecPsk: variable.stringValue };
    const issues = [
      ...checkCustomerGatewayForProvider(raw as Record<string, unknown>, "customerGateway.").issues,
      ...checkVpnConnectionForProvider({ vpnGatewayId: "-", customerGatewayId: "-", passive: site.connection.passive, ...(site.connection.forDisplay !== undefined ? { forDisplay: site.connection.forDisplay } : {}) }, "connection.").issues,
      ...(site.vpnGateway.vpcId || props.vpnGateway ? [] : [makeIssue("vpnGateway.vpcId", "required", "is required to create the VPC's VPN gateway (or pass `vpnGateway`)")]),
    ];
    refuse(label, issues);
    const provider = props.provider ? { provider: props.provider } : {};
    const vpnGateway = props.vpnGateway ?? new VpnGateway(this, "vpn-gateway", { vpcId: site.vpnGateway.vpcId!, ...provider });
    const customerGateway = new CustomerGateway(this, "customer-gateway", { ...(raw as unknown as ConstructorParameters<typeof CustomerGateway>[2]), ...provider });
    const connection = new VpnConnection(this, "connection", { vpnGatewayId: vpnGateway.id, customerGatewayId: customerGateway.id, ...provider });
    return { vpnGateway, customerGateway, connection, pskVariable: variable };
  }
}

export { InvalidPropsError };
