// One static and one dynamic-IP branch on one VPC, as Terraform configuration (cdktf 0.21, synthesized by plain
// node: no cdktf-cli). The datacenter becomes the apache/cloudstack provider's resources; the branch becomes a
// `terraform_data` whose provisioners run `cloudstack-s2s push` / `unpush` (the provider cannot express it).
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
// In your own project: import { CloudStackProvider, SiteToSiteVpn, VpnGateway } from "cloudstack-s2s/cdktf";
import { CloudStackProvider, SiteToSiteVpn, VpnGateway } from "../../provider/cdktf";

const VPC_ID = process.env.VPC_ID ?? "5b8d6c3e-0000-4000-8000-00000000a001";

export class BranchesStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Endpoint and keys from CLOUDSTACK_API_URL / CLOUDSTACK_API_KEY / CLOUDSTACK_SECRET_KEY (never in cdk.tf.json).
    new CloudStackProvider(this, "cloudstack");
    // One VPN gateway per VPC: both sites share it, and the push waits for it.
    const gateway = new VpnGateway(this, "vpc-gateway", { vpcId: VPC_ID });
    new SiteToSiteVpn(this, "paris-dc", { site: join(__dirname, "sites", "paris-dc.yaml"), vpnGateway: gateway });
    new SiteToSiteVpn(this, "lyon", {
      site: join(__dirname, "sites", "lyon.yaml"),
      vpnGateway: gateway,
      // The router's SSH access for the push (a 0600 file; or S2S_GATEWAY_SSH_FILE in Terraform's environment).
      ...(process.env.GATEWAY_SSH_FILE ? { gatewaySshFile: process.env.GATEWAY_SSH_FILE } : {}),
      cli: process.env.CLOUDSTACK_S2S_CLI ?? "npx --no-install cloudstack-s2s",
    });
  }
}

if (require.main === module) {
  const app = new App({ outdir: join(__dirname, "cdktf.out") });
  new BranchesStack(app, "branches");
  app.synth();
}
