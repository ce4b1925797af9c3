/**
 * What the Pulumi layer makes of a router it cannot trust or reach (resources/impl/router-identity.ts), against the
 * local cloud: the drift line for a refused host key names a re-created router (with CloudStack's new router id
 * when listRouters shows another one than the last push recorded) and always the re-pin; router ids come from
 * listRouters (none from a router that does not model its life); a deleted VPN gateway counts as gone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as cs from "../../provider/cloudstack";
import { startLocalCloud, type LocalCloud } from "../../provider/local-cloud";
import { HostKeyMismatchError } from "../../provider/push";
import { hostKeyDrift, routerIdsOf, vpnGatewayGone } from "../../provider/resources/impl/router-identity";

const refused = new HostKeyMismatchError("root@169.254.1.2:3922", "hostKey", "SHA256:old", "SHA256:new", "ssh-ed25519");

describe("router identity (Pulumi layer)", () => {
  let cloud: LocalCloud;
  let client: cs.CloudStackClient;
  beforeAll(async () => {
    cloud = await startLocalCloud({ variant: "4.22" });
    client = new cs.CloudStackClient({ apiUrl: cloud.url, ...cloud.admin, env: {} });
  });
  afterAll(async () => {
    client?.close();
    await cloud?.close();
  });

  it("names a re-created router by CloudStack's ids, and always how to re-pin", () => {
    const line = hostKeyDrift(refused, ["r-old"], ["r-new"]);
    expect(line).toMatch(/the router was re-created: CloudStack reports router r-new where the last push found r-old/);
    expect(line).toContain("set `hostKey` to SHA256:new");
    expect(line).toContain("pulumi up");
    const unknown = hostKeyDrift(refused, undefined, undefined);
    expect(unknown).toMatch(/host key changed \(a re-created router, or a rotated key\)/);
    expect(hostKeyDrift(refused, ["r-1"], ["r-1"])).not.toMatch(/was re-created: CloudStack reports/);
  });

  it("has no router ids from a router that does not model its life, and sees a deleted VPN gateway as gone", async () => {
    const vgw = await cs.createVpnGateway(client, { vpcId: cloud.seededVpc.id });
    expect(await routerIdsOf(client, vgw.id)).toBeUndefined();
    expect(await cs.listRouters(client, { vpcId: cloud.seededVpc.id })).toEqual([]);
    expect(await vpnGatewayGone(client, vgw.id)).toBe(false);
    await cs.deleteVpnGateway(client, vgw.id);
    expect(await vpnGatewayGone(client, vgw.id)).toBe(true);
  });

  it("restartVPC fails with a reason when the router does not model restarts", async () => {
    const err = await cs.restartVpc(client, cloud.seededVpc.id, true).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/does not model restarts/);
  });
});
