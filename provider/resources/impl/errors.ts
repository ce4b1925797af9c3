/**
 * The provider's own error texts (style.md: one errors.ts per layer). Each names the input, the value when it is
 * not secret, the rule and the fix. CloudStack's own text is kept at the end so it stays searchable.
 */
export const customerGatewayNameTaken = (name: string, cloudstack: string): string =>
  `\`name\` ${JSON.stringify(name)}: a customer gateway with this name already exists in the account (names are unique per account); ` +
  `take it over with \`adoptExisting: true\` or choose another name (${cloudstack})`;

export const vpnGatewayExists = (vpcId: string, cloudstack: string): string =>
  `\`vpcId\` ${JSON.stringify(vpcId)}: the VPC already has a VPN gateway (CloudStack allows one per VPC); ` +
  `take it over with \`adoptExisting: true\` (${cloudstack})`;

export const connectionExists = (cloudstack: string): string =>
  `this VPN gateway and customer gateway are already connected (CloudStack allows one connection per pair); ` +
  `take the connection over with \`adoptExisting: true\` (${cloudstack})`;

export const notEstablished = (what: string, seconds: number, last: string, cleanedUp: boolean): string =>
  `\`waitForEstablished\`: ${what} was not established within ${seconds}s (last state: ${last}); ` +
  `${cleanedUp ? "the connection was removed again, so nothing is left behind" : "the connection was kept"}; check the branch router ` +
  `(same PSK, IKE ID and proposals) or raise \`establishedTimeoutSeconds\``;

export const sshRequired = (remoteId: string): string =>
  `is required: this CloudStack has no dynamic-peer API (apache/cloudstack#13512), so the dynamic peer ` +
  `${JSON.stringify(remoteId)} is terminated on the gateway over SSH; set \`ssh\` (host, privateKey, hostKey) on the VpnGateway`;

export const pushSpecRequired = (): string =>
  `must be the CustomerGateway resource itself (not its id): a dynamic peer on a CloudStack without the dynamic-peer API ` +
  `exists only in this stack, and the connection needs its settings to push it to the gateway`;

export const gatewayInfoRequired = (): string =>
  `must be the VpnGateway resource itself (not its id) when the peer is pushed to the gateway: the connection needs its ` +
  `public IP, VPC CIDR and SSH access`;

export const pushPeerMissing = (): string =>
  `this build of cloudstack-s2s has no push/pushPeer (needed for dynamic peers on CloudStack without the dynamic-peer API); update the package`;
