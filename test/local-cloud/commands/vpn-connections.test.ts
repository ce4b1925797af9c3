import { describe, expect, it } from "vitest";
import { createTunnel, startTestCloud } from "../helpers/fixture";
import { STATIC_GATEWAY, waitUntil } from "../helpers/signed-client";

const gatewayN = (n: number) => ({ ...STATIC_GATEWAY, name: `peer${n}`, gateway: `203.0.113.${60 + n}`, cidrlist: `192.168.${n}.0/24` });

describe("createVpnConnection", () => {
  it("starts the connection: Pending -> Connecting (main), and sends one create=true data bag", async () => {
    const { cloud, admin, router } = await startTestCloud();
    const { job, connId } = await createTunnel(admin, cloud.seededVpc.id);
    expect(job.jobresult.vpnconnection).toMatchObject({ id: connId, state: "Connecting", passive: false, publicip: cloud.seededVpc.publicIp, gateway: "203.0.113.50" });
    const bags = router.bagsFor(cloud.seededVpc.id);
    expect(bags).toHaveLength(1);
    expect(bags[0]).toMatchObject({
      type: "site2sitevpn",
      create: true,
      local_public_ip: cloud.seededVpc.publicIp,
      local_guest_cidr: cloud.seededVpc.cidr,
      peer_gateway_ip: "203.0.113.50",
      peer_guest_cidr_list: "192.168.50.0/24",
      ipsec_psk: STATIC_GATEWAY.ipsecpsk,
      ike_policy: "aes256-sha256;modp2048",
      ike_lifetime: 86400,
      esp_lifetime: 3600,
      passive: false,
      ike_version: "ike",
    });
  });

  it("starts a passive connection as Disconnected", async () => {
    const { cloud, admin } = await startTestCloud();
    const { job } = await createTunnel(admin, cloud.seededVpc.id, STATIC_GATEWAY, { passive: "true" });
    expect(job.jobresult.vpnconnection).toMatchObject({ state: "Disconnected", passive: true });
  });

  it("leaves the row in Error and fails the job with 534 when the router rejects the bag", async () => {
    const { cloud, admin, router } = await startTestCloud();
    router.setFailing(cloud.seededVpc.id, true);
    const { job, connId } = await createTunnel(admin, cloud.seededVpc.id);
    expect(job).toMatchObject({ jobstatus: 2, jobresultcode: 534 });
    expect(job.jobresult).toEqual({ errorcode: 534, errortext: "Resource [Site2SiteVpnConnection:1] is unreachable: Failed to apply site-to-site VPN" });
    expect((await admin.ok("listVpnConnections", { id: connId })).vpnconnection[0].state).toBe("Error");
  });

  it("fails when the pair is already connected", async () => {
    const { cloud, admin } = await startTestCloud();
    const { cgwId, vgwId } = await createTunnel(admin, cloud.seededVpc.id);
    const reply = await admin.call("createVpnConnection", { s2svpngatewayid: vgwId, s2scustomergatewayid: cgwId });
    expect(reply.status).toBe(431);
    expect(reply.body.createvpnconnectionresponse.errortext).toMatch(
      /^The vpn connection with customer gateway Site2SiteCustomerGateway \{"id":1,"name":"VPN-203\.0\.113\.50","uuid":".+"\} and vpn gateway Site2SiteVpnGateway \{"id":1,"uuid":".+"\} already exists!$/,
    );
  });

  it("fails when a peer CIDR overlaps the VPC CIDR", async () => {
    const { cloud, admin } = await startTestCloud();
    const cgw = (await admin.run("createVpnCustomerGateway", { ...STATIC_GATEWAY, cidrlist: "10.1.5.0/24" })).jobresult.vpncustomergateway.id;
    const vgw = (await admin.run("createVpnGateway", { vpcid: cloud.seededVpc.id })).jobresult.vpngateway.id;
    const reply = await admin.call("createVpnConnection", { s2svpngatewayid: vgw, s2scustomergatewayid: cgw });
    expect(reply.body.createvpnconnectionresponse.errortext).toMatch(
      /^The subnets of customer gateway Site2SiteCustomerGateway \{.+\} subnet 10\.1\.5\.0\/24 is overlapped with VPC cidr 10\.1\.0\.0\/16!$/,
    );
  });

  it("fails on the fifth connection of one VPN gateway", async () => {
    const { cloud, admin } = await startTestCloud();
    let vgwId = "";
    for (const n of [1, 2, 3, 4]) vgwId = (await createTunnel(admin, cloud.seededVpc.id, gatewayN(n))).vgwId;
    const cgw = (await admin.run("createVpnCustomerGateway", gatewayN(5))).jobresult.vpncustomergateway.id;
    const reply = await admin.call("createVpnConnection", { s2svpngatewayid: vgwId, s2scustomergatewayid: cgw });
    expect(reply.body.createvpnconnectionresponse.errortext).toBe("There are too many VPN connections with current VPN gateway! The limit is 4");
  });

  it("fails when a peer CIDR overlaps another connection's peer CIDR", async () => {
    const { cloud, admin } = await startTestCloud();
    const { vgwId } = await createTunnel(admin, cloud.seededVpc.id, gatewayN(1));
    const cgw = (await admin.run("createVpnCustomerGateway", { ...gatewayN(2), cidrlist: "192.168.0.0/16" })).jobresult.vpncustomergateway.id;
    const reply = await admin.call("createVpnConnection", { s2svpngatewayid: vgwId, s2scustomergatewayid: cgw });
    expect(reply.body.createvpnconnectionresponse.errortext).toBe(
      "The new connection's remote subnet 192.168.0.0/16 is overlapped with existed VPN connection to customer gateway peer1's subnet 192.168.1.0/24",
    );
  });

  it("fails when the customer gateway was removed, naming its internal id", async () => {
    const { cloud, admin } = await startTestCloud();
    const cgw = (await admin.run("createVpnCustomerGateway", STATIC_GATEWAY)).jobresult.vpncustomergateway.id;
    await admin.run("deleteVpnCustomerGateway", { id: cgw });
    const vgw = (await admin.run("createVpnGateway", { vpcid: cloud.seededVpc.id })).jobresult.vpngateway.id;
    const reply = await admin.call("createVpnConnection", { s2svpngatewayid: vgw, s2scustomergatewayid: cgw });
    expect(reply.body.createvpnconnectionresponse.errortext).toBe("Unable to find specified Site to Site VPN customer gateway 1 !");
  });

  it("fails when gateway and customer gateway belong to different accounts (admin acting for both)", async () => {
    const { cloud, admin } = await startTestCloud();
    const bob = await cloud.createAccount("bob");
    const cgw = (await admin.run("createVpnCustomerGateway", { ...STATIC_GATEWAY, account: "bob", domainid: bob.domainId })).jobresult.vpncustomergateway;
    expect(cgw.account).toBe("bob");
    const vgw = (await admin.run("createVpnGateway", { vpcid: cloud.seededVpc.id })).jobresult.vpngateway.id;
    const reply = await admin.call("createVpnConnection", { s2svpngatewayid: vgw, s2scustomergatewayid: cgw.id });
    expect(reply.body.createvpnconnectionresponse.errortext).toBe("VPN connection can only be established between same account's VPN gateway and customer gateway!");
  });
});

