/**
 * How every front end (Pulumi resources, the push/unpush/reconcile CLI) tells "gone" from "failed" on CloudStack,
 * and removes an object that may already be gone. Shared here so the front ends hold no logic of their own.
 */
import { CloudStackApiError, deleteVpnConnection, getVpnConnection, type CloudStackClient } from "../cloudstack";

/**
 * CloudStack answers a lookup of a removed object with an empty list, and of an id it never had with a 431
 * parameter error (the UUID does not resolve): both mean "gone".
 */
export function isUnknownIdError(error: unknown): boolean {
  return error instanceof CloudStackApiError && error.errorCode === 431 && /entity does not exist|unable to find|fail(ed)? to find|invalid value|does not exist/i.test(error.errorText);
}

export async function lookupOrGone<T>(lookup: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (error) {
    if (isUnknownIdError(error)) return undefined;
    throw error;
  }
}

/** A "name already exists" refusal of a create. */
export function isAlreadyExists(error: unknown): boolean {
  return error instanceof CloudStackApiError && /already exist/i.test(error.errorText);
}

/** Deletes an object unless it is gone already (before, or meanwhile): true when this call removed it. */
export async function deleteIfPresent(lookup: () => Promise<unknown>, remove: () => Promise<unknown>): Promise<boolean> {
  if (!(await lookupOrGone(lookup))) return false;
  try {
    await remove();
    return true;
  } catch (error) {
    if (!(await lookupOrGone(lookup))) return false;
    throw error;
  }
}

/** Deletes a connection; one already gone is fine. */
export async function removeConnection(client: CloudStackClient, id: string): Promise<void> {
  await deleteIfPresent(() => getVpnConnection(client, id), () => deleteVpnConnection(client, id));
}
