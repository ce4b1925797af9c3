/**
 * The client against the real embedded endpoint (provider/local-cloud) over HTTP on 127.0.0.1: every command,
 * CloudStack's error texts, fault injection, account isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCloud, startLocalCloud } from "../../provider/local-cloud";
import * as cs from "../../provider/cloudstack";

const IKE = "aes256-sha256;modp2048";
const ESP = "aes256-sha256";
const PSK = "integration-psk-Secret!";

function clientFor(cloud: LocalCloud, keys: { apiKey: string; secretKey: string } = cloud.admin, extra: cs.CloudStackClientOptions = {}): cs.CloudStackClient {
  return new cs.CloudStackClient({
    apiUrl: cloud.url,
    ...keys,
    env: {},
    retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50 },
    jobPolling: { firstPollMs: 5, minPollIntervalMs: 5, maxPollIntervalMs: 50, pollRatio: 0.1, jobTimeoutMs: 20_000 },
    ...extra,
  });
}

const staticGateway = (name: string, n: number, extra: Partial<cs.CreateVpnCustomerGatewayParams> = {}): cs.CreateVpnCustomerGatewayParams => ({
  name, gateway: `203.0.113.${n}`, cidrList: `192.168.${n}.0/24`, ipsecPsk: PSK, ikePolicy: IKE, espPolicy: ESP, ...extra,
});

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  const outcome = await promise.then(() => undefined, (e: unknown) => e);
  if (outcome === undefined) throw new Error("expected a failure, got success");
  return outcome as Error & Record<string, unknown>;
}

describe("against local-cloud (dynamic-peer variant)", () => {
  let cloud: LocalCloud;
  let client: cs.CloudStackClient;
  beforeAll(async () => {
    cloud = await startLocalCloud({ variant: "dynamic-peer" });
    client = clientFor(cloud);
  });
  afterAll(async () => {
    client.close();
    await cloud.close();
  });

  it("runs the whole S2S lifecycle with every command", async () => {
    // GIVEN the seeded VPC
    expect(await cs.supportsDynamicPeer(client)).toBe(true);
    expect((await cs.listCapabilities(client)).cloudstackversion).toMatch(/^4\./);
    expect((await cs.listZones(client)).map((z) => z.id)).toContain(cloud.seededVpc.zoneId);
    expect((await cs.listVpcs(client, { id: cloud.seededVpc.id }))[0]).toMatchObject({ cidr: cloud.seededVpc.cidr });
    expect((await cs.listPublicIpAddresses(client, { vpcId: cloud.seededVpc.id }))[0]).toMatchObject({ ipaddress: cloud.seededVpc.publicIp });
    expect(await cs.listApis(client)).not.toHaveLength(0);

    // WHEN gateways and a connection are created, changed and reset
    const cgw = await cs.createVpnCustomerGateway(client, staticGateway("life-static", 10));
    const dyn = await cs.createVpnCustomerGateway(client, {
      name: "life-dynamic", cidrList: "192.168.11.0/24", ipsecPsk: PSK, ikePolicy: IKE, espPolicy: ESP, ikeVersion: "ikev2",
      dynamicPeer: true, remoteId: "branch.example.com", sourceCidrList: ["198.18.0.0/15"],
    });
    expect(dyn).toMatchObject({ dynamicpeer: true, remoteid: "branch.example.com", sourcecidrlist: "198.18.0.0/15" });
    const vgw = await cs.createVpnGateway(client, { vpcId: cloud.seededVpc.id });
    expect(vgw).toMatchObject({ vpcid: cloud.seededVpc.id, publicip: cloud.seededVpc.publicIp });
    const conn = await cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: cgw.id });
    expect(conn.state).toMatch(/^(Connecting|Connected)$/);
    const passive = await cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: dyn.id, passive: true });
    expect(passive.state).toBe("Disconnected");
    const updated = await cs.updateVpnCustomerGateway(client, { ...staticGateway("life-static-2", 10), id: cgw.id, dpd: true });
    expect(updated).toMatchObject({ id: cgw.id, name: "life-static-2", dpd: true });
    expect(await cs.updateVpnGateway(client, { id: vgw.id })).toMatchObject({ id: vgw.id });
    expect(await cs.updateVpnConnection(client, { id: conn.id })).toMatchObject({ id: conn.id });
    expect(await cs.resetVpnConnection(client, { id: conn.id })).toMatchObject({ id: conn.id });
    expect((await cs.listVpnConnections(client, { vpcId: cloud.seededVpc.id })).map((c) => c.id).sort()).toEqual([conn.id, passive.id].sort());
    expect(await cs.listVpnGateways(client, { vpcId: cloud.seededVpc.id })).toHaveLength(1);

    // THEN everything deletes in dependency order and is gone
    await cs.deleteVpnConnection(client, conn.id);
    await cs.deleteVpnConnection(client, passive.id);
    await cs.deleteVpnGateway(client, vgw.id);
    await cs.deleteVpnCustomerGateway(client, cgw.id);
    await cs.deleteVpnCustomerGateway(client, dyn.id);
    expect(await cs.listVpnCustomerGateways(client, { keyword: "life-" })).toEqual([]);
    expect(await cs.listVpnGateways(client, { vpcId: cloud.seededVpc.id })).toEqual([]);
  });

  it("creates and deletes a VPC from an offering and a zone", async () => {
    const [offering] = await cs.listVpcOfferings(client);
    const [zone] = await cs.listZones(client);
    const vpc = await cs.createVpc(client, { name: "extra", cidr: "10.50.0.0/16", vpcOfferingId: offering!.id, zoneId: zone!.id });
    expect(vpc).toMatchObject({ name: "extra", cidr: "10.50.0.0/16" });
    await cs.deleteVpc(client, vpc.id);
    expect(await cs.getVpc(client, vpc.id)).toBeUndefined();
  });

  it("pages through more gateways than one page holds", async () => {
    for (let i = 0; i < 7; i++) await cs.createVpnCustomerGateway(client, staticGateway(`page-${i}`, 100 + i));
    const pages: string[] = [];
    for await (const g of cs.paginate(client, cs.VPN_CUSTOMER_GATEWAYS, { keyword: "page-" }, { pageSize: 3 })) pages.push(g.name!);
    expect(pages.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `page-${i}`));
    for (const g of await cs.listVpnCustomerGateways(client, { keyword: "page-" })) await cs.deleteVpnCustomerGateway(client, g.id);
  });

  describe("reproduces CloudStack's error texts", () => {
    it.each([
      ["invalid gateway", staticGateway("e1", 1, { gateway: "foo_bar" }), /\(errorcode 431, cserrorcode 4350\): The customer gateway ip\/Domain foo_bar is invalid!$/],
      ["invalid cidr", staticGateway("e2", 2, { cidrList: "10.0.0.0/33" }), /The customer gateway peer cidr list 10\.0\.0\.0\/33 contains an invalid cidr!/],
      ["IKE policy without DH group", staticGateway("e3", 3, { ikePolicy: "aes128-sha1" }), /The customer gateway IKE policy aes128-sha1 is invalid!  Verify the required Diffie Hellman \(DH\) group is specified\./],
      ["bad ESP policy", staticGateway("e4", 4, { espPolicy: "AES128-sha1" }), /The customer gateway ESP policy AES128-sha1 is invalid!/],
      ["IKE lifetime over a day", staticGateway("e5", 5, { ikeLifetime: 86401 }), /The IKE lifetime 86401 of vpn connection is invalid!/],
      ["ESP lifetime over a day", staticGateway("e6", 6, { espLifetime: 90000 }), /The ESP lifetime 90000 of vpn connection is invalid!/],
      ["too many subnets", staticGateway("e7", 7, { cidrList: Array.from({ length: 11 }, (_, i) => `10.9.${i}.0/24`) }), /Too many subnets of customer gateway! The limit is 10/],
      ["overlapping subnets", staticGateway("e8", 8, { cidrList: ["10.8.0.0/16", "10.8.1.0/24"] }), /The subnet of customer gateway 10\.8\.0\.0\/16 is overlapped with another subnet 10\.8\.1\.0\/24 of customer gateway!/],
      ["trailing semicolon (an internal error, not a 431)", staticGateway("e9", 9, { ikePolicy: "aes128-sha1;" }), /errorcode 530/],
    ])("createVpnCustomerGateway: %s", async (_name, params, pattern) => {
      const error = await failure(cs.createVpnCustomerGateway(client, params));
      expect(error).toBeInstanceOf(cs.CloudStackApiError);
      expect(error.message).toMatch(/^cloudstack createVpnCustomerGateway failed/);
      expect(error.message).toMatch(pattern);
      expect(JSON.stringify(error) + error.message).not.toContain(PSK);
    });

    it("duplicate customer gateway name", async () => {
      const first = await cs.createVpnCustomerGateway(client, staticGateway("dup", 20));
      const error = await failure(cs.createVpnCustomerGateway(client, staticGateway("dup", 21)));
      expect(error.message).toMatch(/The customer gateway with name dup already exists!/);
      await cs.deleteVpnCustomerGateway(client, first.id);
    });

    it("missing parameter, unknown UUID, unknown command, bad signature", async () => {
      expect((await failure(client.call("createVpnCustomerGateway", { gateway: "1.2.3.4" }))).message).toMatch(
        /Unable to execute API command createvpncustomergateway due to missing parameter/,
      );
      expect((await failure(cs.createVpnGateway(client, { vpcId: "00000000-0000-0000-0000-000000000000" }))).message).toMatch(
        /due to invalid value\. Invalid parameter vpcid value=00000000-0000-0000-0000-000000000000/,
      );
      expect(await failure(client.call("noSuchCommand"))).toMatchObject({ errorCode: 432, errorText: "Unknown API command: noSuchCommand" });
      const wrong = clientFor(cloud, { apiKey: cloud.admin.apiKey, secretKey: "not-the-secret" });
      const denied = await failure(cs.listZones(wrong));
      expect(denied).toMatchObject({ httpStatus: 401, errorCode: 401, errorText: "unable to verify user credentials and/or request signature" });
      expect(denied.csErrorCode).toBeUndefined();
      wrong.close();
    });

    it("gateway and connection conflicts, and deletes blocked by connections", async () => {
      const cgw = await cs.createVpnCustomerGateway(client, staticGateway("conflict", 30));
      const inVpc = await cs.createVpnCustomerGateway(client, staticGateway("in-vpc", 31, { cidrList: "10.1.5.0/24" }));
      const vgw = await cs.createVpnGateway(client, { vpcId: cloud.seededVpc.id });
      expect((await failure(client.call("createVpnGateway", { vpcid: cloud.seededVpc.id }))).message).toMatch(/The VPN gateway of VPC .* already exists!/);
      const conn = await cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: cgw.id });
      expect((await failure(cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: cgw.id }))).message).toMatch(
        /The vpn connection with customer gateway .* and vpn gateway .* already exists!/,
      );
      expect((await failure(cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: inVpc.id }))).message).toMatch(
        /subnet 10\.1\.5\.0\/24 is overlapped with VPC cidr 10\.1\.0\.0\/16!/,
      );
      const blocked = await failure(cs.deleteVpnCustomerGateway(client, cgw.id));
      expect(blocked).toBeInstanceOf(cs.CloudStackAsyncJobError);
      expect(blocked).toMatchObject({ jobResultCode: 431 });
      expect(blocked.message).toMatch(/Unable to delete VPN customer gateway .* because there is still related VPN connections!/);
      expect((await failure(cs.deleteVpnGateway(client, vgw.id))).message).toMatch(/Unable to delete VPN gateway .* because there is still related VPN connections!/);
      await cs.deleteVpnConnection(client, conn.id);
      const gone = await failure(cs.updateVpnCustomerGateway(client, { ...staticGateway("x", 32), id: conn.id }));
      expect(gone.message).toMatch(/errorcode 431/);
      await cs.deleteVpnGateway(client, vgw.id);
      await cs.deleteVpnCustomerGateway(client, cgw.id);
      await cs.deleteVpnCustomerGateway(client, inVpc.id);
    });
  });
});

describe("against local-cloud (4.22 variant)", () => {
  it("reports no dynamic-peer support", async () => {
    const cloud = await startLocalCloud({ variant: "4.22" });
    const client = clientFor(cloud);
    try {
      expect(await cs.supportsDynamicPeer(client)).toBe(false);
    } finally {
      client.close();
      await cloud.close();
    }
  });
});

describe("against local-cloud with faults", () => {
  it("converges with no duplicates through 5xx, resets and latency", async () => {
    const cloud = await startLocalCloud({ faults: { seed: 7, http5xxRate: 0.2, connectionResetRate: 0.2, latencyMs: 2 } });
    const lines: string[] = [];
    const client = clientFor(cloud, cloud.admin, { retry: { maxAttempts: 12, baseDelayMs: 2, maxDelayMs: 20 }, logger: { debug: (l) => lines.push(l) } });
    try {
      const names = Array.from({ length: 20 }, (_, i) => `faulty-${i}`);
      const created = await Promise.all(names.map((name, i) => cs.createVpnCustomerGateway(client, staticGateway(name, 40 + i))));
      const vgw = await cs.createVpnGateway(client, { vpcId: cloud.seededVpc.id });
      const conn = await cs.createVpnConnection(client, { s2sVpnGatewayId: vgw.id, s2sCustomerGatewayId: created[0]!.id });
      cloud.setFaults(undefined);
      const listed = await cs.listVpnCustomerGateways(client, { keyword: "faulty-" });
      expect(listed.map((g) => g.name).sort()).toEqual([...names].sort());
      expect(new Set(created.map((g) => g.id)).size).toBe(20);
      expect(await cs.listVpnGateways(client, { vpcId: cloud.seededVpc.id })).toHaveLength(1);
      expect((await cs.listVpnConnections(client)).map((c) => c.id)).toEqual([conn.id]);
      cloud.setFaults({ seed: 8, http5xxRate: 0.2, connectionResetRate: 0.2 });
      await cs.deleteVpnConnection(client, conn.id);
      await cs.deleteVpnGateway(client, vgw.id);
      await Promise.all(created.map((g) => cs.deleteVpnCustomerGateway(client, g.id)));
      cloud.setFaults(undefined);
      expect(await cs.listVpnCustomerGateways(client)).toEqual([]);
      // The faults really happened, including ambiguous creates that had to be looked up.
      expect(lines.filter((l) => /HTTP 503/.test(l)).length).toBeGreaterThan(3);
      expect(lines.filter((l) => /no answer \(reset/.test(l)).length).toBeGreaterThan(3);
      expect(lines.some((l) => /createVpnCustomerGateway: ambiguous failure; looking the object up/.test(l))).toBe(true);
      expect(lines.join("\n")).not.toContain(PSK);
    } finally {
      client.close();
      await cloud.close();
    }
  });

  it("gets through an API throttle (429) with no errors", async () => {
    const cloud = await startLocalCloud({ faults: { seed: 1, throttlePerSecond: 10 } });
    let throttled = 0;
    const client = clientFor(cloud, cloud.admin, {
      retry: { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 1000 },
      logger: { debug: (l) => void (/HTTP 429/.test(l) && throttled++) },
    });
    try {
      const results = await Promise.all(Array.from({ length: 30 }, () => cs.listZones(client)));
      expect(results.every((r) => r.length === 1)).toBe(true);
      expect(throttled).toBeGreaterThan(0);
    } finally {
      client.close();
      await cloud.close();
    }
  });

  it("reports a failed job with its jobid, code and the created entity's id", async () => {
    const cloud = await startLocalCloud({ faults: { seed: 3, jobFailureRate: 1 } });
    const client = clientFor(cloud);
    try {
      const error = await failure(cs.createVpnCustomerGateway(client, staticGateway("doomed", 60)));
      expect(error).toBeInstanceOf(cs.CloudStackAsyncJobError);
      expect(error).toMatchObject({ command: "createVpnCustomerGateway", jobResultCode: 530 });
      expect(error.jobId).toEqual(expect.any(String));
      expect(error.entityId).toEqual(expect.any(String));
      expect(JSON.stringify(error) + error.message).not.toContain(PSK);
    } finally {
      client.close();
      await cloud.close();
    }
  });
});

describe("against local-cloud with two accounts", () => {
  it("keeps each account's objects invisible and unusable to the other", async () => {
    const cloud = await startLocalCloud();
    const alice = await cloud.createAccount("alice");
    const bob = await cloud.createAccount("bob");
    const a = clientFor(cloud, alice);
    const b = clientFor(cloud, bob);
    try {
      const aliceGw = await cs.createVpnCustomerGateway(a, staticGateway("shared-name", 70));
      // The same name is fine in another account: uniqueness is per account.
      const bobGw = await cs.createVpnCustomerGateway(b, staticGateway("shared-name", 71));
      expect((await cs.listVpnCustomerGateways(a)).map((g) => g.id)).toEqual([aliceGw.id]);
      expect((await cs.listVpnCustomerGateways(b)).map((g) => g.id)).toEqual([bobGw.id]);
      const bobVgw = await cs.createVpnGateway(b, { vpcId: bob.vpc.id });
      const crossed = await failure(cs.createVpnConnection(b, { s2sVpnGatewayId: bobVgw.id, s2sCustomerGatewayId: aliceGw.id }));
      expect(crossed).toBeInstanceOf(cs.CloudStackApiError);
      expect(await failure(cs.deleteVpnCustomerGateway(b, aliceGw.id))).toBeInstanceOf(cs.CloudStackError);
      expect(await cs.listVpnCustomerGateways(a)).toHaveLength(1);
    } finally {
      a.close();
      b.close();
      await cloud.close();
    }
  });
});
