/**
 * Acceptance: the package as a user installs, upgrades and operates it. A fresh program directory outside the
 * repository installs the previous release's tarball (test/fixtures/releases/cloudstack-s2s-0.1.0.tgz, see the
 * README there) with `npm ci --offline` (dependencies from npm's cache), serializes its resources there like
 * `pulumi up` does, and runs them through the app's OWN Pulumi provider host (the `pulumi-resource-pulumi-nodejs`
 * shim resolves the SDK from the program directory) against the local CloudStack. Then the app is upgraded to a
 * tarball of this build, and the state the old layout wrote is refreshed and deleted (by the old serialized
 * providers, now loading the new package through its `exports`), and updated by the new providers (runtime/v1).
 * Finally two refreshes of the established tunnel report no change, and everything is destroyed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudStackClient, getVpnConnection, getVpnCustomerGateway, getVpnGateway } from "../../provider/cloudstack";
import { InMemoryRouter, startLocalCloud, type LocalCloud } from "../../provider/local-cloud";
import { createEngine, PROJECT_ROOT, secret, startProviderHost, stripSecrets, type Engine, type ProviderHost, type ResourceState, type SerializedProvider } from "../harness";
import { installApp, packCurrent } from "./helpers/app-install";
import { ensureRuntimeBuild } from "./helpers/runtime-build";

const OLD_TARBALL = path.join(PROJECT_ROOT, "test", "fixtures", "releases", "cloudstack-s2s-0.1.0.tgz");
const PEER = "203.0.113.20";
const PSK = "acceptance-psk-0123456789-abcdefgh";

let work: string;
let app: string;
let cloud: LocalCloud;
let router: InMemoryRouter;
let client: CloudStackClient;
const hosts: ProviderHost[] = [];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "s2s-accept-"));
  app = path.join(work, "app");
  router = new InMemoryRouter();
  cloud = await startLocalCloud({ variant: "4.22", router, statusCheckIntervalMs: 100 });
  client = new CloudStackClient({ apiUrl: cloud.url, apiKey: cloud.admin.apiKey, secretKey: cloud.admin.secretKey });
}, 60_000);
afterAll(async () => {
  for (const h of hosts) await h.stop().catch(() => undefined);
  client?.close();
  await cloud?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
}, 60_000);

/** What `pulumi up` does in the app: construct the resources, take each one's `__provider` (plain node, no repo). */
function serializeInApp(): Record<"VpnGateway" | "CustomerGateway" | "VpnConnection", SerializedProvider> {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    const s2s = require("cloudstack-s2s");
    const out = {};
    pulumi.runtime.setMocks({ newResource(a) { out[a.type.split(":").pop()] = { type: a.type, text: a.inputs.__provider }; return { id: a.name + "-id", state: a.inputs }; }, call: (a) => a.inputs }, "app", "test", false);
    const rs = [new s2s.VpnGateway("g", { vpcId: "v" }), new s2s.CustomerGateway("c", { peer: { type: "static", gateway: "${PEER}" }, cidrList: ["192.168.1.0/24"], ipsecPsk: "x" }), new s2s.VpnConnection("n", { vpnGateway: "a", customerGateway: "b" })];
    Promise.all(rs.map((r) => new Promise((res) => r.id.apply(res)))).then(() => setTimeout(() => console.log(JSON.stringify(out)), 50));
  `;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: app, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`serialization in the app failed:\n${r.stdout}\n${r.stderr}`);
  const got = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, { type: string; text: string }>;
  const aso: Record<string, string[]> = { VpnGateway: ["ssh", "cloudstack"], CustomerGateway: ["ipsecPsk", "cloudstack"], VpnConnection: ["ipsecPsk", "gatewaySsh", "cloudstack"] };
  return Object.fromEntries(Object.entries(got).map(([k, v]) => [k, { text: v.text, type: v.type, containsSecrets: false, additionalSecretOutputs: aso[k]!, ms: 0 }])) as never;
}

async function host(config: Record<string, string | { secret: string }>): Promise<ProviderHost> {
  const h = await startProviderHost({
    programDir: app,
    project: "app",
    config,
    viaShim: true, // the app's own SDK: the shim resolves @pulumi/pulumi from the program directory
    // Wrong credentials in the environment: the provider must take the stack config.
    env: { CLOUDSTACK_API_URL: "http://127.0.0.1:1/client/api", CLOUDSTACK_API_KEY: "wrong", CLOUDSTACK_SECRET_KEY: "wrong" },
  });
  hosts.push(h);
  return h;
}

function engines(h: ProviderHost, p: ReturnType<typeof serializeInApp>, carry?: Record<string, Engine>) {
  const e = { vgw: createEngine({ host: h, provider: p.VpnGateway }), cgw: createEngine({ host: h, provider: p.CustomerGateway }), conn: createEngine({ host: h, provider: p.VpnConnection }) };
  if (carry) for (const [k, old] of Object.entries(carry)) for (const name of old.names()) (e as Record<string, Engine>)[k]!.importState(name, old.state(name) as ResourceState);
  return e;
}

const out = (s: ResourceState | undefined) => stripSecrets(s!.outputs as never) as Record<string, unknown>;

describe("install from the tarball, upgrade, operate old state (offline npm, the app's own provider host)", () => {
  it("0.1.0 writes state; this build refreshes, deletes and updates it; refresh twice is quiet; destroy leaves nothing", async () => {
    const vpc = cloud.seededVpc;
    // ── 0.1.0 installed ─────────────────────────────────────────────────────────────────────────────────────
    installApp(app, OLD_TARBALL);
    const old = serializeInApp();
    expect(old.VpnGateway.text).toContain('"cloudstack-s2s/dist/provider"'); // the 0.1.0 layout: a path inside the package
    const h1 = await host({ apiUrl: cloud.url, apiKey: cloud.admin.apiKey, secretKey: { secret: cloud.admin.secretKey } }); // 0.1.0 keys: app:apiUrl…
    const v1 = engines(h1, old);
    const gw = await v1.vgw.up("gw", { vpcId: vpc.id });
    const dc = await v1.cgw.up("dc", { name: "dc", peer: { type: "static", gateway: PEER }, cidrList: ["192.168.10.0/24"], ipsecPsk: secret(PSK) });
    const spare = await v1.cgw.up("spare", { name: "spare", peer: { type: "static", gateway: "203.0.113.30" }, cidrList: ["192.168.30.0/24"], ipsecPsk: secret(PSK) });
    router.setConnected(vpc.id, PEER, true);
    // 0.1.0's VpnConnection passed the push inputs for every connection: PSK and spec included.
    const oldConnInputs = { vpnGatewayId: gw.state.id, customerGatewayId: dc.state.id, waitForEstablished: true, establishedTimeoutSeconds: 20, ipsecPsk: secret(PSK), customerGatewaySpec: out(dc.state).spec, gateway: { publicIp: vpc.publicIp, vpcCidr: vpc.cidr, publicInterface: "eth1" } };
    const conn = await v1.conn.up("dc", oldConnInputs);
    expect(out(conn.state)).toMatchObject({ state: "Connected", established: true });
    expect(out(conn.state).schemaVersion).toBeUndefined();
    await h1.stop();

    // ── upgrade: this build ─────────────────────────────────────────────────────────────────────────────────
    const tarball = packCurrent(await ensureRuntimeBuild(), work);
    installApp(app, tarball);
    const installed = JSON.parse(fs.readFileSync(path.join(app, "node_modules", "cloudstack-s2s", "package.json"), "utf8"));
    expect(installed.peerDependencies).toEqual({ "@pulumi/pulumi": ">=3.248 <4", cdktf: "~0.21.0", constructs: "^10.4.2" });
    // The CDKTF layer's peers are optional: a Pulumi app does not get them.
    expect(installed.peerDependenciesMeta).toEqual({ cdktf: { optional: true }, constructs: { optional: true } });
    expect(fs.existsSync(path.join(app, "node_modules", "cdktf"))).toBe(false);
    // Old state, old serialized providers, new package: refresh and delete go through the exports map.
    const h2 = await host({ apiUrl: cloud.url, apiKey: cloud.admin.apiKey, secretKey: { secret: cloud.admin.secretKey } });
    const v2 = engines(h2, old, v1);
    for (const [e, name] of [[v2.vgw, "gw"], [v2.cgw, "dc"], [v2.cgw, "spare"], [v2.conn, "dc"]] as const) {
      const r = await e.refresh(name);
      expect(r.op, `refresh ${name} with the 0.1.0 provider text`).not.toBe("delete");
    }
    expect(await v2.cgw.destroy("spare")).toBe(true);
    expect(await getVpnCustomerGateway(client, spare.state.id)).toBeUndefined();
    await h2.stop();

    // New providers (runtime/v1), config under the package namespace only.
    const neu = serializeInApp();
    expect(neu.VpnConnection.text).toContain('"cloudstack-s2s/runtime/v1"');
    const h3 = await host({ "cloudstack-s2s:apiUrl": cloud.url, "cloudstack-s2s:apiKey": cloud.admin.apiKey, "cloudstack-s2s:secretKey": { secret: cloud.admin.secretKey } });
    const v3 = engines(h3, neu, v2);
    expect((await v3.vgw.up("gw", { vpcId: vpc.id })).op).toBe("update");
    expect((await v3.cgw.up("dc", { name: "dc", peer: { type: "static", gateway: PEER }, cidrList: ["192.168.10.0/24"], ipsecPsk: secret(PSK) })).op).toBe("update");
    // This build's VpnConnection gives a CloudStack-managed connection no push inputs (null, as the SDK sends them).
    const upgraded = await v3.conn.up("dc", { vpnGatewayId: gw.state.id, customerGatewayId: dc.state.id, waitForEstablished: true, establishedTimeoutSeconds: 20, ipsecPsk: secret(null), customerGatewaySpec: null, gateway: null, gatewaySsh: null });
    expect(upgraded.op).toBe("update"); // never a replace: same CloudStack objects
    expect(upgraded.state.id).toBe(conn.state.id);
    for (const e of [v3.vgw, v3.cgw, v3.conn]) for (const name of e.names()) expect(out(e.state(name)).schemaVersion, name).toBe(1);
    const connOut = out(v3.conn.state("dc"));
    expect(connOut).toMatchObject({ state: "Connected", established: true });
    for (const key of ["ipsecPsk", "gatewaySsh", "peerAddress", "bytesIn", "bytesOut"]) expect(connOut, key).not.toHaveProperty(key);
    expect(JSON.stringify(v3.conn.state("dc")!.outputs)).not.toContain(PSK);

    // `pulumi refresh` twice on the established tunnel: nothing changes.
    for (let round = 1; round <= 2; round++) {
      for (const [e, name] of [[v3.vgw, "gw"], [v3.cgw, "dc"], [v3.conn, "dc"]] as const) expect((await e.refresh(name)).op, `refresh ${round} of ${name}`).toBe("same");
    }

    // The installed package: bin and subpaths resolve through the exports map; internals are closed.
    const probe = spawnSync(process.execPath, ["-e", `
      const r = (s) => { try { return typeof require(s); } catch (e) { return e.code; } };
      console.log(JSON.stringify({ render: typeof require("cloudstack-s2s/render").renderVr, cloudstack: typeof require("cloudstack-s2s/cloudstack").CloudStackClient,
        push: typeof require("cloudstack-s2s/push").pushPeer, localCloud: typeof require("cloudstack-s2s/local-cloud").startLocalCloud,
        version: require("cloudstack-s2s/package.json").version, internal: r("cloudstack-s2s/dist/provider/model/site.js") }));
    `], { cwd: app, encoding: "utf8" });
    expect(probe.status, probe.stderr).toBe(0);
    expect(JSON.parse(probe.stdout)).toEqual({ render: "function", cloudstack: "function", push: "function", localCloud: "function", version: "0.2.0", internal: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    const bin = spawnSync(path.join(app, "node_modules", ".bin", "cloudstack-s2s"), ["psk"], { cwd: app, encoding: "utf8" });
    expect(bin.status, bin.stderr).toBe(0);
    expect(bin.stdout.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // destroy
    await v3.conn.destroyAll();
    await v3.cgw.destroyAll();
    await v3.vgw.destroyAll();
    expect(await getVpnConnection(client, conn.state.id)).toBeUndefined();
    expect(await getVpnCustomerGateway(client, dc.state.id)).toBeUndefined();
    expect(await getVpnGateway(client, gw.state.id)).toBeUndefined();
  }, 400_000);
});
