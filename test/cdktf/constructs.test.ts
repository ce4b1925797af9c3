/**
 * The CDKTF constructs, synthesized with cdktf's own testing helpers (no terraform, no registry): each emits the
 * apache/cloudstack provider's resources with exactly the provider's attribute names, or the push `terraform_data`;
 * every construct validates through the model and refuses invalid props with the model's messages and field paths;
 * fields the provider lacks are errors naming the way out; the PSK never reaches cdk.tf.json.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { CLOUDSTACK_PROVIDER_SCHEMA, CloudStackProvider, CustomerGateway, SiteToSiteVpn, VpnConnection, VpnGateway } from "../../provider/cdktf";
import type { SiteInput } from "../../provider/model/site";

const VPC = "5b8d6c3e-0000-4000-8000-00000000a001";
const dynamicSite = (extra: Record<string, unknown> = {}): SiteInput => ({
  name: "branch-lyon",
  vpnGateway: { vpcId: VPC, vpcCidr: "10.1.0.0/16", publicIp: "198.51.100.10" },
  customerGateway: { peer: { type: "dynamic", remoteId: "branch-lyon@example.com", allowedSourceCidrs: ["203.0.113.0/25"] }, cidrList: ["192.168.10.0/24"], ipsecPsk: { env: "LYON_PSK" }, ...extra },
});
const staticSite = (extra: Record<string, unknown> = {}, connection: Record<string, unknown> = {}): SiteInput => ({
  name: "paris-dc",
  vpnGateway: { vpcId: VPC, vpcCidr: "10.1.0.0/16" },
  customerGateway: { peer: { type: "static", gateway: "203.0.113.9" }, cidrList: ["172.16.0.0/20"], ipsecPsk: { env: "DC_PSK" }, ...extra },
  connection,
}) as SiteInput;

type Synth = Record<string, Record<string, Record<string, Record<string, unknown>>>>;
const parse = (json: string) => JSON.parse(json) as Synth;
const only = (json: string, type: string) => Object.values(parse(json).resource?.[type] ?? {});
/** Every attribute a synthesized resource of the provider carries is one the provider's Go schema has. */
function expectProviderAttributes(json: string): void {
  for (const type of ["cloudstack_vpn_gateway", "cloudstack_vpn_customer_gateway", "cloudstack_vpn_connection"] as const) {
    for (const res of only(json, type)) {
      const attrs = Object.keys(res).filter((k) => !["depends_on", "provider", "//", "lifecycle"].includes(k));
      expect(attrs.filter((a) => !(CLOUDSTACK_PROVIDER_SCHEMA[type] as readonly string[]).includes(a)), type).toEqual([]);
    }
  }
}
const synthErr = (fn: Parameters<typeof Testing.synthScope>[0]): string => {
  try {
    Testing.synthScope(fn);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("synth did not fail");
};

describe("CloudStackProvider / VpnGateway / CustomerGateway / VpnConnection", () => {
  it("emit the provider's resources with the provider's attribute names; the PSK is a sensitive variable reference", () => {
    const json = Testing.synthScope((scope) => {
      new CloudStackProvider(scope, "cs", { apiUrl: "https://cloud.example.com/client/api" });
      const psk = new TerraformVariable(scope, "psk", { type: "string", sensitive: true });
      const gw = new VpnGateway(scope, "gw", { vpcId: VPC });
      const cgw = new CustomerGateway(scope, "dc", { peer: { type: "static", gateway: "203.0.113.9" }, cidrList: ["172.16.0.0/20", "172.17.0.0/20"], ipsecPsk: psk.stringValue, ikePolicy: [{ cipher: "aes256", hash: "sha256", dhGroup: "modp2048" }], projectId: "p-1" });
      new VpnConnection(scope, "conn", { vpnGatewayId: gw.id, customerGatewayId: cgw.id });
    });
    expect(Testing.toHaveProviderWithProperties(json, "cloudstack", { api_url: "https://cloud.example.com/client/api" })).toBe(true);
    expect(Testing.toHaveResourceWithProperties(json, "cloudstack_vpn_gateway", { vpc_id: VPC })).toBe(true);
    expect(
      Testing.toHaveResourceWithProperties(json, "cloudstack_vpn_customer_gateway", {
        name: "VPN-203.0.113.9",
        gateway: "203.0.113.9",
        cidr: "172.16.0.0/20,172.17.0.0/20",
        ike_policy: "aes256-sha256;modp2048",
        esp_policy: "aes256-sha256;modp2048",
        ipsec_psk: "${var.psk}",
        dpd: false,
        ike_lifetime: 86400,
        esp_lifetime: 3600,
        project: "p-1",
      }),
    ).toBe(true);
    expect(only(json, "cloudstack_vpn_connection")[0]).toMatchObject({ vpn_gateway_id: expect.stringMatching(/^\$\{cloudstack_vpn_gateway\..*\.id\}$/), customer_gateway_id: expect.stringMatching(/^\$\{cloudstack_vpn_customer_gateway\..*\.id\}$/) });
    expectProviderAttributes(json);
    expect(parse(json).terraform).toMatchObject({ required_providers: { cloudstack: { source: "cloudstack/cloudstack", version: "~> 0.5" } } });
  });

  it("invalid props fail synth with the model's messages and paths, all at once; a literal PSK is refused", () => {
    const msg = synthErr((scope) => new CustomerGateway(scope, "dc", { peer: { type: "static", gateway: "203.0.113.999" }, cidrList: ["172.16.0.1/20"], ipsecPsk: "literal-key-in-the-program-0123", ikeLifetime: 5 }));
    expect(msg).toMatch(/^CustomerGateway .*\/dc: invalid props, nothing was synthesized:/);
    expect(msg).toMatch(/`ipsecPsk` is the key itself, which would be written to cdk\.tf\.json; pass a sensitive TerraformVariable/);
    expect(msg).toMatch(/`peer\.gateway` "203\.0\.113\.999"/);
    expect(msg).toMatch(/`cidrList\[0\]` "172\.16\.0\.1\/20" has host bits set/);
    expect(msg).toMatch(/`ikeLifetime`/);
    expect(msg).not.toContain("literal-key-in-the-program-0123");
    expect(synthErr((scope) => new VpnConnection(scope, "c", { vpnGatewayId: "", customerGatewayId: "x" }))).toMatch(/`vpnGatewayId`/);
    expect(synthErr((scope) => new VpnGateway(scope, "g", { vpcId: "" }))).toMatch(/`vpcId`/);
  });

  it("fields the Terraform provider lacks are errors naming the field and the alternative, never dropped", () => {
    const psk = (scope: Parameters<Parameters<typeof Testing.synthScope>[0]>[0]) => new TerraformVariable(scope, "psk", { sensitive: true }).stringValue;
    const cg = synthErr((scope) => new CustomerGateway(scope, "dc", { peer: { type: "static", gateway: "203.0.113.9" }, cidrList: ["172.16.0.0/20"], ipsecPsk: psk(scope), ikeVersion: "ikev2", forceEncap: true, splitConnections: true, account: "a", domainId: "d" }));
    for (const field of ["ikeVersion", "forceEncap", "splitConnections", "account", "domainId"]) expect(cg).toMatch(new RegExp(`\`${field}\`.*the cloudstack Terraform provider has no`));
    expect(cg).toMatch(/staticVia: "cli"/);
    expect(synthErr((scope) => new VpnConnection(scope, "c", { vpnGatewayId: "a", customerGatewayId: "b", passive: true }))).toMatch(/`passive` true: the cloudstack Terraform provider's `cloudstack_vpn_connection` has no `passive`/);
    expect(synthErr((scope) => new VpnGateway(scope, "g", { vpcId: VPC, ipAddressId: "ip-1" }))).toMatch(/`ipAddressId` is set: .* has no `ip_address_id`/);
    expect(synthErr((scope) => new CustomerGateway(scope, "d", { peer: { type: "dynamic" } as never, cidrList: ["172.16.0.0/20"], ipsecPsk: psk(scope) }))).toMatch(/`peer\.remoteId`/);
  });
});

describe("SiteToSiteVpn", () => {
  it("a dynamic site: one terraform_data whose provisioners push and unpush through the CLI (site on stdin), no PSK in the JSON", () => {
    process.env.LYON_PSK_TEST = "the-real-key-never-in-json-0123456789";
    const json = Testing.synthScope((scope) => new SiteToSiteVpn(scope, "lyon", { site: dynamicSite({ ipsecPsk: { env: "LYON_PSK_TEST" } }), cli: "npx cloudstack-s2s", gatewaySshFile: "/etc/s2s/gw.yaml" }));
    const [data] = only(json, "terraform_data");
    expect(data).toMatchObject({
      input: {
        site_name: "branch-lyon",
        push: "printf '%s' \"$S2S_SITE\" | npx cloudstack-s2s push - --gateway-ssh '/etc/s2s/gw.yaml'",
        unpush: "printf '%s' \"$S2S_SITE\" | npx cloudstack-s2s unpush - --gateway-ssh '/etc/s2s/gw.yaml'",
      },
      triggers_replace: { rendered: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      provisioner: [
        { "local-exec": { command: "${self.input.push}", environment: { S2S_SITE: "${self.input.site}" } } },
        { "local-exec": { command: "${self.input.unpush}", environment: { S2S_SITE: "${self.input.site}" }, when: "destroy" } },
      ],
    });
    expect(JSON.parse(String((data!.input as Record<string, unknown>).site))).toEqual(dynamicSite({ ipsecPsk: { env: "LYON_PSK_TEST" } }));
    expect(json).not.toContain(process.env.LYON_PSK_TEST);
    expect(Object.keys(parse(json).resource ?? {})).toEqual(["terraform_data"]);
  });

  it("triggers_replace follows the rendered configuration: a CIDR or a key change re-pushes, a CLI path change does not", () => {
    const digest = (site: SiteInput, env: string | undefined, cli = "cloudstack-s2s") => {
      if (env === undefined) delete process.env.DIGEST_PSK;
      else process.env.DIGEST_PSK = env;
      return (only(Testing.synthScope((s) => new SiteToSiteVpn(s, "v", { site, cli })), "terraform_data")[0]!.triggers_replace as { rendered: string }).rendered;
    };
    const base = dynamicSite({ ipsecPsk: { env: "DIGEST_PSK" } });
    const key = "first-key-0123456789-abcdefghijkl";
    const d0 = digest(base, key);
    expect(digest(base, key, "/opt/bin/cloudstack-s2s")).toBe(d0);
    expect(digest(dynamicSite({ ipsecPsk: { env: "DIGEST_PSK" }, cidrList: ["192.168.10.0/24", "192.168.20.0/24"] }), key)).not.toBe(d0);
    expect(digest(base, "second-key-0123456789-abcdefghijk")).not.toBe(d0);
    expect(digest(base, undefined)).not.toBe(d0);
  });

  it("a site file path works like the spec; Terraform template syntax in it stays data", () => {
    const dir = mkdtempSync(join(tmpdir(), "s2s-cdktf-"));
    const file = join(dir, "site.yaml");
    writeFileSync(file, `name: branch-lyon\ndescription: "costs \${var.x} and %{ if }"\nvpnGateway: { vpcId: ${VPC}, vpcCidr: 10.1.0.0/16 }\ncustomerGateway:\n  peer: { type: dynamic, remoteId: lyon.example.com, allowedSourceCidrs: [203.0.113.0/25] }\n  cidrList: [192.168.10.0/24]\n  ipsecPsk: { env: LYON_PSK }\n`);
    const [data] = only(Testing.synthScope((s) => new SiteToSiteVpn(s, "v", { site: file })), "terraform_data");
    expect(String((data!.input as Record<string, unknown>).site)).toContain('costs $${var.x} and %%{ if }');
  });

  it("a static site: the provider's three resources and a sensitive PSK variable named after the site", () => {
    const json = Testing.synthScope((scope) => {
      new CloudStackProvider(scope, "cs");
      new SiteToSiteVpn(scope, "dc", { site: staticSite() });
    });
    expect(parse(json).variable).toMatchObject({ paris_dc_psk: { sensitive: true, type: "string" } });
    expect(Testing.toHaveResourceWithProperties(json, "cloudstack_vpn_customer_gateway", { name: "paris-dc", gateway: "203.0.113.9", cidr: "172.16.0.0/20", ipsec_psk: "${var.paris_dc_psk}" })).toBe(true);
    expect(Testing.toHaveResourceWithProperties(json, "cloudstack_vpn_gateway", { vpc_id: VPC })).toBe(true);
    expect(Testing.toHaveResource(json, "cloudstack_vpn_connection")).toBe(true);
    expect(Testing.toHaveResource(json, "terraform_data")).toBe(false);
    expectProviderAttributes(json);
  });

  it("a static site with a field the provider lacks names the alternative; with staticVia: cli it is pushed by the CLI instead", () => {
    const msg = synthErr((scope) => new SiteToSiteVpn(scope, "dc", { site: staticSite({ forceEncap: true }, { passive: true }) }));
    expect(msg).toMatch(/`customerGateway\.forceEncap` true: the cloudstack Terraform provider has no `forceencap`/);
    expect(msg).toMatch(/`connection\.passive` true: .* has no `passive`/);
    const json = Testing.synthScope((scope) => new SiteToSiteVpn(scope, "dc", { site: staticSite({ forceEncap: true }, { passive: true }), staticVia: "cli" }));
    expect(Object.keys(parse(json).resource ?? {})).toEqual(["terraform_data"]);
  });

  it("an invalid site fails synth with every model message and its path; a literal key for a pushed site is refused without showing it", () => {
    const msg = synthErr((scope) => new SiteToSiteVpn(scope, "bad", { site: { ...dynamicSite({ ipsecPsk: "short-literal", allowedSourceCidrs: undefined }), name: "Bad Name" } as never }));
    expect(msg).toMatch(/^SiteToSiteVpn .*\/bad: invalid props, nothing was synthesized:/);
    expect(msg).toMatch(/`name` "Bad Name" must be/);
    expect(msg).toMatch(/`customerGateway\.ipsecPsk` holds the key itself, which would be written to cdk\.tf\.json and terraform\.tfstate/);
    expect(msg).not.toContain("short-literal");
    expect(synthErr((s) => new SiteToSiteVpn(s, "x", { site: "/nonexistent/site.yaml" }))).toMatch(/`site` "\/nonexistent\/site\.yaml" cannot be read/);
  });

  it("a stack with a static site and a provider passes cdktf's own validation; a push-only stack is valid Terraform to the real binary", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new CloudStackProvider(stack, "cs");
    const gw = new VpnGateway(stack, "gw", { vpcId: VPC });
    new SiteToSiteVpn(stack, "dc", { site: staticSite(), vpnGateway: gw });
    new SiteToSiteVpn(stack, "lyon", { site: dynamicSite(), vpnGateway: gw });
    const json = Testing.synth(stack, true);
    expect(only(json, "cloudstack_vpn_gateway")).toHaveLength(1);
    expect(only(json, "terraform_data")[0]).toMatchObject({ depends_on: [expect.stringMatching(/^cloudstack_vpn_gateway\./)] });

    const pushOnly = new App({ outdir: mkdtempSync(join(tmpdir(), "s2s-cdktf-out-")) });
    new SiteToSiteVpn(new TerraformStack(pushOnly, "push"), "lyon", { site: dynamicSite() });
    pushOnly.synth();
    process.env.CHECKPOINT_DISABLE = "1"; // offline: no version check against hashicorp.com
    expect(Testing.toBeValidTerraform(pushOnly.outdir)).toBe(true);
  });
});
