/**
 * The demo's story, driven exactly as the resource tests drive the providers: the examples/branch-dynamic program's
 * three resources go through Pulumi's dynamic-provider host with the harness engine (check/diff/create/update/
 * read/delete over gRPC, secrets stripped and re-marked as the engine does). The engine does not wire outputs into
 * inputs, so this file does what the program's constructors do (VpnConnection takes the gateway's address and SSH
 * access and the customer gateway's spec and key). Every claim printed is checked first: the tunnel on the VR,
 * pings both ways, the VR's firewall, CloudStack after the destroy.
 */
import { randomBytes } from "node:crypto";
import { CloudStackClient, findVpnGatewayByVpc } from "../../provider/cloudstack";
import { waitFor } from "../../provider/local-cloud/netns/exec";
import type { IkeSaStatus } from "../../provider/push/sa-status";
import { parseSite, type SiteSpec } from "../../provider/model/site";
import { renderPeer } from "../../provider/render/peer";
import { fetchTunnelStatus } from "../../provider/resources/tunnel-status";
import { secret, stripSecrets, type PropertyMap, type ResourceState } from "../../test/harness";
import { BRANCH, type Stage } from "./stage";
import { bytes, seconds, step } from "./narration";

/** The example's stack config (examples/branch-dynamic/README.md), for this local cloud. */
const CONFIG = {
  branchName: "branch-lyon",
  branchId: "branch-lyon@example.com",
  branchSourceCidrs: ["203.0.113.16/28"],
  branchCidrs: [BRANCH.lanCidr],
};
/** The next lease from the same ISP range (inside 203.0.113.16/28). */
const NEW_LEASE = "203.0.113.27";
/** The allow-list update: the ISP's second range, and a lease only that range admits. */
const WIDER_SOURCE_CIDRS = ["203.0.113.16/28", "203.0.113.64/27"];
const LEASE_IN_NEW_RANGE = "203.0.113.70";

/** One row of the final table: a resource as its last refresh before the destroy saw it. */
export interface ResourceRow {
  resource: string;
  id: string;
  outputs: Record<string, any>;
}

const plain = (state: ResourceState): Record<string, any> => stripSecrets(state.outputs) as Record<string, any>;

