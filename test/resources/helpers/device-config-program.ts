// A Pulumi program run under setMocks in a ts-node child (never inside vitest: see test/harness/README.md). The
// mocks play the engine and the providers: each gateway's outputs are its inputs plus what the provider would add
// (the VPN gateway's address and VPC CIDR, the customer gateway's validated spec without the key). Prints JSON
// { isSecret, text, error } for VpnConnection.deviceConfig.
import * as pulumi from "@pulumi/pulumi";
import { customerGatewaySchema } from "../../../provider/model/customer-gateway";

const vendor = process.argv[2];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      const inputs = args.inputs as Record<string, unknown>;
      if (args.type.endsWith("VpnGateway")) return { id: "vgw-1", state: { ...inputs, publicIp: "198.51.100.10", vpcCidr: "10.1.0.0/16", publicInterface: "eth1" } };
      if (args.type.endsWith("CustomerGateway")) {
        // The key arrives secret-wrapped; the spec output never holds it, so validate with a stand-in.
        const { __provider: _p, ipsecPsk: _wrapped, ...fields } = inputs;
        const { ipsecPsk: _key, ...spec } = customerGatewaySchema.parse({ ...fields, ipsecPsk: "stand-in-key-0123456789abcdef" });
        return { id: "cgw-1", state: { ...inputs, spec } };
      }
      return { id: `${args.name}-1`, state: inputs };
    },
    call: () => ({}),
  },
  "device-config-program",
  "test",
  false,
);

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after setMocks, as a program would be
  const { CustomerGateway, VpnConnection, VpnGateway } = require("../../../provider/resources") as typeof import("../../../provider/resources");
  const vgw = new VpnGateway("vgw", { vpcId: "vpc-1" });
  const cgw = new CustomerGateway("branch", {
    peer: { type: "dynamic", remoteId: "branch@example.com", allowedSourceCidrs: ["203.0.113.0/24"] },
    cidrList: ["192.168.10.0/24"],
    ipsecPsk: "ProgramCanary-0123456789abcdefghij",
  });
  const conn = new VpnConnection("branch-tunnel", { vpnGateway: vgw, customerGateway: cgw, ...(vendor ? { deviceConfigVendor: vendor } : {}) });
  const isSecret = await pulumi.isSecret(conn.deviceConfig);
  const text = await new Promise<string | undefined>((resolve) => conn.deviceConfig.apply((t) => resolve(t)));
  process.stdout.write(JSON.stringify({ isSecret, text }));
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
  process.exitCode = 1;
});
