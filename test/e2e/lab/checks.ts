/** Assertion helpers shared by the scenarios: tunnel up/down with deadlines, traffic both ways. */
import { waitFor } from "./exec";
import type { Instance } from "./instance";
import type { Lab } from "./lab";
import { upSa, type IkeSaStatus } from "./status";
import { ping, pingUntilReply, type PingResult } from "./traffic";

/** Waits for connection `conn` to be ESTABLISHED with an INSTALLED CHILD_SA; returns that SA. */
export function waitUp(inst: Instance, conn: string, timeoutMs = 10_000, accept: (sa: IkeSaStatus) => boolean = () => true): Promise<IkeSaStatus> {
  return waitFor(
    `${inst.name}: ${conn} ESTABLISHED + INSTALLED`,
    async () => {
      const sa = upSa(await inst.sas(), conn);
      return sa && accept(sa) ? sa : undefined;
    },
    { timeoutMs, intervalMs: 50 },
    () => inst.statusText(),
  );
}

/** Waits until `inst` holds no IKE_SA for `conn` in any state. */
export async function waitGone(inst: Instance, conn: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(`${inst.name}: no SA for ${conn}`, async () => !(await inst.sas()).some((s) => s.name === conn), { timeoutMs }, () => inst.statusText());
}

export interface TwoWayPing {
  guestToLan: PingResult;
  lanToGuest: PingResult;
}

/** Pings guest → branch LAN host and back, `count` each. The first packet may wake a trap: warm up first. */
export async function pingBothWays(lab: Lab, branch: string, count = 3): Promise<TwoWayPing> {
  const b = lab.topo.branch(branch);
  await pingUntilReply(lab.topo.guest, b.lanHostIp, 5_000);
  return {
    guestToLan: await ping(lab.topo.guest, b.lanHostIp, count),
    lanToGuest: await ping(b.lan, lab.topo.guestHostIp, count),
  };
}

/**
 * Waits until charon has `conn` loaded. `ipsec update`/`reload` only signal starter, which reloads asynchronously;
 * a CPE that arrives before then is refused (no matching peer config) and gives up for good.
 */
export async function waitLoaded(inst: Instance, conn: string, timeoutMs = 5_000): Promise<void> {
  const argv = inst.mode === "stroke" ? ["ipsec", "statusall"] : ["swanctl", "--list-conns"];
  const re = new RegExp(`^\\s*${conn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:`, "m");
  await waitFor(`${inst.name}: connection ${conn} loaded`, async () => re.test((await inst.exec(argv)).stdout), { timeoutMs });
}
