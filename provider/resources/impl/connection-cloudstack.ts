/** The CloudStack path of a VpnConnection: create (or adopt), wait for `Connected` if asked, read, update, delete. */
import { persistently } from "./recovery";
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
  const create = () => createVpnConnection(client, compact({ s2sVpnGatewayId: spec.vpnGatewayId, s2sCustomerGatewayId: spec.customerGatewayId, passive: spec.passive, forDisplay: spec.forDisplay }));
  try {
    try {
      return { conn: await create() };
    } catch (error) {
      // A connection of this pair in `Error` is what a failed create leaves when its clean-up failed too (it carries
      // no tunnel): clean it up and create again. Any other state is someone's connection: reported below.
      if (!isAlreadyExists(error)) throw error;
      const found = await findVpnConnectionByGateways(client, spec.vpnGatewayId, spec.customerGatewayId);
      if (found?.state !== "Error") throw error;
      await persistently(() => removeConnection(client, found.id));
      return { conn: await create() };
    }
  } catch (error) {
    // The row exists from the moment CloudStack accepted the command: a failed start leaves it in Error. A failed
    // create must leave nothing behind, so it goes again before the error is reported.
    if (error instanceof CloudStackAsyncJobError && error.entityId) {
      const left = error.entityId;
      await persistently(() => removeConnection(client, left));
    }
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
  let waited: Awaited<ReturnType<typeof waitUntilConnected>>;
  try {
    waited = await waitUntilConnected(client, conn.id, timeoutSeconds);
  } catch (error) {
    // A transient error while waiting: a fresh connection is undone, never left for the next `up` to trip over.
    if (undo) await persistently(() => removeConnection(client, conn.id));
    throw error;
  }
  if (waited.ok) return waited.conn!;
  if (undo) await persistently(() => removeConnection(client, conn.id));
  throw new Error(notEstablished(`connection ${conn.id}`, timeoutSeconds, waited.last, undo));
}

export { removeConnection };
