/**
 * The package as a program loads it: the main entry (resources + model) pulls in no local-cloud module and no SSH
 * client; the `exports` map points every subpath at a module that exists; and resources from two copies of the
 * SDK and of this package recognise each other by shape (a VpnGateway of copy A given to a VpnConnection of copy B
 * becomes its id and push inputs, where `instanceof` would have said "not a VpnGateway" and used the object as an
 * id). Child processes run the compiled build, as a program does (never vitest's module runner).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../harness";
import { ensureRuntimeBuild } from "./helpers/runtime-build";

let build: string; // <cache>/<hash>/provider
const scratch = path.join(PROJECT_ROOT, "node_modules", ".cache", `two-sdk-${process.pid}`);

beforeAll(async () => {
  build = await ensureRuntimeBuild();
}, 200_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function runNode(script: string, cwd = PROJECT_ROOT): unknown {
  const r = spawnSync(process.execPath, ["-e", script], { cwd, encoding: "utf8", timeout: 60_000, env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
  if (r.status !== 0) throw new Error(`child failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const last = r.stdout.trim().split("\n").pop()!;
  return JSON.parse(last);
}

describe("main entry", () => {
  it("loads the resources and the model, but no local-cloud module and no SSH client", () => {
    const loaded = runNode(`
      const main = require(${JSON.stringify(path.join(build, "index.js"))});
      const names = Object.keys(require.cache);
      console.log(JSON.stringify({ exports: Object.keys(main).sort(), localCloud: names.filter((n) => n.includes("/local-cloud/")), ssh2: names.filter((n) => /node_modules\\/ssh2\\//.test(n)), push: names.filter((n) => n.includes("/provider/push/")) }));
    `) as { exports: string[]; localCloud: string[]; ssh2: string[]; push: string[] };
    expect(loaded.exports).toEqual(expect.arrayContaining(["VpnGateway", "CustomerGateway", "VpnConnection", "getTunnelStatus", "lookupVpnGateway", "customerGatewaySchema", "parseSite"]));
    expect(loaded.exports).not.toContain("localCloud");
    expect(loaded.localCloud).toEqual([]);
    expect(loaded.ssh2).toEqual([]);
    expect(loaded.push).toEqual([]);
  });

  it("has an exports target for every subpath, each built from a source file (cdktf once its layer exists)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { exports: Record<string, string | { default: string }>; main: string; bin: Record<string, string> };
    const subpaths = Object.keys(pkg.exports);
    expect(subpaths).toEqual(expect.arrayContaining([".", "./render", "./cloudstack", "./push", "./local-cloud", "./cdktf", "./runtime/v1", "./dist/provider/resources/impl/*", "./package.json"]));
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      const file = typeof target === "string" ? target : target.default;
      if (!file.startsWith("./dist/provider/")) continue;
      if (subpath === "./cdktf" && !fs.existsSync(path.join(PROJECT_ROOT, "provider", "cdktf", "index.ts"))) continue; // written by the CDKTF layer's branch
      const sources = file.includes("*")
        ? ["customer-gateway", "vpn-gateway", "vpn-connection"].map((n) => file.replace("*", n))
        : [file];
      for (const f of sources) expect(fs.existsSync(path.join(PROJECT_ROOT, f.replace("./dist/", "").replace(/\.js$/, ".ts"))), `${subpath} → ${f}`).toBe(true);
    }
    expect(fs.existsSync(path.join(PROJECT_ROOT, pkg.bin["cloudstack-s2s"]!))).toBe(true);
  });
});

describe("two copies of the SDK and of this package in one program", () => {
  it("passes copy A's VpnGateway and CustomerGateway to copy B's VpnConnection as resources (ids and push inputs)", () => {
    // Copy B: the SDK copied into its own node_modules (its dependencies still resolve from the project's), and this
    // package's build beside it, so B's resources extend B's SDK classes.
    const nm = path.join(scratch, "node_modules");
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.mkdirSync(path.join(nm, "@pulumi"), { recursive: true });
    fs.cpSync(path.join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi"), path.join(nm, "@pulumi", "pulumi"), { recursive: true });
    fs.mkdirSync(path.join(nm, "cloudstack-s2s", "dist"), { recursive: true });
    fs.cpSync(build, path.join(nm, "cloudstack-s2s", "dist", "provider"), { recursive: true });
    fs.writeFileSync(path.join(nm, "cloudstack-s2s", "package.json"), JSON.stringify({ name: "cloudstack-s2s", main: "dist/provider/index.js" }));
    const result = runNode(`
      const A = require(${JSON.stringify(path.join(build, "index.js"))});
      const B = require("cloudstack-s2s");
      const sdkA = require(require.resolve("@pulumi/pulumi", { paths: [${JSON.stringify(build)}] }));
      const sdkB = require(require.resolve("@pulumi/pulumi", { paths: [require.resolve("cloudstack-s2s")] }));
      const registered = [];
      sdkB.runtime.setMocks({
        newResource(args) {
          registered.push(args);
          const extra = args.type.endsWith(":VpnGateway") ? { publicIp: "198.51.100.10", vpcCidr: "10.1.0.0/16", publicInterface: "eth1" }
            : args.type.endsWith(":CustomerGateway") ? { managedBy: "gateway", spec: { name: "b", peer: { type: "dynamic", remoteId: "b@example.com" } } } : {};
          return { id: args.name + "-id", state: { ...args.inputs, ...extra } };
        },
        call: (args) => args.inputs,
      }, "two-sdk", "test", false);
      const ssh = { host: "10.0.0.5", privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) };
      const gw = new A.VpnGateway("gw", { vpcId: "vpc-1", ssh });
      const cgw = new A.CustomerGateway("cgw", { peer: { type: "dynamic", remoteId: "b@example.com", allowedSourceCidrs: ["203.0.113.0/24"] }, cidrList: ["192.168.1.0/24"], ipsecPsk: "p".repeat(24) });
      const conn = new B.VpnConnection("conn", { vpnGateway: gw, customerGateway: cgw });
      conn.urn.apply(() => setTimeout(() => {
        const c = registered.find((r) => r.name === "conn");
        console.log(JSON.stringify({
          distinctSdks: sdkA !== sdkB,
          instanceofWouldFail: !(gw instanceof B.VpnGateway) && !(cgw instanceof B.CustomerGateway),
          vpnGatewayId: c.inputs.vpnGatewayId, customerGatewayId: c.inputs.customerGatewayId, gateway: c.inputs.gateway,
          hasSsh: c.inputs.gatewaySsh !== undefined, spec: c.inputs.customerGatewaySpec,
        }));
      }, 200));
    `, scratch) as Record<string, unknown>;
    expect(result.distinctSdks).toBe(true);
    expect(result.instanceofWouldFail).toBe(true);
    expect(result).toMatchObject({ vpnGatewayId: "gw-id", customerGatewayId: "cgw-id", gateway: { publicIp: "198.51.100.10", vpcCidr: "10.1.0.0/16", publicInterface: "eth1" }, hasSsh: true });
    expect(result.spec).toMatchObject({ peer: { remoteId: "b@example.com" } });
  }, 120_000);
});
