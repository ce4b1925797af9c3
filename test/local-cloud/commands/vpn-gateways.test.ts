import { describe, expect, it } from "vitest";
import { createTunnel, startTestCloud } from "../helpers/fixture";

describe("createVpnGateway", () => {
  it("uses the VPC's source-NAT IP from a documentation range", async () => {
    const { cloud, admin } = await startTestCloud();
    const job = await admin.run("createVpnGateway", { vpcid: cloud.seededVpc.id });
    expect(job.jobresult.vpngateway).toMatchObject({ publicip: cloud.seededVpc.publicIp, vpcid: cloud.seededVpc.id, vpcname: "local-vpc", fordisplay: true });
    expect(cloud.seededVpc.publicIp).toMatch(/^(198\.51\.100|203\.0\.113)\./);
    const ips = await admin.ok("listPublicIpAddresses", { vpcid: cloud.seededVpc.id, issourcenat: "true" });
    expect(ips.publicipaddress[0]).toMatchObject({ id: cloud.seededVpc.publicIpId, issourcenat: true, ipaddress: cloud.seededVpc.publicIp });
  });

  it("fails when the VPC already has a VPN gateway", async () => {
    const { cloud, admin } = await startTestCloud();
    await admin.run("createVpnGateway", { vpcid: cloud.seededVpc.id });
    const reply = await admin.call("createVpnGateway", { vpcid: cloud.seededVpc.id });
    expect(reply.status).toBe(431);
    expect(reply.body.createvpngatewayresponse.errortext).toMatch(/^The VPN gateway of VPC VPC \{"id":1,"name":"local-vpc","uuid":".+"\} already exists!$/);
  });

  it("fails when ipaddressid is not the source-NAT IP", async () => {
    const { cloud, admin } = await startTestCloud();
    const other = await cloud.createAccount("bob");
    const reply = await admin.call("createVpnGateway", { vpcid: cloud.seededVpc.id, ipaddressid: other.vpc.publicIpId });
    expect(reply.body.createvpngatewayresponse.errortext).toBe(`Cannot use requested IP ${other.vpc.publicIp} as it is not the Source NAT IP`);
  });
});

describe("updateVpnGateway", () => {
  it("completes without a jobresult object (CloudStack never sets one)", async () => {
    const { cloud, admin } = await startTestCloud();
    const id = (await admin.run("createVpnGateway", { vpcid: cloud.seededVpc.id })).jobresult.vpngateway.id;
    const job = await admin.run("updateVpnGateway", { id, fordisplay: "false" });
    expect(job).toMatchObject({ jobstatus: 1, jobresultcode: 0 });
    expect(job).not.toHaveProperty("jobresult");
    expect((await admin.ok("listVpnGateways", { id })).vpngateway[0].fordisplay).toBe(false);
  });

  it("changes the uuid to customid", async () => {
    const { cloud, admin } = await startTestCloud();
    const id = (await admin.run("createVpnGateway", { vpcid: cloud.seededVpc.id })).jobresult.vpngateway.id;
    await admin.run("updateVpnGateway", { id, customid: "my-gateway" });
    expect((await admin.ok("listVpnGateways")).vpngateway[0].id).toBe("my-gateway");
  });
});

describe("deleteVpnGateway", () => {
  it("fails inside the job while connections exist", async () => {
    const { cloud, admin } = await startTestCloud();
    const { vgwId } = await createTunnel(admin, cloud.seededVpc.id);
    const job = await admin.run("deleteVpnGateway", { id: vgwId });
    expect(job.jobresultcode).toBe(431);
    expect(job.jobresult.errortext).toMatch(/^Unable to delete VPN gateway Site2SiteVpnGateway \{"id":1,"uuid":".+"\} because there is still related VPN connections!$/);
  });

  it("deletes an unused gateway, then fails on it with the internal id", async () => {
    const { cloud, admin } = await startTestCloud();
    const id = (await admin.run("createVpnGateway", { vpcid: cloud.seededVpc.id })).jobresult.vpngateway.id;
    expect((await admin.run("deleteVpnGateway", { id })).jobresult).toEqual({ success: true });
    expect((await admin.run("deleteVpnGateway", { id })).jobresult.errortext).toBe("Fail to find vpn gateway with 1 !");
    expect((await admin.run("updateVpnGateway", { id })).jobresult.errortext).toBe("Fail to find vpn gateway with 1");
  });
});

describe("the VPC world", () => {
  it("creates, lists and deletes a VPC with its own source-NAT IP", async () => {
    const { cloud, admin } = await startTestCloud();
    const offering = (await admin.ok("listVPCOfferings")).vpcoffering[0].id;
    const zones = await admin.ok("listZones");
    expect(zones.zone[0].id).toBe(cloud.seededVpc.zoneId);
    const job = await admin.run("createVPC", { name: "second", cidr: "10.99.0.0/16", vpcofferingid: offering, zoneid: cloud.seededVpc.zoneId });
    const vpcId = job.jobresult.vpc.id;
    expect(job.jobresult.vpc).toMatchObject({ name: "second", cidr: "10.99.0.0/16", state: "Enabled" });
    const ips = await admin.ok("listPublicIpAddresses", { vpcid: vpcId });
    expect(ips.count).toBe(1);
    expect((await admin.ok("listVPCs")).count).toBe(2);
    expect((await admin.run("deleteVPC", { id: vpcId })).jobresult).toEqual({ success: true });
    expect((await admin.ok("listVPCs")).count).toBe(1);
  });

  it("fails on an invalid VPC CIDR", async () => {
    const { cloud, admin } = await startTestCloud();
    const offering = (await admin.ok("listVPCOfferings")).vpcoffering[0].id;
    const reply = await admin.call("createVPC", { name: "x", cidr: "10.0.0.0/40", vpcofferingid: offering, zoneid: cloud.seededVpc.zoneId });
    expect(reply.body.createvpcresponse.errortext).toBe("Invalid CIDR specified 10.0.0.0/40");
  });
});
