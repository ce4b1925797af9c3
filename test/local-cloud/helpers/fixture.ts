/** Starts a local cloud on 127.0.0.1 for one test and closes it afterwards. */
import { afterEach } from "vitest";
import { InMemoryRouter, startLocalCloud, type LocalCloud, type LocalCloudOptions } from "../../../provider/local-cloud";
import { STATIC_GATEWAY, TestClient } from "./signed-client";

const running: LocalCloud[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((cloud) => cloud.close()));
});

export interface Fixture {
  cloud: LocalCloud;
  router: InMemoryRouter;
  admin: TestClient;
}

export async function startTestCloud(options: LocalCloudOptions = {}): Promise<Fixture> {
  const router = (options.router as InMemoryRouter | undefined) ?? new InMemoryRouter();
  const cloud = await startLocalCloud({ statusCheckIntervalMs: 3_600_000, ...options, router });
  running.push(cloud);
  return { cloud, router, admin: new TestClient(cloud.url, cloud.admin) };
}

/** Customer gateway + VPN gateway + connection on the seeded VPC; returns their ids and the finished job. */
export async function createTunnel(
  client: TestClient,
  vpcId: string,
  gateway: Record<string, string> = STATIC_GATEWAY,
  connection: Record<string, string> = {},
): Promise<{ cgwId: string; vgwId: string; connId: string; job: any }> {
  const cgw = await client.run("createVpnCustomerGateway", gateway);
  const cgwId = cgw.jobresult.vpncustomergateway.id;
  const existing = await client.ok("listVpnGateways", { vpcid: vpcId });
  const vgwId = existing.vpngateway?.[0]?.id ?? (await client.run("createVpnGateway", { vpcid: vpcId })).jobresult.vpngateway.id;
  const started = await client.ok("createVpnConnection", { s2svpngatewayid: vgwId, s2scustomergatewayid: cgwId, ...connection });
  const job = await client.waitForJob(started.jobid);
  return { cgwId, vgwId, connId: started.id, job };
}