export async function runScenario(s: Stage): Promise<ResourceRow[]> {
  // A fresh key per run, as `cloudstack-s2s psk` makes one; it reaches the provider host as a secret input and the
  // branch router in its 0600 secrets file, and is never printed nor put on a command line.
  const psk = randomBytes(32).toString("base64url");
  const lanHost = s.branch.lanHostIp;
  const guest = s.router.guestHostIp;

  // ── the program's resources, created in dependency order ────────────────────────────────────────────────────
  const vgw = await step("creating VPN gateway (the VPC side, with SSH access to its virtual router)", () => s.vgw.up("vpc-gateway", { vpcId: s.cloud.seededVpc.id, ssh: secret(s.gatewaySsh), adoptExisting: false }), (r) => {
    const o = plain(r.state);
    return [`VpnGateway vpc-gateway: CloudStack id ${r.state.id}, public IP ${o.publicIp}, VPC ${o.vpcCidr}`, `router access ${o.sshTarget}, host key pinned (${s.gatewaySsh.hostKey}); the login key is a secret input`];
  });
  const vgwOut = plain(vgw.state);
  const cgwInputs = (allowedSourceCidrs: string[]) => ({
    name: CONFIG.branchName,
    peer: { type: "dynamic", remoteId: CONFIG.branchId, allowedSourceCidrs },
    cidrList: CONFIG.branchCidrs,
    ipsecPsk: secret(psk),
  });
  let cgw = await step(`creating customer gateway (dynamic peer: IKE ID ${CONFIG.branchId}, allowed sources ${CONFIG.branchSourceCidrs.join(", ")})`, () => s.cgw.up("branch", cgwInputs(CONFIG.branchSourceCidrs)), (r) => [
    `CustomerGateway branch: id ${r.state.id}, managed by ${plain(r.state).managedBy}`,
    "stock CloudStack 4.22 cannot hold a peer without an address: the connection pushes it to the router",
  ]);
  const connInputs = () => ({
    vpnGatewayId: vgw.state.id,
    customerGatewayId: cgw.state.id,
    waitForEstablished: false,
    gateway: { publicIp: vgwOut.publicIp, vpcCidr: vgwOut.vpcCidr, publicInterface: vgwOut.publicInterface },
    gatewaySsh: vgw.state.outputs.ssh as PropertyMap[string],
    customerGatewaySpec: cgw.state.outputs.spec as PropertyMap[string],
    ipsecPsk: secret(psk),
  });
  const conn = await step("creating VPN connection: pushing the dynamic peer to the virtual router over SSH", () => s.conn.up("branch", connInputs()), (r) => {
    const o = plain(r.state);
    return [`VpnConnection branch: id ${r.state.id}, managed by ${o.managedBy}`, `the VR now answers ${CONFIG.branchId} as connection ${o.gatewayConnection} (in sync: ${o.gatewayInSync}); state ${o.state}: no branch router yet`];
  });
  const ours = (sa: IkeSaStatus) => sa.name.startsWith(`${String(plain(conn.state).gatewayConnection).replace(/-g[0-9a-f]+$/, "")}-`);

  // ── the branch router, configured from the same site ────────────────────────────────────────────────────────
  const site = siteOf(vgwOut, psk);
  await step("configuring the branch router with renderPeer for the same site and starting its strongSwan", async () => {
    const rendered = renderPeer(site);
    s.router.writeCpeConfig(BRANCH.name, rendered.files);
    await s.router.startCpe(BRANCH.name);
    return rendered;
  }, (r) => `${r.files.map((f) => f.path).join(" + ")}: right=${vgwOut.publicIp}, leftid=${CONFIG.branchId}, WAN ${BRANCH.wanIp} (dynamic)`);
  await step("waiting for the tunnel (pulumi refresh until the connection reports it established)", () =>
    waitFor("the connection to report an established tunnel", async () => {
      const r = await s.conn.refresh("branch");
      return plain(r.state!).established === true ? plain(r.state!) : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200 }, async () => await s.router.vr.statusText()).then(async (o) => ({ ...o, ...(await telemetry(s)) })), (o) => `tunnel established: state ${o.state}, the branch connected from ${o.peerAddress} (getTunnelStatus: live telemetry is not a resource output)`);
  await step(`pinging across the tunnel: guest ${guest} ↔ branch LAN ${lanHost}`, () => pingBothWays(s, guest, lanHost), (p) => p);

  // ── the branch gets a new address: the tunnel follows it ────────────────────────────────────────────────────
  await moveBranch(s, NEW_LEASE, `the branch's ISP hands out a new lease (inside ${CONFIG.branchSourceCidrs.join(", ")})`, ours, guest, lanHost);

  // ── the allow-list changes through the resources ────────────────────────────────────────────────────────────
  const spiBefore = (await s.router.vr.sas()).find((sa) => ours(sa) && sa.state === "ESTABLISHED")?.spiI;
  await step(`updating the allowed source CIDRs through the resources (pulumi up): ${CONFIG.branchSourceCidrs.join(", ")} → ${WIDER_SOURCE_CIDRS.join(", ")}`, async () => {
    cgw = await s.cgw.up("branch", cgwInputs(WIDER_SOURCE_CIDRS));
    const c = await s.conn.up("branch", connInputs());
    const rules = (await s.router.vr.exec(["iptables-save"])).stdout.split("\n").filter((l) => l.includes(`-s ${WIDER_SOURCE_CIDRS[1]}`));
    if (rules.length === 0) throw new Error(`the VR's firewall has no rule for ${WIDER_SOURCE_CIDRS[1]} after the update`);
    const spiAfter = (await s.router.vr.sas()).find((sa) => ours(sa) && sa.state === "ESTABLISHED")?.spiI;
    return { cgwOp: cgw.op, connOp: c.op, inSync: plain(c.state).gatewayInSync, rules: rules.length, kept: spiBefore !== undefined && spiAfter === spiBefore };
  }, (u) => [
    `customer gateway: ${u.cgwOp}; connection: ${u.connOp} (pushed again, in sync: ${u.inSync})`,
    `update applied: the VR's firewall admits ${WIDER_SOURCE_CIDRS[1]} (${u.rules} rules: IKE on UDP 500/4500 and ESP); the live tunnel ${u.kept ? "kept its IKE SA" : "was renegotiated"}`,
  ]);
  await moveBranch(s, LEASE_IN_NEW_RANGE, `proof: the branch moves to a lease only the new range ${WIDER_SOURCE_CIDRS[1]} admits`, ours, guest, lanHost);

  // ── what the resources report, then pulumi destroy ──────────────────────────────────────────────────────────
  const rows = await step("refreshing every resource (pulumi refresh)", async () => {
    await Promise.all([s.vgw.refresh("vpc-gateway"), s.cgw.refresh("branch"), s.conn.refresh("branch")]);
    return [
      { resource: "VpnGateway vpc-gateway", id: s.vgw.state("vpc-gateway")!.id, outputs: plain(s.vgw.state("vpc-gateway")!) },
      { resource: "CustomerGateway branch", id: s.cgw.state("branch")!.id, outputs: plain(s.cgw.state("branch")!) },
      { resource: "VpnConnection branch", id: s.conn.state("branch")!.id, outputs: { ...plain(s.conn.state("branch")!), ...(await telemetry(s)) } },
    ];
  }, (r) => {
    const o = r[2]!.outputs;
    return `connection ${o.state}, established ${o.established}, peer address ${o.peerAddress}, ${bytes(o.bytesIn)} in / ${bytes(o.bytesOut)} out`;
  });
  await step("destroying everything (pulumi destroy: connection, customer gateway, VPN gateway)", async () => {
    for (const [engine, name] of [[s.conn, "branch"], [s.cgw, "branch"], [s.vgw, "vpc-gateway"]] as const) await engine.destroy(name);
    return verifyDestroyed(s, ours, guest, lanHost);
  }, (v) => v);
  return rows;
}

