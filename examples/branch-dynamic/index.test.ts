/**
 * The program's wiring under setMocks (the providers are never called here; they are tested through the SDK host in
 * test/resources/): the type tokens, the stack config reaching the resources, secrets in wire form, and the
 * VpnGateway/CustomerGateway resources feeding the connection's ids and push inputs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";

// Vitest's module runner makes the closure serializer fail (pulumi-host.md §3): stub it; serialization is covered
// by the ts-node child in test/resources.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure");
closure.serializeFunction = async () => ({ text: "/* provider elided in unit tests */", exportName: "handler", containsSecrets: false });

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const registered: pulumi.runtime.MockResourceArgs[] = [];
const fakeOutputs: Record<string, Record<string, unknown>> = {
  "pulumi-nodejs:dynamic/cloudstack-s2s:VpnGateway": { publicIp: "198.51.100.10", vpcCidr: "10.1.0.0/16", publicInterface: "eth1" },
  "pulumi-nodejs:dynamic/cloudstack-s2s:CustomerGateway": { managedBy: "gateway", spec: { name: "branch-lyon" } },
  "pulumi-nodejs:dynamic/cloudstack-s2s:VpnConnection": { state: "Disconnected", established: false },
};
pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args);
      return { id: `${args.name}-id`, state: { ...args.inputs, ...fakeOutputs[args.type] } };
    },
    call: (args) => args.inputs,
  },
  "branch-dynamic",
  "test",
  false,
);
const ssh = { host: "10.0.0.5", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n", hostKey: `SHA256:${"A".repeat(43)}` };
pulumi.runtime.setAllConfig(
  {
    "branch-dynamic:vpcId": "vpc-1",
    "branch-dynamic:branchId": "branch-lyon@example.com",
    "branch-dynamic:branchSourceCidrs": JSON.stringify(["203.0.113.0/25"]),
    "branch-dynamic:branchCidrs": JSON.stringify(["192.168.10.0/24"]),
    "branch-dynamic:branchPsk": "example-psk-0123456789-abcdefghijkl",
    "branch-dynamic:gatewaySsh": JSON.stringify(ssh),
  },
  ["branch-dynamic:branchPsk", "branch-dynamic:gatewaySsh"],
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
let program: typeof import("./index.js");
beforeAll(async () => {
  program = await import("./index.js");
  await value(program.tunnelEstablished);
});

describe("examples/branch-dynamic", () => {
  it("declares a VpnGateway, a dynamic CustomerGateway and their VpnConnection with the package's type tokens", () => {
    expect(registered.map((r) => `${r.type}::${r.name}`).sort()).toEqual([
      "pulumi-nodejs:dynamic/cloudstack-s2s:CustomerGateway::branch",
      "pulumi-nodejs:dynamic/cloudstack-s2s:VpnConnection::branch",
      "pulumi-nodejs:dynamic/cloudstack-s2s:VpnGateway::vpc-gateway",
    ]);
  });

  it("passes config through, PSK and SSH access as secrets", () => {
    const cgw = registered.find((r) => r.type.endsWith(":CustomerGateway"))!;
    expect(cgw.inputs).toMatchObject({ peer: { type: "dynamic", remoteId: "branch-lyon@example.com", allowedSourceCidrs: ["203.0.113.0/25"] }, cidrList: ["192.168.10.0/24"] });
    expect(cgw.inputs.ipsecPsk).toEqual({ ...SECRET, value: "example-psk-0123456789-abcdefghijkl" });
    const vgw = registered.find((r) => r.type.endsWith(":VpnGateway"))!;
    expect(vgw.inputs.vpcId).toBe("vpc-1");
    expect(vgw.inputs.ssh).toEqual({ ...SECRET, value: ssh });
  });

  it("feeds the connection the gateways' ids, the gateway's address and access, and the peer's spec and PSK", () => {
    const conn = registered.find((r) => r.type.endsWith(":VpnConnection"))!;
    expect(conn.inputs).toMatchObject({ vpnGatewayId: "vpc-gateway-id", customerGatewayId: "branch-id", waitForEstablished: false });
    expect(conn.inputs.gateway).toEqual({ publicIp: "198.51.100.10", vpcCidr: "10.1.0.0/16", publicInterface: "eth1" });
    expect(conn.inputs.customerGatewaySpec).toEqual({ name: "branch-lyon" });
    expect(conn.inputs.ipsecPsk).toMatchObject(SECRET);
    expect(conn.inputs.gatewaySsh).toMatchObject(SECRET);
  });

  it("exports the gateway address and the tunnel's up/down state; live telemetry only on request (getTunnelStatus)", async () => {
    expect(await value(program.gatewayPublicIp)).toBe("198.51.100.10");
    expect(await value(program.tunnelEstablished)).toBe(false);
    expect(program.tunnelStatus).toBeUndefined(); // `tunnelStatus` config not set: no SSH reading from the program
  });
});
