/**
 * Lookups of objects managed elsewhere (data sources): the VPN gateway of a VPC, a customer gateway by name. Plain
 * API reads from the program; pass the result's `id` to a VpnConnection, or to `VpnGateway.get`/`CustomerGateway.get`.
 */
import * as cs from "../cloudstack";
import type { CloudStackSettings } from "../model/cloudstack-settings";

export interface LookupOptions {
  /** Per-call settings; otherwise CLOUDSTACK_API_URL / CLOUDSTACK_API_KEY / CLOUDSTACK_SECRET_KEY. */
  cloudstack?: CloudStackSettings;
}

export interface VpnGatewayInfo {
  id: string;
  vpcId: string;
  publicIp?: string;
  vpcName?: string;
}

export interface CustomerGatewayInfo {
  id: string;
  name: string;
  gateway?: string;
  cidrList: string[];
  dynamicPeer: boolean;
  remoteId?: string;
}

async function withApi<T>(options: LookupOptions, fn: (api: typeof cs, client: cs.CloudStackClient) => Promise<T>): Promise<T> {
  const s = options.cloudstack;
  const client = new cs.CloudStackClient(s ? { apiUrl: s.url, apiKey: s.apiKey, secretKey: s.secretKey, env: {} } : { env: process.env });
  try {
    return await fn(cs, client);
  } finally {
    client.close();
  }
}

/** The VPC's VPN gateway, or undefined when the VPC has none. */
export function lookupVpnGateway(args: { vpcId: string } & LookupOptions): Promise<VpnGatewayInfo | undefined> {
  return withApi(args, async (cs, client) => {
    const gw = await cs.findVpnGatewayByVpc(client, args.vpcId);
    if (!gw) return undefined;
    return { id: gw.id, vpcId: gw.vpcid ?? args.vpcId, ...(gw.publicip ? { publicIp: gw.publicip } : {}), ...(gw.vpcname ? { vpcName: gw.vpcname } : {}) };
  });
}

/** The customer gateway of that name in the caller's account (names are unique per account), or undefined. */
export function lookupCustomerGateway(args: { name: string } & LookupOptions): Promise<CustomerGatewayInfo | undefined> {
  return withApi(args, async (cs, client) => {
    const got = await cs.findVpnCustomerGatewayByName(client, args.name);
    if (!got) return undefined;
    return {
      id: got.id,
      name: got.name ?? args.name,
      ...(got.gateway ? { gateway: got.gateway } : {}),
      cidrList: (got.cidrlist ?? "").split(",").map((c) => c.trim()).filter((c) => c !== ""),
      dynamicPeer: got.dynamicpeer === true,
      ...(got.remoteid ? { remoteId: got.remoteid } : {}),
    };
  });
}
