import { describe, expect, it } from "vitest";
import { startTestCloud } from "../helpers/fixture";
import { STATIC_GATEWAY, TestClient } from "../helpers/signed-client";

describe("createVpnCustomerGateway", () => {
  it("replies {id, jobid} and the job returns the gateway with CloudStack's defaults", async () => {
    const { admin } = await startTestCloud();
    const started = await admin.ok("createVpnCustomerGateway", STATIC_GATEWAY);
    expect(Object.keys(started)).toEqual(["id", "jobid"]);
    const job = await admin.waitForJob(started.jobid);
    expect(job).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresulttype: "object", cmd: expect.stringMatching(/CreateVpnCustomerGatewayCmd$/) });
    expect(job.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(job.jobresult.vpncustomergateway).toMatchObject({
      id: started.id,
      name: "VPN-203.0.113.50",
      ikelifetime: 86400,
      esplifetime: 3600,
      dpd: false,
      forceencap: false,
      splitconnections: false,
      ikeversion: "ike",
      account: "admin",
      domain: "ROOT",
    });
    expect(job.jobresult.vpncustomergateway).not.toHaveProperty("ipaddress");
  });

  it("accepts the same request as a form POST", async () => {
    const { admin } = await startTestCloud();
    const reply = await admin.call("createVpnCustomerGateway", STATIC_GATEWAY, { method: "POST" });
    expect(reply.status).toBe(200);
    expect(reply.body.createvpncustomergatewayresponse.jobid).toBeDefined();
  });

  it("stores the CIDR list with host bits cleared (getCleanIp4CidrList)", async () => {
    const { admin } = await startTestCloud();
    const job = await admin.run("createVpnCustomerGateway", { ...STATIC_GATEWAY, cidrlist: "192.168.50.7/24" });
    expect(job.jobresult.vpncustomergateway.cidrlist).toBe("192.168.50.0/24");
  });

  it.each([
    [{ gateway: "foo_bar" }, "The customer gateway ip/Domain foo_bar is invalid!"],
    [{ cidrlist: "10.0.0.0/24, 10.1.0.0/24" }, "The customer gateway peer cidr list 10.0.0.0/24, 10.1.0.0/24 contains an invalid cidr!"],
    [{ ikepolicy: "aes128-sha1" }, "The customer gateway IKE policy aes128-sha1 is invalid!  Verify the required Diffie Hellman (DH) group is specified."],
    [{ esppolicy: "aes128-md4" }, "The customer gateway ESP policy aes128-md4 is invalid!"],
    [{ ikelifetime: "86401" }, "The IKE lifetime 86401 of vpn connection is invalid!"],
    [{ esplifetime: "90000" }, "The ESP lifetime 90000 of vpn connection is invalid!"],
    [{ cidrlist: Array.from({ length: 11 }, (_, i) => `10.${i}.0.0/16`).join(",") }, "Too many subnets of customer gateway! The limit is 10"],
    [{ cidrlist: "10.0.0.0/8,10.2.0.0/16" }, "The subnet of customer gateway 10.0.0.0/8 is overlapped with another subnet 10.2.0.0/16 of customer gateway!"],
  ])("fails synchronously with 431/4350 for %j", async (override, text) => {
    const { admin } = await startTestCloud();
    const reply = await admin.call("createVpnCustomerGateway", { ...STATIC_GATEWAY, ...override });
    expect(reply.status).toBe(431);
    expect(reply.body).toEqual({ createvpncustomergatewayresponse: { uuidList: [], errorcode: 431, cserrorcode: 4350, errortext: text } });
    expect(reply.headers.get("x-description")).toBe(text);
  });

  it("accepts what CloudStack accepts: 999.1.1.1, zero and negative lifetimes, an empty PSK", async () => {
    const { admin } = await startTestCloud();
    const job = await admin.run("createVpnCustomerGateway", { ...STATIC_GATEWAY, gateway: "999.1.1.1", ikelifetime: "0", esplifetime: "-5", ipsecpsk: "" });
    expect(job.jobresult.vpncustomergateway).toMatchObject({ gateway: "999.1.1.1", ikelifetime: 0, esplifetime: -5, ipsecpsk: "" });
  });

  it("fails with 530 on a trailing semicolon; only the root admin sees Java's text", async () => {
    const { cloud, admin } = await startTestCloud();
    const asAdmin = await admin.call("createVpnCustomerGateway", { ...STATIC_GATEWAY, ikepolicy: "aes128-sha1;" });
    expect(asAdmin.status).toBe(530);
    expect(asAdmin.body.createvpncustomergatewayresponse.errortext).toBe("Index 1 out of bounds for length 1");
    const user = await cloud.createAccount("alice");
    const asUser = await new TestClient(cloud.url, user).call("createVpnCustomerGateway", { ...STATIC_GATEWAY, ikepolicy: "aes128-sha1;" });
    expect(asUser.status).toBe(530);
    expect(asUser.body.createvpncustomergatewayresponse.errortext).toBe("Internal error executing command, please contact your system administrator");
  });

  it("fails when the name is taken in the same account", async () => {
    const { admin } = await startTestCloud();
    await admin.run("createVpnCustomerGateway", { ...STATIC_GATEWAY, name: "hq" });
    const reply = await admin.call("createVpnCustomerGateway", { ...STATIC_GATEWAY, gateway: "203.0.113.51", name: "hq" });
    expect(reply.body.createvpncustomergatewayresponse.errortext).toBe("The customer gateway with name hq already exists!");
  });
});

