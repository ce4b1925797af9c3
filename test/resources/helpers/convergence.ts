/**
 * The create/delete lifecycle under injected API faults, the way repeated `pulumi up`/`destroy` runs drive it: a
 * failed create leaves nothing in the stack and is simply run again; a failed delete keeps the resource and is run
 * again. Each round creates a customer gateway and its connection on one VPN gateway, then deletes both. Measured:
 * attempts per operation, whether every name converged within `maxAttempts`, objects left behind, duplicates.
 * Calls the resource implementations in-process (the code the provider host runs), against the local CloudStack.
 */
import { CloudStackClient, listVpnConnections, listVpnCustomerGateways, listVpnGateways } from "../../../provider/cloudstack";
import { InMemoryRouter, startLocalCloud } from "../../../provider/local-cloud";
import * as customerGateway from "../../../provider/resources/impl/customer-gateway";
import * as vpnConnection from "../../../provider/resources/impl/vpn-connection";
import * as vpnGateway from "../../../provider/resources/impl/vpn-gateway";
import type { ProviderContext } from "../../../provider/resources/impl/context";

export interface ConvergenceRun {
  seed: number;
  /** Applied to each fault kind: HTTP 503, connection reset, async job failure. */
  rate: number;
  rounds: number;
  maxAttempts: number;
}

export interface ConvergenceResult extends ConvergenceRun {
  /** Attempts each operation needed (create/delete of every resource). */
  attempts: number[];
  /** Operations that did not succeed within maxAttempts, with the last error. */
  unconverged: string[];
  /** Objects left in CloudStack after everything was deleted. */
  orphans: number;
  /** Two objects for one resource seen at any check (same name, or two connections for one pair). */
  duplicates: number;
  ms: number;
}

export async function runConvergence(run: ConvergenceRun): Promise<ConvergenceResult> {
  const started = Date.now();
  const router = new InMemoryRouter();
  const cloud = await startLocalCloud({ variant: "4.22", router, faults: { seed: run.seed, http5xxRate: run.rate, connectionResetRate: run.rate, jobFailureRate: run.rate } });
  // Real retry policy, time compressed 20× (the schedule of attempts is the same; only the waiting is shorter).
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(ms / 20)));
  const ctx: ProviderContext = { credentials: { apiUrl: cloud.url, apiKey: cloud.admin.apiKey, secretKey: cloud.admin.secretKey }, client: { sleep } };
  const attempts: number[] = [];
  const unconverged: string[] = [];
  let duplicates = 0;

  const converge = async <T>(label: string, op: () => Promise<T>): Promise<T | undefined> => {
    let last: unknown;
    for (let i = 1; i <= run.maxAttempts; i++) {
      try {
        const value = await op();
        attempts.push(i);
        return value;
      } catch (error) {
        last = error;
        if (process.env.S2S_CONVERGENCE_DEBUG) console.error(`${label} attempt ${i}: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    unconverged.push(`${label}: ${(last as Error)?.message?.split("\n")[0]}`);
    return undefined;
  };
  // Checks run with faults off for the check itself only (the fault schedule is a seeded sequence per request,
  // so a check would otherwise shift it): a client without faults cannot exist on the same endpoint, hence the
  // pause/resume of the injector around the check.
  const faults = { seed: run.seed, http5xxRate: run.rate, connectionResetRate: run.rate, jobFailureRate: run.rate };
  const check = async <T>(fn: (c: CloudStackClient) => Promise<T>): Promise<T> => {
    cloud.setFaults(undefined);
    const c = new CloudStackClient({ ...ctx.credentials, env: {} });
    try {
      return await fn(c);
    } finally {
      c.close();
      cloud.setFaults({ ...faults, seed: run.seed * 7919 + attempts.length }); // a fresh, still deterministic schedule
    }
  };

  try {
    const gw = await converge("VpnGateway create", () => vpnGateway.create(ctx, { vpcId: cloud.seededVpc.id }));
    if (!gw) return { ...run, attempts, unconverged, orphans: -1, duplicates, ms: Date.now() - started };
    for (let round = 0; round < run.rounds; round++) {
      const name = `conv-${run.seed}-${Math.round(run.rate * 100)}-${round}`;
      const inputs = { name, peer: { type: "static", gateway: `203.0.113.${(round % 250) + 1}` }, cidrList: [`10.${100 + (round % 100)}.0.0/24`], ipsecPsk: `convergence-psk-${run.seed}-${round}-0123456789` };
      const cg = await converge(`${name} CustomerGateway create`, () => customerGateway.create(ctx, inputs));
      if (!cg) continue;
      duplicates += await check(async (c) => Math.max(0, (await listVpnCustomerGateways(c, { listAll: true })).filter((g) => g.name === name).length - 1));
      const conn = await converge(`${name} VpnConnection create`, () => vpnConnection.create(ctx, { vpnGatewayId: gw.id, customerGatewayId: cg.id }));
      if (conn) {
        duplicates += await check(async (c) => Math.max(0, (await listVpnConnections(c, { listAll: true })).filter((x) => x.s2scustomergatewayid === cg.id).length - 1));
        await converge(`${name} VpnConnection delete`, () => vpnConnection.delete(ctx, conn.id, conn.outs));
      }
      await converge(`${name} CustomerGateway delete`, () => customerGateway.delete(ctx, cg.id));
    }
    await converge("VpnGateway delete", () => vpnGateway.delete(ctx, gw.id));
    const orphans = await check(async (c) => (await listVpnCustomerGateways(c, { listAll: true })).length + (await listVpnConnections(c, { listAll: true })).length + (await listVpnGateways(c, { listAll: true })).length);
    return { ...run, attempts, unconverged, orphans, duplicates, ms: Date.now() - started };
  } finally {
    await cloud.close();
  }
}

export function summarize(results: ConvergenceResult[]): string[] {
  return results.map((r) => {
    const max = Math.max(...r.attempts);
    const retried = r.attempts.filter((a) => a > 1).length;
    return `seed ${r.seed}, faults ${Math.round(r.rate * 100)} %: ${r.attempts.length} operations, ${retried} needed a retry, max ${max} attempts (bound ${r.maxAttempts}), unconverged ${r.unconverged.length}, duplicates ${r.duplicates}, orphans ${r.orphans}, ${(r.ms / 1000).toFixed(1)} s`;
  });
}
