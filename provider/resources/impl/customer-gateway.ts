/**
 * CustomerGateway: a CloudStack VPN customer gateway, or — for a dynamic peer on a CloudStack without the
 * dynamic-peer API (stock 4.22) — a validated spec kept only in the stack (id `gateway:<uuid>`), which the
 * VpnConnection pushes to the gateway itself. See README § Pulumi for the representation.
 */
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import {
  createVpnCustomerGateway,
  deleteVpnCustomerGateway,
  findVpnCustomerGatewayByName,
  getVpnCustomerGateway,
  supportsDynamicPeer,
  updateVpnCustomerGateway,
} from "../../cloudstack";
import type { CustomerGatewaySpec } from "../../model/customer-gateway";
import { adoptionOptionsSchema, optionIssues } from "../../model/resource-options";
import { changedKeys, checkFailures, compact, isAlreadyExists, lookupOrGone, type ProviderContext, UNKNOWN, unknownPaths, userInputs, withClient } from "./context";
import { apiParams, differingFields, mustParseCustomerGateway, owner, parseCustomerGateway, publicSpec, specFromCloudStack } from "./customer-gateway-spec";
import { customerGatewayNameTaken } from "./errors";
import { leftoverId, persistently } from "./recovery";

/** Ids of customer gateways that exist only in the stack (dynamic peers pushed to the gateway). */
export const LOCAL_ID_PREFIX = "gateway:";
export const isLocalCustomerGatewayId = (id: unknown): boolean => typeof id === "string" && id.startsWith(LOCAL_ID_PREFIX);

const SPEC_KEYS = ["name", "peer", "cidrList", "ipsecPsk", "ikePolicy", "espPolicy", "ikeVersion", "ikeLifetime", "espLifetime", "dpd", "dpdDelaySeconds", "dpdTimeoutSeconds", "forceEncap", "splitConnections", "allowLegacyCrypto", "account", "domainId", "projectId"] as const;
/** CloudStack cannot move a gateway to another owner (update has no projectid; the owner only names the event). */
const OWNER_KEYS = ["account", "domainId", "projectId"] as const;

type Outputs = Record<string, unknown>;

function outputs(spec: CustomerGatewaySpec, inputs: Record<string, unknown>, extra: Record<string, unknown>): Outputs {
  return compact({
    ...Object.fromEntries(SPEC_KEYS.map((k) => [k, spec[k]])),
    ...(typeof inputs.adoptExisting === "boolean" ? { adoptExisting: inputs.adoptExisting } : {}),
    spec: publicSpec(spec),
    ...extra,
  });
}

/** The spec a resource's outputs hold (the resolved fields are stored at top level). */
function specOf(props: Record<string, unknown>): CustomerGatewaySpec {
  return Object.fromEntries(SPEC_KEYS.filter((k) => props[k] !== undefined).map((k) => [k, props[k]])) as unknown as CustomerGatewaySpec;
}

export async function check(_ctx: ProviderContext, _olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
  const inputs = userInputs(news);
  const { issues } = parseCustomerGateway(inputs);
  return { inputs: news, failures: checkFailures([...issues, ...optionIssues(adoptionOptionsSchema, inputs, (v) => v === UNKNOWN)], unknownPaths(inputs)) };
}

