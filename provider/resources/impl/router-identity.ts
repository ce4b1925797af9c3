/**
 * Which router holds the VPC's public IP, as CloudStack itself reports it (listRouters, an admin API: callers
 * without it get no ids, and everything below degrades to "unknown"), and what a failed SSH connection means:
 * - the pinned host key is refused: the router was re-created (a new router id in listRouters) or its key changed;
 *   refresh reports it as drift instead of failing, naming the new router id when CloudStack shows one;
 * - the VPN gateway (or its VPC) no longer exists in CloudStack: the router and everything pushed there went with
 *   it, so deleting the pushed peer has nothing left to remove.
 */
import { getVpnGateway, listRouters, type CloudStackClient, type Router } from "../../cloudstack";
import { HostKeyMismatchError } from "../../push";
import { lookupOrGone } from "./context";

/** The routers of the VPN gateway's VPC (one, or a redundant pair); undefined when CloudStack does not tell us. */
export async function routersOf(client: CloudStackClient, vpnGatewayId: string): Promise<Router[] | undefined> {
  try {
    const gw = await lookupOrGone(() => getVpnGateway(client, vpnGatewayId));
    if (!gw?.vpcid) return undefined;
    const routers = await listRouters(client, { vpcId: gw.vpcid });
    return routers.length > 0 ? routers : undefined;
  } catch {
    return undefined; // listRouters is an admin command; without it the routers are simply unknown
  }
}

/** The ids of the routers of the VPN gateway's VPC, sorted; undefined when CloudStack does not tell us. */
export async function routerIdsOf(client: CloudStackClient, vpnGatewayId: string): Promise<string[] | undefined> {
  return idsOf(await routersOf(client, vpnGatewayId));
}

export const idsOf = (routers: readonly Router[] | undefined): string[] | undefined => (routers ? routers.map((r) => r.id).sort() : undefined);

/** Whether CloudStack no longer has the VPN gateway (deleted, or its VPC deleted). Errors mean "not known gone". */
export async function vpnGatewayGone(client: CloudStackClient, vpnGatewayId: string): Promise<boolean> {
  try {
    return (await lookupOrGone(() => getVpnGateway(client, vpnGatewayId))) === undefined;
  } catch {
    return false;
  }
}

/**
 * The drift line for a refused host key: names the re-created router when CloudStack reports another router id than
 * the one recorded at the last push, and always says how to re-pin (never accepting the new key by itself).
 */
export function hostKeyDrift(err: HostKeyMismatchError, recorded: string[] | undefined, now: string[] | undefined): string {
  const recreated = recorded && now && recorded.join(",") !== now.join(",");
  const why = recreated
    ? `the router was re-created: CloudStack reports router ${now.join(", ")} where the last push found ${recorded.join(", ")} (restartVPC with cleanup, or a new router from the template); nothing pushed survives on a new router`
    : "the router's SSH host key changed (a re-created router, or a rotated key)";
  const optIn = recreated ? "; or, to let `pulumi up` accept the new key because CloudStack reports the router as new, set `ssh.acceptRecreatedRouterKey: true` on the VpnGateway (documented trade-off: CloudStack's API becomes the authority for the key)" : "";
  return `${why}; ${err.message}. After re-pinning, \`pulumi up\` pushes the peer again${optIn}`;
}
