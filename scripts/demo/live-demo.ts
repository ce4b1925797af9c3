/**
 * The live demo (`sudo npm run demo`, loaded by scripts/demo.js under ts-node): builds the stage, plays the
 * scenario, tears everything down and proves nothing is left, then prints the final table. Exit 0 only when every
 * step and the cleanup check passed; otherwise a one-line reason (and the stage is still removed).
 */
import { HostCallError } from "../../test/harness";
import { bytes, say, seconds, step, table } from "./narration";
import { runScenario, type ResourceRow } from "./scenario";
import { BRANCH, guardInterrupts, startStage, teardown, type Leftovers, type Stage } from "./stage";

const BANNER = [
  "cloudstack-s2s demo: a branch office with a dynamic public IP, tied to a CloudStack VPC by its IKE identity",
  "  local CloudStack (stock 4.22 API) + a real virtual router in network namespaces (strongSwan, iptables, sshd);",
  "  the examples/branch-dynamic resources run through Pulumi's own dynamic-provider host. Ctrl-C cleans up.",
  "",
];

export async function main(): Promise<number> {
  const t0 = performance.now();
  for (const line of BANNER) say(line);
  guardInterrupts(say);
  let rows: ResourceRow[] | undefined;
  let failure: unknown;
  try {
    const stage = await step("starting the local cloud with its virtual router and a branch office, serializing the providers, starting the provider host", startStage, describeStage);
    rows = await runScenario(stage);
  } catch (e) {
    failure = e;
  }
  say(failure === undefined ? "▸ removing the demo's namespaces, daemons and provider host…" : "▸ cleaning up after the failure…");
  let left: Leftovers | undefined;
  const cleanupStart = performance.now();
  try {
    left = await teardown();
  } catch (e) {
    failure ??= e;
  }
  const clean = left !== undefined && left.namespaces.length === 0 && !left.controlLink && left.processes.length === 0;
  say(clean ? `  ✓ nothing left behind: no namespace, control link, charon, sshd or provider host of the demo (${seconds(performance.now() - cleanupStart)})` : `  ✗ left behind: ${JSON.stringify(left)}`);
  if (failure !== undefined) {
    say(`\n✗ demo failed: ${reason(failure)}`);
    return 1;
  }
  say("");
  for (const line of finalTable(rows ?? [])) say(line);
  say("");
  if (!clean) {
    say("✗ demo failed: the cleanup check found leftovers (listed above)");
    return 1;
  }
  say(`✔ demo finished in ${seconds(performance.now() - t0)}`);
  return 0;
}

function describeStage(s: Stage): string[] {
  const vpc = s.cloud.seededVpc;
  return [
    `local CloudStack ${s.cloud.variant} API on ${s.cloud.url}; VPC ${vpc.name} ${vpc.cidr}, source NAT ${vpc.publicIp}`,
    `virtual router: namespace ${s.router.topo.vr}, strongSwan + iptables (${s.router.dataplane} data plane), sshd on ${s.router.access.sshHost}:3922 over the control link ${s.router.link.rootInterface} (all up in ${seconds(s.startedMs.cloud)})`,
    `guest VM ${s.router.guestHostIp} in the VPC; branch "${BRANCH.name}": CPE WAN ${s.branch.cpeWanIp} (dynamic), LAN host ${s.branch.lanHostIp} in ${BRANCH.lanCidr}`,
    `providers serialized as \`pulumi up\` does, loading ${s.providers.runtime} (${seconds(s.startedMs.providers)}); Pulumi's dynamic-provider host on 127.0.0.1:${s.host.port}`,
  ];
}

/** Short form of a non-CloudStack id (`gateway:<uuid>…`): the stack keeps these, CloudStack has no object. */
const stackOnly = (id: string, where: string): string => `— (${where}; id ${id.length > 24 ? `${id.slice(0, 22)}…` : id})`;

function finalTable(rows: ResourceRow[]): string[] {
  const cells = rows.map(({ resource, id, outputs: o }) => {
    if (resource.startsWith("VpnGateway")) return [resource, id, "created → destroyed", "—"];
    if (resource.startsWith("CustomerGateway")) return [resource, stackOnly(id, "stack only"), `managed by ${o.managedBy} → destroyed`, "—"];
    const tunnel = o.established ? `established, peer ${o.peerAddress}, ${bytes(o.bytesIn)} in / ${bytes(o.bytesOut)} out` : "not established";
    return [resource, stackOnly(id, "pushed to the VR"), `${o.state} → destroyed`, tunnel];
  });
  return ["final state (state and tunnel as of the last refresh, then destroyed):", ...table(["resource", "CloudStack id", "state", "tunnel"], cells)];
}

/** The failure in one line; a provider error carries the provider's own message (never a secret: they redact). */
function reason(e: unknown): string {
  if (e instanceof HostCallError) return `${e.method}: ${e.details}`;
  return e instanceof Error ? e.message : String(e);
}