export async function diff(_ctx: ProviderContext, _id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
  const inputs = userInputs(news);
  const unknown = unknownPaths(inputs).map((p) => p.split(/[.[]/)[0]!);
  if (unknown.length > 0) {
    // Preview with values not known yet: whatever is unknown may change; owner or peer type would replace.
    const replaces = unknown.filter((k) => k === "peer" || (OWNER_KEYS as readonly string[]).includes(k));
    return { changes: true, replaces, deleteBeforeReplace: true };
  }
  const spec = mustParseCustomerGateway(inputs);
  const old = specOf(olds);
  const changes = changedKeys(old as unknown as Record<string, unknown>, spec as unknown as Record<string, unknown>, SPEC_KEYS);
  const replaces = changes.filter((k) => (OWNER_KEYS as readonly string[]).includes(k));
  if (old.peer?.type !== spec.peer.type) replaces.push("peer");
  return {
    changes: changes.length > 0,
    replaces,
    // Names are unique per account: a replacement that keeps the name must delete the old gateway first.
    deleteBeforeReplace: old.name === spec.name,
    stables: ["managedBy"],
  };
}

export async function create(ctx: ProviderContext, inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const spec = mustParseCustomerGateway(userInputs(inputs));
  return withClient(ctx, async (client) => {
    if (spec.peer.type === "dynamic" && !(await supportsDynamicPeer(client))) {
      // Stock CloudStack cannot hold a peer without an address: nothing is created here; the connection pushes it.
      return { id: `${LOCAL_ID_PREFIX}${randomUUID()}`, outs: outputs(spec, inputs, { managedBy: "gateway" }) };
    }
    const params = apiParams(spec);
    if (inputs.adoptExisting === true) {
      const found = await findVpnCustomerGatewayByName(client, spec.name, owner(spec));
      if (found) {
        const changed = differingFields(spec, found);
        const { projectId: _p, ...updatable } = params;
        const updated = await updateVpnCustomerGateway(client, { ...updatable, id: found.id });
        const adopted = { id: found.id, name: spec.name, changedFields: changed };
        return { id: updated.id, outs: outputs(spec, inputs, { managedBy: "cloudstack", adopted, ...extras(updated) }) };
      }
    }
    try {
      const created = await createVpnCustomerGateway(client, params);
      return { id: created.id, outs: outputs(spec, inputs, { managedBy: "cloudstack", ...extras(created) }) };
    } catch (error) {
      // A failed create may have left the gateway (see recovery.ts): take it when provably ours, else clean up.
      const ours = await persistently(() => ownLeftover(client, spec, error));
      if (ours) return { id: ours.id, outs: outputs(spec, inputs, { managedBy: "cloudstack", ...extras(ours) }) };
      if (isAlreadyExists(error)) throw new Error(customerGatewayNameTaken(spec.name, (error as Error).message));
      throw error;
    }
  });
}

/**
 * The customer gateway a failed create of this spec left behind, if it is provably this resource's: the id the
 * failed call answered. A left object that does not match is deleted (the failed call made it).
 */
async function ownLeftover(client: Parameters<typeof getVpnCustomerGateway>[0], spec: CustomerGatewaySpec, error: unknown) {
  const leftId = leftoverId(error);
  // Only the id the failed call itself answered proves ownership: a gateway of the same name and equal settings may
  // belong to another resource or stack, and taking it over silently would let two owners manage one object.
  const found = leftId ? await lookupOrGone(() => getVpnCustomerGateway(client, leftId)) : undefined;
  if (!found) return undefined;
  if (differingFields(spec, found).length === 0) return found;
  if (leftId) await removeCustomerGateway(client, leftId);
  return undefined;
}

function extras(got: { obsoleteparameters?: string | undefined; excludedparameters?: string | undefined }): Record<string, unknown> {
  return compact({ obsoleteParameters: got.obsoleteparameters, excludedParameters: got.excludedparameters });
}

export async function read(ctx: ProviderContext, id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  // A stack-only gateway has nothing remote to read; its gateway side is refreshed by the connection.
  if (isLocalCustomerGatewayId(id)) return { id, props };
  return withClient(ctx, async (client) => {
    const got = await lookupOrGone(() => getVpnCustomerGateway(client, id));
    if (!got) return { id: "", props: {} };
    const known = specOf(props);
    // `CustomerGateway.get(name, id)` reads with no prior state: start from what CloudStack says the peer is.
    if (!known.peer) (known as { peer: unknown }).peer = got.dynamicpeer === true ? { type: "dynamic", remoteId: got.remoteid ?? "", remoteIdType: "fqdn", allowAnySource: false } : { type: "static", gateway: got.gateway ?? "" };
    const spec = specFromCloudStack(known, got);
    const { obsoleteParameters: _o, excludedParameters: _e, ...rest } = props;
    return { id, props: compact({ ...rest, ...outputs(spec, props, { managedBy: "cloudstack", ...extras(got) }), ...(props.adopted ? { adopted: props.adopted } : {}) }) };
  });
}

export async function update(ctx: ProviderContext, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
  const spec = mustParseCustomerGateway(userInputs(news));
  const keep = olds.adopted ? { adopted: olds.adopted } : {};
  if (isLocalCustomerGatewayId(id)) return { outs: outputs(spec, news, { managedBy: "gateway", ...keep }) };
  return withClient(ctx, async (client) => {
    const { projectId: _p, ...updatable } = apiParams(spec);
    const updated = await updateVpnCustomerGateway(client, { ...updatable, id });
    return { outs: outputs(spec, news, { managedBy: "cloudstack", ...keep, ...extras(updated) }) };
  });
}

/** Deletes a customer gateway; one already gone (or gone meanwhile) is fine. */
async function removeCustomerGateway(client: Parameters<typeof getVpnCustomerGateway>[0], id: string): Promise<void> {
  if (!(await lookupOrGone(() => getVpnCustomerGateway(client, id)))) return;
  try {
    await deleteVpnCustomerGateway(client, id);
  } catch (error) {
    if (!(await lookupOrGone(() => getVpnCustomerGateway(client, id)))) return;
    throw error;
  }
}

export async function deleteResource(ctx: ProviderContext, id: string): Promise<void> {
  if (isLocalCustomerGatewayId(id)) return;
  await withClient(ctx, (client) => removeCustomerGateway(client, id));
}
export { deleteResource as delete };
