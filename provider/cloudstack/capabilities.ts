/**
 * What this CloudStack can do, asked once per client: `listApis` tells whether the dynamic-peer extension
 * (apache/cloudstack#13512: `remoteid`, `dynamicpeer`, `sourcecidrlist`) is installed.
 */
import type { CloudStackClient } from "./client";
import { parseResponse } from "./parse";
import { type ApiDescription, apiSchema, type Capability, capabilitySchema } from "./responses";
import { z } from "zod";

const apiListSchema = z.array(apiSchema);

/** `listApis`, optionally for one command. Cached on the client (a failed probe is not cached). */
export function listApis(client: CloudStackClient, name?: string): Promise<ApiDescription[]> {
  const key = `listApis:${name ?? "*"}`;
  const cached = client.cache.get(key) as Promise<ApiDescription[]> | undefined;
  if (cached !== undefined) return cached;
  const pending = (async () => {
    const inner = await client.call("listApis", name !== undefined ? { name } : {});
    return parseResponse(apiListSchema, inner.api ?? [], "listApis", "api");
  })();
  client.cache.set(key, pending);
  pending.catch(() => client.cache.delete(key));
  return pending;
}

/** True when `createVpnCustomerGateway` advertises a `dynamicpeer` parameter. */
export async function supportsDynamicPeer(client: CloudStackClient): Promise<boolean> {
  const apis = await listApis(client, "createVpnCustomerGateway");
  const create = apis.find((api) => api.name === "createVpnCustomerGateway");
  return create?.params?.some((param) => param.name === "dynamicpeer") ?? false;
}

/** `listCapabilities`: version, API limits, and (4.23+) the VPN customer gateway parameter lists. */
export async function listCapabilities(client: CloudStackClient): Promise<Capability> {
  const inner = await client.call("listCapabilities");
  return parseResponse(capabilitySchema, inner.capability ?? {}, "listCapabilities", "capability");
}
