import { describe, expect, it } from "vitest";
import { createTunnel, startTestCloud } from "./helpers/fixture";
import { STATIC_GATEWAY, TestClient } from "./helpers/signed-client";

describe("accounts", () => {
  it("gives each account its own keys and seeded VPC with a distinct CIDR", async () => {
    const { cloud } = await startTestCloud();
    const alice = await cloud.createAccount("alice");
    expect(alice.apiKey).not.toBe(cloud.admin.apiKey);
    expect(alice.vpc.cidr).not.toBe(cloud.seededVpc.cidr);
    const vpcs = await new TestClient(cloud.url, alice).ok("listVPCs");
    expect(vpcs.vpc.map((v: any) => v.id)).toEqual([alice.vpc.id]);
  });

  it("fails when the account name is taken", async () => {
    const { cloud } = await startTestCloud();
    await cloud.createAccount("alice");
    await expect(cloud.createAccount("alice")).rejects.toThrow(/already exists/);
  });
});

describe("account isolation", () => {
  it("hides one account's objects from another account's lists, even with listall or an id", async () => {
    const { cloud } = await startTestCloud();
    const alice = new TestClient(cloud.url, await cloud.createAccount("alice"));
    const bob = new TestClient(cloud.url, await cloud.createAccount("bob"));
    const id = (await alice.run("createVpnCustomerGateway", STATIC_GATEWAY)).jobresult.vpncustomergateway.id;
    expect(await bob.ok("listVpnCustomerGateways", { listall: "true" })).toEqual({});
    expect(await bob.ok("listVpnCustomerGateways", { id })).toEqual({});
    expect((await alice.ok("listVpnCustomerGateways")).count).toBe(1);
  });

  it("refuses to delete another account's customer gateway synchronously with 531/4365", async () => {
    const { cloud } = await startTestCloud();
    const alice = new TestClient(cloud.url, await cloud.createAccount("alice"));
    const bob = new TestClient(cloud.url, await cloud.createAccount("bob"));
    const id = (await alice.run("createVpnCustomerGateway", STATIC_GATEWAY)).jobresult.vpncustomergateway.id;
    const reply = await bob.call("deleteVpnCustomerGateway", { id });
    expect(reply.status).toBe(531);
    expect(reply.body.deletevpncustomergatewayresponse).toMatchObject({ errorcode: 531, cserrorcode: 4365 });
    expect(reply.body.deletevpncustomergatewayresponse.errortext).toMatch(/^Account \{"accountName":"bob".+\} does not have permission to operate with resource Site2SiteCustomerGateway/);
    expect((await alice.ok("listVpnCustomerGateways")).count).toBe(1);
  });

  it("refuses updates of another account's gateway inside the job and changes nothing", async () => {
    const { cloud } = await startTestCloud();
    const alice = new TestClient(cloud.url, await cloud.createAccount("alice"));
    const bob = new TestClient(cloud.url, await cloud.createAccount("bob"));
    const id = (await alice.run("createVpnCustomerGateway", STATIC_GATEWAY)).jobresult.vpncustomergateway.id;
    const job = await bob.run("updateVpnCustomerGateway", { id, ...STATIC_GATEWAY, ipsecpsk: "stolen" });
    expect(job).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    expect(job.jobresult.errortext).toMatch(/does not have permission to operate with resource/);
    expect((await alice.ok("listVpnCustomerGateways")).vpncustomergateway[0].ipsecpsk).toBe(STATIC_GATEWAY.ipsecpsk);
  });

  it("refuses a VPN gateway on another account's VPC and another account's job results", async () => {
    const { cloud } = await startTestCloud();
    const aliceAccount = await cloud.createAccount("alice");
    const alice = new TestClient(cloud.url, aliceAccount);
    const bob = new TestClient(cloud.url, await cloud.createAccount("bob"));
    const reply = await bob.call("createVpnGateway", { vpcid: aliceAccount.vpc.id });
    expect(reply.status).toBe(531);
    const started = await alice.ok("createVpnCustomerGateway", STATIC_GATEWAY);
    const peek = await bob.call("queryAsyncJobResult", { jobid: started.jobid });
    expect(peek.status).toBe(531);
    expect(peek.body.queryasyncjobresultresponse.errortext).toMatch(/is not authorized to see job id=/);
  });

  it("refuses a user acting for another account via account/domainid", async () => {
    const { cloud } = await startTestCloud();
    const alice = await cloud.createAccount("alice");
    await cloud.createAccount("bob");
    const reply = await new TestClient(cloud.url, alice).call("createVpnCustomerGateway", { ...STATIC_GATEWAY, account: "bob", domainid: alice.domainId });
    expect(reply.status).toBe(531);
  });
});

describe("admin visibility", () => {
  it("sees only its own rows by default, everything with listall=true or an id, and operates on anything", async () => {
    const { cloud, admin } = await startTestCloud();
    const aliceAccount = await cloud.createAccount("alice");
    const alice = new TestClient(cloud.url, aliceAccount);
    const { connId, cgwId } = await createTunnel(alice, aliceAccount.vpc.id);
    expect(await admin.ok("listVpnConnections")).toEqual({});
    expect((await admin.ok("listVpnConnections", { listall: "true" })).vpnconnection[0]).toMatchObject({ id: connId, account: "alice", fordisplay: true });
    expect((await admin.ok("listVpnCustomerGateways", { id: cgwId })).count).toBe(1);
    expect((await admin.ok("listVpnCustomerGateways", { account: "alice", domainid: aliceAccount.domainId })).count).toBe(1);
    expect((await admin.run("deleteVpnConnection", { id: connId })).jobresult).toEqual({ success: true });
  });

  it("hides admin-only fordisplay from normal users", async () => {
    const { cloud } = await startTestCloud();
    const aliceAccount = await cloud.createAccount("alice");
    const alice = new TestClient(cloud.url, aliceAccount);
    const { job } = await createTunnel(alice, aliceAccount.vpc.id);
    expect(job.jobresult.vpnconnection).not.toHaveProperty("fordisplay");
  });
});