function siteOf(vgw: Record<string, any>, psk: string): SiteSpec {
  const parsed = parseSite({
    name: CONFIG.branchName,
    vpnGateway: { vpcId: vgw.vpcId, vpcCidr: vgw.vpcCidr, publicIp: vgw.publicIp },
    customerGateway: { peer: { type: "dynamic", remoteId: CONFIG.branchId, allowedSourceCidrs: CONFIG.branchSourceCidrs }, cidrList: CONFIG.branchCidrs, ipsecPsk: psk },
  });
  if (!parsed.site) throw new Error(`the demo's site does not parse: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  return parsed.site;
}

/** Pings both ways; the first packet may wait for the CHILD_SA, so one reply is awaited before counting. */
async function pingBothWays(s: Stage, guest: string, lanHost: string): Promise<string> {
  await waitFor(`a first reply from ${lanHost}`, async () => (await s.router.ping("guest", lanHost, 1)).received === 1, { timeoutMs: 10_000, intervalMs: 0 });
  const there = await s.router.ping("guest", lanHost, 3);
  const back = await s.router.ping(BRANCH.name, guest, 3);
  if (there.received === 0 || back.received === 0) throw new Error(`no ping across the tunnel (guest → branch ${there.received}/3, branch → guest ${back.received}/3)`);
  return `guest → branch LAN ${there.received}/${there.transmitted} replies, branch LAN → guest ${back.received}/${back.transmitted} replies`;
}

/** Gives the CPE a new WAN address and times until the VR holds an IKE_SA from it and a ping crosses the tunnel. */
async function moveBranch(s: Stage, ip: string, why: string, ours: (sa: IkeSaStatus) => boolean, guest: string, lanHost: string): Promise<void> {
  const from = s.branch.cpeWanIp;
  await step(`${why}: CPE WAN ${from} → ${ip}; waiting for the tunnel to return`, async () => {
    const t0 = performance.now();
    await s.router.setWanIp(BRANCH.name, ip);
    await waitFor(`the VR to hold the branch's IKE_SA from ${ip}`, async () => (await s.router.vr.sas()).some((sa) => ours(sa) && sa.state === "ESTABLISHED" && sa.remoteAddr === ip && sa.children.some((c) => c.state === "INSTALLED")), { timeoutMs: 30_000, intervalMs: 50 }, () => s.router.vr.statusText());
    const backAt = performance.now() - t0;
    const pings = await pingBothWays(s, guest, lanHost);
    return { backAt, pings };
  }, (r) => [`tunnel back in ${seconds(r.backAt)}: the VR's IKE_SA for ${CONFIG.branchId} is now from ${ip}`, r.pings]);
}

/** After the destroy: no SA, file or rule of the peer on the VR, no VPN gateway in CloudStack, no ping. */
async function verifyDestroyed(s: Stage, ours: (sa: IkeSaStatus) => boolean, guest: string, lanHost: string): Promise<string[]> {
  await waitFor("the peer's SAs to go from the VR", async () => !(await s.router.vr.sas()).some(ours), { timeoutMs: 15_000, intervalMs: 100 }, () => s.router.vr.statusText());
  const files = (await s.router.vr.exec(["ls", "/etc/ipsec.d"])).stdout.split("\n").filter((f) => /^s2s-.*\.(conf|secrets)$/.test(f));
  if (files.length > 0) throw new Error(`the peer's files are still on the VR: ${files.join(", ")}`);
  const rules = (await s.router.vr.exec(["iptables-save"])).stdout.split("\n").filter((l) => WIDER_SOURCE_CIDRS.some((c) => l.includes(c)));
  if (rules.length > 0) throw new Error(`the VR still has rules for the branch's sources:\n${rules.join("\n")}`);
  const client = new CloudStackClient({ apiUrl: s.cloud.url, apiKey: s.cloud.admin.apiKey, secretKey: s.cloud.admin.secretKey, env: {} });
  try {
    if (await findVpnGatewayByVpc(client, s.cloud.seededVpc.id)) throw new Error("CloudStack still lists the VPC's VPN gateway");
  } finally {
    client.close();
  }
  const ping = await s.router.ping("guest", lanHost, 1);
  if (ping.received > 0) throw new Error(`guest ${guest} still reaches the branch LAN ${lanHost} after the destroy`);
  return ["VR: no SA, no file, no firewall rule of the peer left; CloudStack: the VPC has no VPN gateway", `tunnel gone: guest → branch LAN ${ping.received}/${ping.transmitted} replies`];
}

/** Live telemetry of the branch's tunnel, read from the VR on demand (not stored in the resources' state). */
async function telemetry(s: Stage): Promise<Record<string, unknown>> {
  const status = await fetchTunnelStatus({ managedBy: "gateway", ssh: s.gatewaySsh, remoteId: CONFIG.branchId });
  return { peerAddress: status.peerAddress, bytesIn: status.bytesIn, bytesOut: status.bytesOut };
}
