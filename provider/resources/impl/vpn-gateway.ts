/**
 * VpnGateway: CloudStack's site-to-site VPN gateway of one VPC, plus how to reach the router that holds its public
 * IP (SSH), which only matters when a dynamic peer has to be pushed there.
 */
import type * as pulumi from "@pulumi/pulumi";
import { createVpnGateway, deleteVpnGateway, findVpnGatewayByVpc, getVpc, getVpnGateway, updateVpnGateway, type CloudStackClient, type VpnGateway } from "../../cloudstack";
import { issuesFromZod } from "../../model/issues";
import { vpnGatewaySchema } from "../../model/vpn-gateway";
import { adoptionOptionsSchema, optionIssues } from "../../model/resource-options";
import { changedKeys, checkFailures, compact, isAlreadyExists, lookupOrGone, type ProviderContext, UNKNOWN, unknownPaths, userInputs, withClient } from "./context";
import { vpnGatewayExists } from "./errors";
import { leftoverId, persistently } from "./recovery";
import { gatewayAccessIssues, gatewayAccessSchema, sshTarget } from "../../model/gateway-access";

const CLOUDSTACK_KEYS = ["vpcId", "ipAddressId", "forDisplay"] as const;

function parse(inputs: Record<string, unknown>) {
  const cloud = vpnGatewaySchema.parse(Object.fromEntries(CLOUDSTACK_KEYS.filter((k) => inputs[k] !== undefined).map((k) => [k, inputs[k]])));
  const access = gatewayAccessSchema().parse({ publicInterface: inputs.publicInterface, ssh: inputs.ssh });
  return { ...cloud, ...access };
}

export async function check(_ctx: ProviderContext, _olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
  const inputs = userInputs(news);
  const cloud = Object.fromEntries(CLOUDSTACK_KEYS.filter((k) => inputs[k] !== undefined).map((k) => [k, inputs[k]]));
  const parsed = vpnGatewaySchema.safeParse(cloud);
  const issues = [...(parsed.success ? [] : issuesFromZod(parsed.error, cloud)), ...gatewayAccessIssues({ publicInterface: inputs.publicInterface, ssh: inputs.ssh })];
  return { inputs: news, failures: checkFailures([...issues, ...optionIssues(adoptionOptionsSchema, inputs, (v) => v === UNKNOWN)], unknownPaths(inputs)) };
}

export async function diff(_ctx: ProviderContext, _id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
  const inputs = userInputs(news);
  const normalized = unknownPaths(inputs).length > 0 ? inputs : { ...inputs, ...parse(inputs) };
  // `forDisplay` not given means "CloudStack's value" (refresh records it): not a change.
  const compared = normalized.forDisplay === undefined ? { ...normalized, forDisplay: olds.forDisplay } : normalized;
  const changes = changedKeys(olds, compared, ["vpcId", "ipAddressId", "forDisplay", "publicInterface", "ssh"]);
  const replaces = changes.filter((k) => k === "vpcId" || k === "ipAddressId");
  return {
    changes: changes.length > 0,
    replaces,
    // One gateway per VPC: a replacement in the same VPC (other public IP) must delete the old gateway first.
    deleteBeforeReplace: !changes.includes("vpcId"),
    stables: ["publicIp", "vpcCidr"],
  };
}

async function describe(client: CloudStackClient, gw: VpnGateway, vpcId: string): Promise<Record<string, unknown>> {
  const vpc = await getVpc(client, gw.vpcid ?? vpcId);
  // forDisplay as CloudStack holds it, so a refresh right after create or update finds nothing new.
  return compact({ publicIp: gw.publicip, vpcCidr: vpc?.cidr, vpcName: gw.vpcname ?? vpc?.name, account: gw.account, domainId: gw.domainid, forDisplay: gw.fordisplay });
}

function outputs(inputs: Record<string, unknown>, spec: ReturnType<typeof parse>, remote: Record<string, unknown>): Record<string, unknown> {
  return compact({
    ...spec,
    ...(typeof inputs.adoptExisting === "boolean" ? { adoptExisting: inputs.adoptExisting } : {}),
    ...(spec.ssh ? { sshTarget: sshTarget(spec.ssh) } : {}),
    ...remote,
  });
}

export async function create(ctx: ProviderContext, inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
  const spec = parse(userInputs(inputs));
  return withClient(ctx, async (client) => {
    let gw: VpnGateway;
    let adopted: Record<string, unknown> | undefined;
    const existing = inputs.adoptExisting === true ? await findVpnGatewayByVpc(client, spec.vpcId) : undefined;
    if (existing) {
      gw = spec.forDisplay !== undefined && existing.fordisplay !== spec.forDisplay ? await updateVpnGateway(client, { id: existing.id, forDisplay: spec.forDisplay }) : existing;
      adopted = compact({ id: existing.id, vpcId: spec.vpcId, publicIp: existing.publicip });
    } else {
      try {
        gw = await createVpnGateway(client, compact({ vpcId: spec.vpcId, ipAddressId: spec.ipAddressId, forDisplay: spec.forDisplay }));
      } catch (error) {
        // The gateway row exists from the moment CloudStack accepted the call: the one it named is ours, remove it.
        const left = leftoverId(error);
        if (left) await persistently(() => removeGateway(client, left));
        if (isAlreadyExists(error)) throw new Error(vpnGatewayExists(spec.vpcId, (error as Error).message));
        throw error;
      }
    }
    let remote: Record<string, unknown>;
    try {
      remote = await persistently(() => describe(client, gw, spec.vpcId));
    } catch (error) {
      // Created, but its details cannot be read: undo rather than leave a gateway the stack does not know.
      if (!existing) await persistently(() => removeGateway(client, gw.id));
      throw error;
    }
    return { id: gw.id, outs: outputs(inputs, spec, { ...remote, ...(adopted ? { adopted } : {}) }) };
  });
}

export async function read(ctx: ProviderContext, id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
  return withClient(ctx, async (client) => {
    const gw = await lookupOrGone(() => getVpnGateway(client, id));
    if (!gw) return { id: "", props: {} };
    return { id, props: compact({ ...props, ...(gw.vpcid ? { vpcId: gw.vpcid } : {}), ...(gw.fordisplay !== undefined ? { forDisplay: gw.fordisplay } : {}), ...(await describe(client, gw, String(props.vpcId))) }) };
  });
}

export async function update(ctx: ProviderContext, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
  const spec = parse(userInputs(news));
  return withClient(ctx, async (client) => {
    const gw = spec.forDisplay !== undefined && spec.forDisplay !== olds.forDisplay ? await updateVpnGateway(client, { id, forDisplay: spec.forDisplay }) : await getVpnGateway(client, id);
    if (!gw) throw new Error(`VPN gateway ${id} no longer exists in CloudStack; run \`pulumi refresh\`, then \`pulumi up\` creates it again`);
    return { outs: outputs(news, spec, { ...(await describe(client, gw, spec.vpcId)), ...(olds.adopted ? { adopted: olds.adopted } : {}) }) };
  });
}

async function removeGateway(client: CloudStackClient, id: string): Promise<void> {
  if (!(await lookupOrGone(() => getVpnGateway(client, id)))) return;
  try {
    await deleteVpnGateway(client, id);
  } catch (error) {
    if (!(await lookupOrGone(() => getVpnGateway(client, id)))) return;
    throw error;
  }
}

export async function deleteResource(ctx: ProviderContext, id: string): Promise<void> {
  await withClient(ctx, (client) => removeGateway(client, id));
}
export { deleteResource as delete };
