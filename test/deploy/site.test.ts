/**
 * The deploy layer against the in-memory local cloud (real CloudStack envelopes, jobs and error texts): static
 * sites and native dynamic peers converge as CloudStack objects (a re-run does nothing; `passive` re-creates the
 * connection), unpush removes them and is a no-op after; a pushed peer's unpush succeeds when the VPC or its VPN
 * gateway is gone from CloudStack, without touching SSH; a gateway push without router access names the way to give it.
 */
import { describe, expect, it } from "vitest";
import * as cs from "../../provider/cloudstack";
import { pushSite, reconcileSite, unpushSite } from "../../provider/deploy/site";
import { parseSite, type SiteSpec } from "../../provider/model/site";
import { startTestCloud } from "../local-cloud/helpers/fixture";

const PSK = "a-strong-test-key-0123456789abcdefgh";

function site(vpcId: string, customerGateway: Record<string, unknown>, connection: Record<string, unknown> = {}): SiteSpec {
  const parsed = parseSite({ name: "branch", vpnGateway: { vpcId, vpcCidr: "10.1.0.0/16" }, customerGateway: { cidrList: ["192.168.10.0/24"], ipsecPsk: { env: "X" }, ...customerGateway }, connection });
  if (!parsed.site) throw new Error(parsed.issues.map((i) => i.message).join("\n"));
  return parsed.site;
}
const staticPeer = { peer: { type: "static", gateway: "203.0.113.20" } };
const dynamicPeer = { peer: { type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: ["203.0.113.0/24"] } };

async function cloud(variant: "4.22" | "dynamic-peer" = "4.22") {
  const f = await startTestCloud({ variant });
  const client = new cs.CloudStackClient({ apiUrl: f.cloud.url, ...f.cloud.admin, env: {}, jobPolling: { firstPollMs: 5, minPollIntervalMs: 5, maxPollIntervalMs: 20, pollRatio: 0.1, jobTimeoutMs: 10_000 } });
  return { ...f, client, vpcId: f.cloud.seededVpc.id };
}

describe("deploy: CloudStack path", () => {
  it("a static site: push creates gateway, customer gateway and connection; a re-run changes nothing; reconcile says in sync", async () => {
    const { client, vpcId } = await cloud();
    const s = site(vpcId, staticPeer);
    const first = await pushSite({ client }, s, PSK);
    expect(first.path).toBe("cloudstack");
    expect(first.actions.map((a) => a.replace(/[0-9a-f-]{36}/g, "ID"))).toEqual([expect.stringMatching(/^created VPN gateway ID \(.*\) for VPC ID$/), "created customer gateway branch (ID)", expect.stringMatching(/^created connection ID/)]);
    expect(await pushSite({ client }, s, PSK)).toMatchObject({ changed: false, actions: [] });
    expect(await reconcileSite({ client }, s, PSK)).toMatchObject({ changed: false });
    client.close();
  });

  it("a changed field updates the customer gateway in place, naming the field; `passive` re-creates the connection", async () => {
    const { client, vpcId } = await cloud();
    await pushSite({ client }, site(vpcId, staticPeer), PSK);
    const changed = await pushSite({ client }, site(vpcId, { ...staticPeer, cidrList: ["192.168.10.0/24", "192.168.20.0/24"] }), PSK);
    expect(changed.actions).toEqual([expect.stringMatching(/^updated customer gateway branch \(.*\): cidrList$/)]);
    const passive = await pushSite({ client }, site(vpcId, staticPeer, { passive: true }), PSK);
    expect(passive.actions).toEqual([expect.stringMatching(/^updated customer gateway/), expect.stringMatching(/^removed connection .* \(passive changes only by re-creation\)$/), expect.stringMatching(/^created connection/)]);
    const conns = await cs.listVpnConnections(client, { listAll: true });
    expect(conns.map((c) => c.passive)).toEqual([true]);
    client.close();
  });

  it("unpush removes connection and customer gateway (the VPC's VPN gateway stays); a second unpush says there is nothing", async () => {
    const { client, vpcId } = await cloud();
    const s = site(vpcId, staticPeer);
    await pushSite({ client }, s, PSK);
    const gone = await unpushSite({ client }, s);
    expect(gone.actions).toEqual([expect.stringMatching(/^deleted connection /), expect.stringMatching(/^deleted customer gateway branch /)]);
    expect(await cs.listVpnCustomerGateways(client, { listAll: true })).toEqual([]);
    expect(await cs.findVpnGatewayByVpc(client, vpcId)).toBeDefined();
    expect(await unpushSite({ client }, s)).toMatchObject({ changed: false, actions: ["nothing to remove: no customer gateway named branch"] });
    client.close();
  });

  it("a dynamic site on a cloud with the dynamic-peer API becomes CloudStack objects (no SSH needed)", async () => {
    const { client, vpcId } = await cloud("dynamic-peer");
    const s = site(vpcId, dynamicPeer);
    const r = await pushSite({ client }, s, PSK);
    expect(r.path).toBe("cloudstack");
    const [cgw] = await cs.listVpnCustomerGateways(client, { listAll: true });
    expect(cgw).toMatchObject({ name: "branch", remoteid: "branch@example.com" });
    expect(await pushSite({ client }, s, PSK)).toMatchObject({ changed: false });
    client.close();
  });
});

describe("deploy: gateway path (stock CloudStack)", () => {
  it("unpush succeeds without SSH when the VPC's VPN gateway, or the VPC itself, is gone from CloudStack", async () => {
    const { client, vpcId } = await cloud();
    expect(await unpushSite({ client }, site(vpcId, dynamicPeer))).toMatchObject({ changed: false, actions: [expect.stringMatching(/^nothing to remove: VPC .* has no VPN gateway in CloudStack/)] });
    const gone = site("5b8d6c3e-0000-4000-8000-0000000000ff", dynamicPeer);
    expect(await unpushSite({ client }, gone)).toMatchObject({ changed: false, actions: ["nothing to remove: CloudStack no longer has VPC 5b8d6c3e-0000-4000-8000-0000000000ff"] });
    client.close();
  });

  it("push without router access fails naming the three ways to give it; without vpcId it names the field", async () => {
    const { client, vpcId } = await cloud();
    await expect(pushSite({ client }, site(vpcId, dynamicPeer), PSK)).rejects.toThrow(/no dynamic-peer API .*--gateway-ssh FILE, S2S_GATEWAY_SSH_FILE or S2S_GATEWAY_SSH/);
    const noVpc = parseSite({ name: "branch", vpnGateway: { vpcCidr: "10.1.0.0/16" }, customerGateway: { cidrList: ["192.168.10.0/24"], ipsecPsk: { env: "X" }, ...dynamicPeer } }).site!;
    await expect(pushSite({ client }, noVpc, PSK)).rejects.toThrow(/site branch: `vpnGateway\.vpcId` is required to push/);
    client.close();
  });
});
