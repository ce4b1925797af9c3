/** The minimal VPC world: createVPC, listVPCs, deleteVPC, listZones, listVPCOfferings, listPublicIpAddresses. */
import { checkAccess, finalizeOwner, listBody, listScope } from "../access";
import * as texts from "../error-texts";
import { invalidParameterValue, serverApi } from "../errors";
import { renderPublicIp, renderVpc } from "../responses";
import { isValidCidr } from "../validation/net-utils";
import { createVpcWithSourceNat } from "../vpc-world";
import { describeVpc } from "../world";
import { asyncResult, syncResult, type CommandContext, type CommandResult } from "./context";

export function createVpc(ctx: CommandContext): CommandResult {
  const owner = finalizeOwner(ctx.world, ctx.caller, ctx.params);
  const cidr = ctx.params.string("cidr")!;
  if (!isValidCidr(cidr)) throw invalidParameterValue(texts.invalidVpcCidr(cidr));
  const name = ctx.params.string("name")!;
  const { vpc } = createVpcWithSourceNat(ctx.world, {
    accountId: owner.id,
    domainId: owner.domainId,
    name,
    displayText: ctx.params.string("displaytext") ?? name,
    cidr,
    zoneId: ctx.params.id("zoneid"),
    vpcOfferingId: ctx.params.id("vpcofferingid"),
  });
  ctx.world.persist();
  return asyncResult({
    entityId: vpc.uuid,
    instanceType: "Vpc",
    execute: async () => {
      const row = ctx.world.live("vpcs", vpc.id);
      if (!row) throw serverApi(530, "Failed to create VPC");
      return { kind: "object", objectName: "vpc", object: renderVpc(ctx.render, row) };
    },
  });
}

/** Deleting a VPC removes its connections without stopping them and then its VPN gateway (contract §2.8). */
export function deleteVpc(ctx: CommandContext): CommandResult {
  const id = ctx.params.id("id");
  return asyncResult({
    instanceType: "Vpc",
    execute: async () => {
      const vpc = ctx.world.live("vpcs", id);
      if (!vpc) throw invalidParameterValue(`Unable to find VPC by id ${id}`);
      checkAccess(ctx.caller, vpc, describeVpc(vpc));
      const now = ctx.world.now();
      for (const gw of ctx.world.all("vpnGateways").filter((g) => g.vpcId === vpc.id)) {
        for (const conn of ctx.world.all("connections").filter((c) => c.vpnGatewayId === gw.id)) {
          conn.state = "Removed";
          conn.removed = now;
        }
        gw.removed = now;
      }
      for (const ip of ctx.world.all("publicIps").filter((p) => p.vpcId === vpc.id)) ip.removed = now;
      vpc.removed = now;
      ctx.world.persist();
      return { kind: "success" };
    },
  });
}

export function listVpcs(ctx: CommandContext): CommandResult {
  const inScope = listScope(ctx.world, ctx.caller, ctx.params);
  const id = ctx.params.number("id");
  const name = ctx.params.string("name");
  const zoneId = ctx.params.number("zoneid");
  const keyword = ctx.params.string("keyword")?.toLowerCase();
  const rows = ctx.world
    .all("vpcs")
    .filter(
      (v) =>
        inScope(v) &&
        (id === undefined || v.id === id) &&
        (name === undefined || v.name === name) &&
        (zoneId === undefined || v.zoneId === zoneId) &&
        (keyword === undefined || v.name.toLowerCase().includes(keyword)),
    );
  return syncResult(listBody(rows, ctx.params, "vpc", (v) => renderVpc(ctx.render, v)));
}

export function listPublicIpAddresses(ctx: CommandContext): CommandResult {
  const inScope = listScope(ctx.world, ctx.caller, ctx.params);
  const id = ctx.params.number("id");
  const address = ctx.params.string("ipaddress");
  const sourceNat = ctx.params.boolean("issourcenat");
  const vpcId = ctx.params.number("vpcid");
  const zoneId = ctx.params.number("zoneid");
  const rows = ctx.world
    .all("publicIps")
    .filter(
      (ip) =>
        inScope(ip) &&
        (id === undefined || ip.id === id) &&
        (address === undefined || ip.address === address) &&
        (sourceNat === undefined || ip.sourceNat === sourceNat) &&
        (vpcId === undefined || ip.vpcId === vpcId) &&
        (zoneId === undefined || ip.zoneId === zoneId),
    );
  return syncResult(listBody(rows, ctx.params, "publicipaddress", (ip) => renderPublicIp(ctx.render, ip)));
}

export function listZones(ctx: CommandContext): CommandResult {
  const id = ctx.params.number("id");
  const name = ctx.params.string("name");
  const rows = ctx.world.all("zones").filter((z) => (id === undefined || z.id === id) && (name === undefined || z.name === name));
  return syncResult(
    listBody(rows, ctx.params, "zone", (z) => ({
      id: z.uuid,
      name: z.name,
      networktype: "Advanced",
      securitygroupsenabled: false,
      allocationstate: "Enabled",
      localstorageenabled: false,
      dns1: "192.0.2.53",
      zonetoken: z.uuid,
      hasannotations: false,
    })),
  );
}

export function listVpcOfferings(ctx: CommandContext): CommandResult {
  const id = ctx.params.number("id");
  const name = ctx.params.string("name");
  const rows = ctx.world.all("vpcOfferings").filter((o) => (id === undefined || o.id === id) && (name === undefined || o.name === name));
  const provider = [{ name: "VpcVirtualRouter" }];
  return syncResult(
    listBody(rows, ctx.params, "vpcoffering", (o) => ({
      id: o.uuid,
      name: o.name,
      displaytext: o.name,
      isdefault: true,
      state: "Enabled",
      fordisplay: true,
      distributedvpcrouter: false,
      supportsregionLevelvpc: false,
      created: o.created,
      service: ["Dhcp", "Dns", "Lb", "NetworkACL", "PortForwarding", "SourceNat", "StaticNat", "UserData", "Vpn"].map((s) => ({
        name: s,
        provider,
      })),
    })),
  );
}
