/**
 * Runtime entry v1 of the serialized providers — FROZEN. State written by any release that serializes a v1
 * provider calls exactly this module (`cloudstack-s2s/runtime/v1`, i.e. `dist/provider/resources/runtime/v1.js`)
 * with exactly this request shape when it refreshes or deletes after an upgrade. Later releases keep this file at
 * this path and keep accepting these requests; a breaking change gets a `v2.ts` beside it, never an edit here.
 *
 * Everything behind it (implementations, config keys, output layout) may change from release to release: the
 * serialized provider passes the raw config it read and the SDK's arguments, and nothing else.
 */
import type { ResourceImplementation } from "../impl/context";
import { dispatch } from "./dispatch";

export const RUNTIME_VERSION = 1;

export type ResourceName = "customer-gateway" | "vpn-gateway" | "vpn-connection";
export type MethodName = "check" | "diff" | "create" | "read" | "update" | "delete";

export interface InvokeRequest {
  /** Which resource implementation. */
  resource: ResourceName;
  method: MethodName;
  /** Stack config as read by the provider's `configure()` (namespaced keys → values; see connection-settings.ts). */
  config: Record<string, string>;
  /** The SDK's arguments to the provider method, unchanged. */
  args: unknown[];
}

function implementation(resource: ResourceName): ResourceImplementation {
  // Static requires (no computed paths): bundlers and the exports map see every module this entry can load.
  switch (resource) {
    case "customer-gateway":
      return require("../impl/customer-gateway") as ResourceImplementation;
    case "vpn-gateway":
      return require("../impl/vpn-gateway") as ResourceImplementation;
    case "vpn-connection":
      return require("../impl/vpn-connection") as ResourceImplementation;
    default:
      throw new Error(`cloudstack-s2s runtime v1: unknown resource ${JSON.stringify(resource)}; the state was written by a newer cloudstack-s2s — install that version or newer`);
  }
}

export async function invoke(request: InvokeRequest): Promise<unknown> {
  return dispatch(implementation(request.resource), request);
}
