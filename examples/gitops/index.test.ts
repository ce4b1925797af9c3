/**
 * GitOps example: every sites/*.yaml validates against the committed schema.json (what editors check) and against
 * the model; the program turns them into one VpnGateway per VPC and a CustomerGateway + VpnConnection per site
 * (setMocks: wiring only); a bad site file stops the program with every problem listed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { loadSites } from "./sites";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure");
closure.serializeFunction = async () => ({ text: "/* provider elided in unit tests */", exportName: "handler", containsSecrets: false });

const SITES = path.join(__dirname, "sites");
const ENV = { LYON_PSK: "lyon-psk-0123456789-abcdefghijklmnop", NANTES_PSK: "nantes-psk-0123456789-abcdefghijklm", PARIS_PSK: "paris-psk-0123456789" };
const registered: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args);
      return { id: `${args.name}-id`, state: { ...args.inputs, publicIp: "198.51.100.10", vpcCidr: "10.1.0.0/16", state: "Connected", established: true } };
    },
    call: (args) => args.inputs,
  },
  "gitops",
  "test",
  false,
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("examples/gitops site files", () => {
  it.each(fs.readdirSync(SITES).filter((f) => f.endsWith(".yaml")))("%s validates against schema.json", (file) => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "schema.json"), "utf8"));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const doc = parseYaml(fs.readFileSync(path.join(SITES, file), "utf8"));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.$schema).toBe("../../../schema.json");
  });

  it("fails with every problem of every file (and no PSK) when a site is wrong or a PSK is unset", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-"));
    try {
      fs.copyFileSync(path.join(SITES, "lyon.yaml"), path.join(dir, "lyon.yaml"));
      fs.writeFileSync(path.join(dir, "bad.yaml"), "name: Bad_Name\nvpnGateway: { vpcCidr: 10.1.0.0/16 }\ncustomerGateway: { peer: { type: static, gateway: '127.1' }, cidrList: [10.1.5.0/24], ipsecPsk: x }\n");
      const message = (() => {
        try {
          loadSites(dir, { LYON_PSK: "x" });
        } catch (e) {
          return (e as Error).message;
        }
        return "";
      })();
      expect(message).toMatch(/bad\.yaml: `name`/);
      expect(message).toMatch(/bad\.yaml: `customerGateway\.peer\.gateway` "127\.1"/);
      expect(message).toMatch(/lyon\.yaml: `customerGateway\.ipsecPsk` \(from LYON_PSK\) has 1 characters/);
      expect(message).not.toContain('"x"');
      expect(() => loadSites(dir, {})).toThrow(/lyon\.yaml: `customerGateway\.ipsecPsk\.env` names LYON_PSK, which is not set/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("examples/gitops program", () => {
  let program: typeof import("./index.js");
  beforeAll(async () => {
    Object.assign(process.env, ENV);
    program = await import("./index.js");
    await value(pulumi.output(program.tunnels as Record<string, unknown>));
  });

  it("declares one VpnGateway for the shared VPC and a CustomerGateway + VpnConnection per site", () => {
    const byType = (t: string) => registered.filter((r) => r.type === `pulumi-nodejs:dynamic/cloudstack-s2s:${t}`).map((r) => r.name).sort();
    expect(byType("VpnGateway")).toEqual(["vpc-5b8d6c3e-0000-4000-8000-00000000a001"]);
    expect(byType("CustomerGateway")).toEqual(["branch-lyon", "branch-nantes", "datacenter-paris"]);
    expect(byType("VpnConnection")).toEqual(["branch-lyon", "branch-nantes", "datacenter-paris"]);
  });

  it("passes each site's resolved settings, with the PSK from the environment as a secret", () => {
    const lyon = registered.find((r) => r.type.endsWith(":CustomerGateway") && r.name === "branch-lyon")!;
    expect(lyon.inputs).toMatchObject({ name: "branch-lyon", peer: { type: "dynamic", remoteId: "branch-lyon@example.com" }, cidrList: ["192.168.10.0/24"], ikeVersion: "ikev2" });
    expect(lyon.inputs.ipsecPsk).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: ENV.LYON_PSK });
    const conn = registered.find((r) => r.type.endsWith(":VpnConnection") && r.name === "datacenter-paris")!;
    expect(conn.inputs).toMatchObject({ vpnGatewayId: "vpc-5b8d6c3e-0000-4000-8000-00000000a001-id", customerGatewayId: "datacenter-paris-id", passive: false });
  });
});
