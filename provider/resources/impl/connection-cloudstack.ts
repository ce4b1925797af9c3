/** The CloudStack path of a VpnConnection: create (or adopt), wait for `Connected` if asked, read, update, delete. */
import {
  CloudStackAsyncJobError,
  createVpnConnection,
  findVpnConnectionByGateways,
  getVpnConnection,
  updateVpnConnection,
  type CloudStackClient,
  type VpnConnection,
} from "../../cloudstack";
import { removeConnection } from "../../deploy/cloudstack-objects";
import { compact, isAlreadyExists } from "./context";
import { connectionExists, notEstablished } from "./errors";

export interface CloudStackConnectionSpec {
  vpnGatewayId: string;
  customerGatewayId: string;
  passive: boolean;
  forDisplay?: boolean;
}

export const ESTABLISHED_STATE = "Connected";

/** Outputs CloudStack reports for a connection. */
export function connectionOutputs(conn: VpnConnection): Record<string, unknown> {
  return compact({ state: conn.state, established: conn.state === ESTABLISHED_STATE, publicIp: conn.publicip, peerGateway: conn.gateway, created: conn.created });
}

export async function createOrAdopt(client: CloudStackClient, spec: CloudStackConnectionSpec, adoptExisting: boolean): Promise<{ conn: VpnConnection; adopted?: Record<string, unknown> }> {
  if (adoptExisting) {
    const found = await findVpnConnectionByGateways(client, spec.vpnGatewayId, spec.customerGatewayId);
    if (found) {
      const conn = spec.forDisplay !== undefined && found.fordisplay !== spec.forDisplay ? await updateVpnConnection(client, { id: found.id, forDisplay: spec.forDisplay }) : found;
      return { conn, adopted: compact({ id: found.id, state: found.state, passive: found.passive }) };
    }
  }
  try {
    const conn = await createVpnConnection(client, compact({ s2sVpnGatewayId: spec.vpnGatewayId, s2sCustomerGatewayId: spec.customerGatewayId, passive: spec.passive, forDisplay: spec.forDisplay }));
    return { conn };
  } catch (error) {
    // The row exists from the moment CloudStack accepted the command: a failed start leaves it in Error. A failed
    // create must leave nothing behind, so it goes again before the error is reported.
    if (error instanceof CloudStackAsyncJobError && error.entityId) await removeConnection(client, error.entityId).catch(() => undefined);
    if (isAlreadyExists(error)) throw new Error(connectionExists((error as Error).message));
    throw error;
  }
}

/** Polls until CloudStack's router check reports `Connected`; the last state otherwise. */
export async function waitUntilConnected(client: CloudStackClient, id: string, timeoutSeconds: number, intervalMs = 500): Promise<{ ok: boolean; conn?: VpnConnection; last: string }> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = "unknown";
  for (;;) {
    const conn = await getVpnConnection(client, id);
    last = conn?.state ?? "gone";
    if (conn?.state === ESTABLISHED_STATE) return { ok: true, conn, last };
    if (Date.now() >= deadline) return { ok: false, ...(conn ? { conn } : {}), last };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function waitOrUndo(client: CloudStackClient, conn: VpnConnection, timeoutSeconds: number, undo: boolean): Promise<VpnConnection> {
  const waited = await waitUntilConnected(client, conn.id, timeoutSeconds);
  if (waited.ok) return waited.conn!;
  if (undo) await removeConnection(client, conn.id);
  throw new Error(notEstablished(`connection ${conn.id}`, timeoutSeconds, waited.last, undo));
}

export { removeConnection };