describe("parameter processing (contract §1.5)", () => {
  it.each([
    ["missing parameter", { ...STATIC_GATEWAY, cidrlist: undefined }, "Unable to execute API command createvpncustomergateway due to missing parameter cidrlist"],
    ["bad long", { ...STATIC_GATEWAY, ikelifetime: "1d" }, "Unable to execute API command createvpncustomergateway due to invalid value 1d for parameter ikelifetime"],
    ["too long", { ...STATIC_GATEWAY, ipsecpsk: "x".repeat(256) }, "Unable to execute API command createvpncustomergateway due to invalid value. Value greater than max allowed length 255 for param: ipsecPsk"],
    ["empty ikeversion", { ...STATIC_GATEWAY, ikeversion: "" }, "Empty or null value provided for API arg: ikeversion"],
  ])("fails synchronously with 431/9999 on a %s", async (_, params, text) => {
    const { admin } = await startTestCloud();
    const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const reply = await admin.call("createVpnCustomerGateway", clean);
    expect(reply.status).toBe(431);
    expect(reply.body.createvpncustomergatewayresponse).toEqual({ uuidList: [], errorcode: 431, cserrorcode: 9999, errortext: text });
  });

  it("fails on an unknown UUID with the entity-does-not-exist text", async () => {
    const { admin } = await startTestCloud();
    const reply = await admin.call("deleteVpnCustomerGateway", { id: "00000000-0000-0000-0000-000000000000" });
    expect(reply.status).toBe(431);
    expect(reply.body.deletevpncustomergatewayresponse.errortext).toBe(
      "Unable to execute API command deletevpncustomergateway due to invalid value. Invalid parameter id value=00000000-0000-0000-0000-000000000000 due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.",
    );
  });

  it("answers an unknown command with 432 under errorresponse", async () => {
    const { admin } = await startTestCloud();
    const reply = await admin.call("deployVirtualMachine");
    expect(reply.status).toBe(432);
    expect(reply.body).toEqual({ errorresponse: { uuidList: [], errorcode: 432, cserrorcode: 9999, errortext: "Unknown API command: deployVirtualMachine" } });
  });

  it("treats anything but true as false for booleans", async () => {
    const { admin } = await startTestCloud();
    const job = await admin.run("createVpnCustomerGateway", { ...STATIC_GATEWAY, dpd: "yes", forceencap: "TRUE" });
    expect(job.jobresult.vpncustomergateway).toMatchObject({ dpd: false, forceencap: true });
  });

  it("accepts the internal numeric id where a UUID is expected", async () => {
    const { admin } = await startTestCloud();
    await admin.run("createVpnCustomerGateway", STATIC_GATEWAY);
    const listed = await admin.ok("listVpnCustomerGateways", { id: "1" });
    expect(listed.count).toBe(1);
  });
});