describe("deleteVpnConnection / resetVpnConnection / updateVpnConnection", () => {
  it("delete stops the connection (create=false bag) and removes it", async () => {
    const { cloud, admin, router } = await startTestCloud();
    const { connId } = await createTunnel(admin, cloud.seededVpc.id);
    expect((await admin.run("deleteVpnConnection", { id: connId })).jobresult).toEqual({ success: true });
    const bags = router.bagsFor(cloud.seededVpc.id);
    expect(bags.map((b) => b.create)).toEqual([true, false]);
    expect(router.configuredPeers(cloud.seededVpc.id)).toEqual([]);
    expect(await admin.ok("listVpnConnections")).toEqual({});
    expect((await admin.run("deleteVpnConnection", { id: connId })).jobresult.errortext).toBe("Fail to find site to site VPN connection 1 to delete!");
  });

  it("delete of a Pending connection sends no bag (nothing was started)", async () => {
    const { cloud, admin, router } = await startTestCloud();
    const cgw = (await admin.run("createVpnCustomerGateway", STATIC_GATEWAY)).jobresult.vpncustomergateway.id;
    const vgw = (await admin.run("createVpnGateway", { vpcid: cloud.seededVpc.id })).jobresult.vpngateway.id;
    // GIVEN a connection whose start job failed before doing anything: the row stays Pending
    cloud.setFaults({ seed: 1, jobFailureRate: 1 });
    const pending = await admin.ok("createVpnConnection", { s2svpngatewayid: vgw, s2scustomergatewayid: cgw });
    expect((await admin.waitForJob(pending.jobid)).jobresultcode).toBe(530);
    cloud.setFaults(undefined);
    expect((await admin.ok("listVpnConnections")).vpnconnection[0].state).toBe("Pending");
    // WHEN it is deleted
    expect((await admin.run("deleteVpnConnection", { id: pending.id })).jobresult).toEqual({ success: true });
    // THEN the router never heard of it
    expect(router.bagsFor(cloud.seededVpc.id)).toEqual([]);
  });

  it("reset restarts from Error: stop (create=false) then start (create=true)", async () => {
    const { cloud, admin, router } = await startTestCloud();
    router.setFailing(cloud.seededVpc.id, true);
    const { connId } = await createTunnel(admin, cloud.seededVpc.id);
    router.setFailing(cloud.seededVpc.id, false);
    const job = await admin.run("resetVpnConnection", { id: connId });
    expect(job.jobresult.vpnconnection.state).toBe("Connecting");
    expect(router.bagsFor(cloud.seededVpc.id).map((b) => b.create)).toEqual([false, true]);
  });

  it("update sets fordisplay and returns the connection", async () => {
    const { cloud, admin } = await startTestCloud();
    const { connId } = await createTunnel(admin, cloud.seededVpc.id);
    const job = await admin.run("updateVpnConnection", { id: connId, fordisplay: "false" });
    expect(job.jobresult.vpnconnection).toMatchObject({ id: connId, fordisplay: false });
  });

  it("customer gateway update restarts its connections with the new settings", async () => {
    const { cloud, admin, router } = await startTestCloud();
    const { cgwId } = await createTunnel(admin, cloud.seededVpc.id);
    await admin.run("updateVpnCustomerGateway", { id: cgwId, ...STATIC_GATEWAY, ipsecpsk: "rotated-psk" });
    const bags = router.bagsFor(cloud.seededVpc.id);
    expect(bags.map((b) => [b.create, b.ipsec_psk])).toEqual([
      [true, STATIC_GATEWAY.ipsecpsk],
      [false, "rotated-psk"],
      [true, "rotated-psk"],
    ]);
  });

  it("deleting a customer gateway with connections fails inside the job", async () => {
    const { cloud, admin } = await startTestCloud();
    const { cgwId } = await createTunnel(admin, cloud.seededVpc.id);
    const job = await admin.run("deleteVpnCustomerGateway", { id: cgwId });
    expect(job.jobresult.errortext).toMatch(/^Unable to delete VPN customer gateway Site2SiteCustomerGateway \{.+\} because there is still related VPN connections!$/);
  });
});

describe("router status check (contract §2.11)", () => {
  it("moves Connecting -> Connected -> Disconnected -> Connected as the router reports", async () => {
    const { cloud, admin, router } = await startTestCloud({ statusCheckIntervalMs: 20 });
    const { connId } = await createTunnel(admin, cloud.seededVpc.id);
    const state = async () => (await admin.ok("listVpnConnections", { id: connId })).vpnconnection[0].state;
    await waitUntil(async () => (await state()) === "Connected");
    router.setConnected(cloud.seededVpc.id, "203.0.113.50", false);
    await waitUntil(async () => (await state()) === "Disconnected");
    router.setConnected(cloud.seededVpc.id, "203.0.113.50", true);
    await waitUntil(async () => (await state()) === "Connected");
  });

  it("leaves Error connections alone", async () => {
    const { cloud, admin, router } = await startTestCloud({ statusCheckIntervalMs: 20 });
    router.setFailing(cloud.seededVpc.id, true);
    const { connId } = await createTunnel(admin, cloud.seededVpc.id);
    await new Promise((r) => setTimeout(r, 100));
    expect((await admin.ok("listVpnConnections", { id: connId })).vpnconnection[0].state).toBe("Error");
  });
});
