/** The program's wiring under setMocks: a static peer, no SSH access, the connection waits for Connected. */
import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure");
closure.serializeFunction = async () => ({ text: "/* provider elided in unit tests */", exportName: "handler", containsSecrets: false });

const registered: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args);
      return { id: `${args.name}-id`, state: { ...args.inputs, state: "Connected", publicIp: "198.51.100.10", ...(args.type.endsWith(":CustomerGateway") ? { managedBy: "cloudstack" } : {}) } };
    },
    call: (args) => args.inputs,
  },
  "datacenter-static",
  "test",
  false,
);
pulumi.runtime.setAllConfig(
  { "datacenter-static:vpcId": "vpc-1", "datacenter-static:peerAddress": "203.0.113.10", "datacenter-static:peerCidrs": JSON.stringify(["172.16.0.0/20"]), "datacenter-static:psk": "dc-psk-0123456789" },
  ["datacenter-static:psk"],
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
let program: typeof import("./index.js");
beforeAll(async () => {
  program = await import("./index.js");
  await value(program.tunnelState);
});

describe("examples/datacenter-static", () => {
  it("declares a static customer gateway with the datacenter's settings, PSK secret", () => {
    const cgw = registered.find((r) => r.type === "pulumi-nodejs:dynamic/cloudstack-s2s:CustomerGateway")!;
    expect(cgw.inputs).toMatchObject({ name: "datacenter-paris", peer: { type: "static", gateway: "203.0.113.10" }, cidrList: ["172.16.0.0/20"], ikeVersion: "ikev2", dpd: true, splitConnections: true });
    expect(cgw.inputs.ipsecPsk).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "dc-psk-0123456789" });
  });

  it("connects it to the VPC's gateway and waits for Connected; no SSH access is declared", async () => {
    const vgw = registered.find((r) => r.type.endsWith(":VpnGateway"))!;
    expect(vgw.inputs.ssh).toBeUndefined();
    const conn = registered.find((r) => r.type.endsWith(":VpnConnection"))!;
    expect(conn.inputs).toMatchObject({ vpnGatewayId: "vpc-gateway-id", customerGatewayId: "datacenter-id", waitForEstablished: true, establishedTimeoutSeconds: 300 });
    expect(await value(program.tunnelState)).toBe("Connected");
  });

  it("gives a connection CloudStack manages no PSK, no SSH access and no push spec: its state holds no secret", () => {
    const conn = registered.find((r) => r.type.endsWith(":VpnConnection"))!;
    const wire = JSON.stringify(conn.inputs);
    expect(wire).not.toContain("dc-psk-0123456789");
    for (const key of ["ipsecPsk", "gatewaySsh", "customerGatewaySpec", "gateway"]) {
      const v = conn.inputs[key] as { value?: unknown } | undefined;
      expect(v === undefined || v === null || v.value === undefined || v.value === null).toBe(true);
    }
  });
});