describe("listVpnCustomerGateways", () => {
  it("omits count when empty", async () => {
    const { admin } = await startTestCloud();
    expect(await admin.ok("listVpnCustomerGateways")).toEqual({});
  });

  it("lists newest first, counts all matches and pages", async () => {
    const { admin } = await startTestCloud();
    for (const n of [1, 2, 3]) await admin.run("createVpnCustomerGateway", { ...STATIC_GATEWAY, name: `gw${n}` });
    const all = await admin.ok("listVpnCustomerGateways");
    expect(all.count).toBe(3);
    expect(all.vpncustomergateway.map((g: any) => g.name)).toEqual(["gw3", "gw2", "gw1"]);
    const page2 = await admin.ok("listVpnCustomerGateways", { page: "2", pagesize: "2" });
    expect(page2).toMatchObject({ count: 3, vpncustomergateway: [{ name: "gw1" }] });
    expect(await admin.ok("listVpnCustomerGateways", { page: "3", pagesize: "2" })).toEqual({ count: 3 });
    expect((await admin.ok("listVpnCustomerGateways", { keyword: "W2" })).count).toBe(1);
  });
});

describe("updateVpnCustomerGateway", () => {
  it("replaces the whole gateway: omitted optionals go back to defaults, ikeversion is kept", async () => {
    const { admin } = await startTestCloud();
    const created = await admin.run("createVpnCustomerGateway", {
      ...STATIC_GATEWAY, name: "hq", ikelifetime: "3600", esplifetime: "1800", dpd: "true", forceencap: "true", splitconnections: "true", ikeversion: "ikev2",
    });
    const id = created.jobresult.vpncustomergateway.id;
    const job = await admin.run("updateVpnCustomerGateway", { id, ...STATIC_GATEWAY, gateway: "203.0.113.60" });
    expect(job.jobresult.vpncustomergateway).toMatchObject({
      name: "VPN-203.0.113.60", ikelifetime: 86400, esplifetime: 3600, dpd: false, forceencap: false, splitconnections: false, ikeversion: "ikev2",
    });
  });

  it.each([
    [{ ikepolicy: "aes128-sha1" }, "The customer gateway IKE policyaes128-sha1 is invalid!  Verify the required Diffie Hellman (DH) group is specified."],
    [{ esppolicy: "des-sha1" }, "The customer gateway ESP policydes-sha1 is invalid!"],
    [{ gateway: "a..b" }, "The customer gateway ip/Domain a..b is invalid!"],
  ])("fails inside the job (jobresultcode 431, no cserrorcode) for %j", async (override, text) => {
    const { admin } = await startTestCloud();
    const id = (await admin.run("createVpnCustomerGateway", STATIC_GATEWAY)).jobresult.vpncustomergateway.id;
    const started = await admin.call("updateVpnCustomerGateway", { id, ...STATIC_GATEWAY, ...override });
    expect(started.status).toBe(200);
    const job = await admin.waitForJob(started.body.updatevpncustomergatewayresponse.jobid);
    expect(job).toMatchObject({ jobstatus: 2, jobresultcode: 431 });
    expect(job.jobresult).toEqual({ errorcode: 431, errortext: text });
  });

  it("fails with the 'Find to find' text for a removed gateway, naming its internal id", async () => {
    const { admin } = await startTestCloud();
    const id = (await admin.run("createVpnCustomerGateway", STATIC_GATEWAY)).jobresult.vpncustomergateway.id;
    await admin.run("deleteVpnCustomerGateway", { id });
    const job = await admin.run("updateVpnCustomerGateway", { id, ...STATIC_GATEWAY });
    expect(job.jobresult.errortext).toBe("Find to find customer gateway with id 1");
  });
});

describe("deleteVpnCustomerGateway", () => {
  it("succeeds with {success:true} and the gateway disappears from lists", async () => {
    const { admin } = await startTestCloud();
    const id = (await admin.run("createVpnCustomerGateway", STATIC_GATEWAY)).jobresult.vpncustomergateway.id;
    const job = await admin.run("deleteVpnCustomerGateway", { id });
    expect(job).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect(await admin.ok("listVpnCustomerGateways")).toEqual({});
  });

  it("fails inside the job for an already removed gateway, naming its internal id", async () => {
    const { admin } = await startTestCloud();
    const id = (await admin.run("createVpnCustomerGateway", STATIC_GATEWAY)).jobresult.vpncustomergateway.id;
    await admin.run("deleteVpnCustomerGateway", { id });
    const job = await admin.run("deleteVpnCustomerGateway", { id });
    expect(job.jobresult).toEqual({ errorcode: 431, errortext: "Fail to find customer gateway with 1 !" });
  });
});
