/** The deploy layer's error texts: each names the input, the rule and the fix; never a secret. */
export class DeployError extends Error {
  override name = "DeployError";
}

export const vpcIdRequired = (site: string): string =>
  `site ${site}: \`vpnGateway.vpcId\` is required to push (the CloudStack VPC whose VPN gateway the site attaches to); set it in the site file`;

export const publicIpMismatch = (site: string, declared: string, actual: string): string =>
  `site ${site}: \`vpnGateway.publicIp\` ${declared} differs from the VPN gateway's public IP in CloudStack (${actual}); correct the site file (or drop the field: the CLI takes CloudStack's)`;

export const accessRequired = (site: string, remoteId: string): string =>
  `site ${site}: this CloudStack has no dynamic-peer API (apache/cloudstack#13512), so the dynamic peer ${JSON.stringify(remoteId)} is pushed to the ` +
  `VPC's router over SSH; give the router's access with --gateway-ssh FILE, S2S_GATEWAY_SSH_FILE or S2S_GATEWAY_SSH`;

export const pskRequired = (site: string): string =>
  `site ${site}: the pre-shared key is needed to push; reference it with \`ipsecPsk: { env: NAME }\` and export NAME, or give --psk-file FILE`;
