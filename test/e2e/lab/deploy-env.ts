/**
 * A local cloud (stock 4.22 API) with its real netns virtual router and branch CPEs, plus the files a pipeline
 * would have: CloudStack credentials and the router's SSH access (both 0600), site files whose PSK is `{ env }`.
 * Shared by the CLI (push/unpush/reconcile) and the CDKTF/Terraform e2e files.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peerName } from "../../../provider/deploy/gateway-site";
import { startLocalCloud, type LocalCloud } from "../../../provider/local-cloud";
import { NetnsRouter } from "../../../provider/local-cloud/netns";
import type { PushState } from "../../../provider/push";
import { renderPeer } from "../../../provider/render/peer";
import { site as parsedSite } from "./sites";

export const ROOT = join(__dirname, "..", "..", "..");
export const CLI = join(ROOT, "bin", "cloudstack-s2s.js");

export interface Branch {
  name: string;
  wanIp: string;
  lanCidr: string;
  remoteId: string;
  allowed: string[];
  pskEnv: string;
}

export class DeployEnv {
  readonly dir = mkdtempSync(join(tmpdir(), "s2s-deploy-"));
  readonly credentialsFile = join(this.dir, "credentials.json");
  readonly gatewaySshFile = join(this.dir, "gateway-ssh.json");
  readonly psks = new Map<string, string>();
  private constructor(
    readonly router: NetnsRouter,
    readonly cloud: LocalCloud,
  ) {}

  static async create(runId: string, branches: readonly Branch[]): Promise<DeployEnv> {
    const router = await NetnsRouter.create({ runId });
    let cloud: LocalCloud | undefined;
    try {
      cloud = await startLocalCloud({ variant: "4.22", router, statusCheckIntervalMs: 2_000 });
      const env = new DeployEnv(router, cloud);
      writeFileSync(env.credentialsFile, JSON.stringify({ url: cloud.url, apiKey: cloud.admin.apiKey, secretKey: cloud.admin.secretKey }), { mode: 0o600 });
      const a = router.access;
      writeFileSync(env.gatewaySshFile, JSON.stringify({ host: a.sshHost, port: a.sshPort, hostKey: a.hostKey, privateKeyFile: a.privateKeyFile, publicInterface: a.publicInterface }), { mode: 0o600 });
      for (const b of branches) {
        await router.addBranch({ name: b.name, wanIp: b.wanIp, lanCidr: b.lanCidr });
        env.psks.set(b.pskEnv, randomBytes(24).toString("base64url"));
      }
      return env;
    } catch (e) {
      await cloud?.close();
      await router.close();
      throw e;
    }
  }

  /** The site document of a branch (PSK by `{ env }` reference), as a site file holds it. */
  siteDoc(b: Branch, cidrList: string[] = [b.lanCidr]): Record<string, unknown> {
    return {
      name: b.name,
      vpnGateway: { vpcId: this.cloud.seededVpc.id, vpcCidr: this.cloud.seededVpc.cidr },
      customerGateway: {
        peer: { type: "dynamic", remoteId: b.remoteId, allowedSourceCidrs: b.allowed },
        cidrList,
        ipsecPsk: { env: b.pskEnv },
        dpdDelaySeconds: 5,
        dpdTimeoutSeconds: 15,
      },
    };
  }

  /** A static site (a datacenter at a fixed address): CloudStack objects only. */
  writeStaticSite(name: string, gateway: string, cidrList: string[], pskEnv: string): string {
    this.psks.set(pskEnv, randomBytes(24).toString("base64url"));
    const file = join(this.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ name, vpnGateway: { vpcId: this.cloud.seededVpc.id, vpcCidr: this.cloud.seededVpc.cidr }, customerGateway: { peer: { type: "static", gateway }, cidrList, ipsecPsk: { env: pskEnv } } }));
    return file;
  }

  writeSite(b: Branch, cidrList?: string[]): string {
    const file = join(this.dir, `${b.name}.json`);
    writeFileSync(file, JSON.stringify(this.siteDoc(b, cidrList)));
    return file;
  }

  /** Starts (or restarts) the branch CPE with the config `render --target peer` gives for the site. */
  async startCpe(b: Branch, cidrList?: string[]): Promise<void> {
    const spec = parsedSite({ ...this.siteDoc(b, cidrList), vpnGateway: { vpcId: this.cloud.seededVpc.id, vpcCidr: this.cloud.seededVpc.cidr, publicIp: this.router.access.publicIp } });
    const cpe = this.router.cpe(b.name);
    if (cpe.pid() !== undefined) await cpe.kill(); // a branch admin installing the new config restarts the CPE
    this.router.writeCpeConfig(b.name, renderPeer(spec, { psk: this.psks.get(b.pskEnv)! }).files);
    await this.router.startCpe(b.name);
  }

  /** The environment a pipeline runs with: the PSKs by the names the sites reference. */
  envWithPsks(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, ...Object.fromEntries(this.psks), ...extra };
  }

  async record(): Promise<PushState | undefined> {
    const r = await this.router.vr.exec(["cat", "/etc/ipsec.d/s2s-state.json"]);
    return r.code === 0 ? (JSON.parse(r.stdout) as PushState) : undefined;
  }

  /** The loaded connection name (with its generation) of a pushed peer, from the router's record. */
  async connectionOf(b: Branch): Promise<string | undefined> {
    const base = peerName({ site: parsedSite(this.siteDoc(b)), publicIp: this.router.access.publicIp, publicInterface: this.router.access.publicInterface });
    return (await this.record())?.connections.find((c) => c.name.startsWith(`${base}-g`))?.name;
  }

  /** What the push may leave on the router: own files, own chains/rules, own loaded connections. */
  async leftovers(): Promise<{ files: string[]; rules: string[]; connections: string[] }> {
    const files = readdirSync(join(this.router.vr.dir, "etc", "ipsec.d")).filter((f) => f.startsWith("s2s-"));
    const rules = (await this.router.vr.exec(["iptables-save"])).stdout.split("\n").filter((l) => l.includes("S2S_DYN"));
    const connections = (await this.router.vr.exec(["ipsec", "statusall"])).stdout.split("\n").filter((l) => /^\s*s2s-/.test(l));
    return { files, rules, connections };
  }

  async close(): Promise<{ namespaces: string[]; controlLink: boolean }> {
    await this.cloud.close();
    const left = await this.router.close();
    rmSync(this.dir, { recursive: true, force: true });
    return left;
  }
}

/**
 * The CLI children run the compiled package (bin/ → dist/): rebuild it when a source is newer, so the test never
 * runs yesterday's code.
 */
export function ensureBuilt(): void {
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : e.name.endsWith(".ts") ? statSync(join(dir, e.name)).mtimeMs : 0), 0);
  let built = 0;
  try {
    built = statSync(join(ROOT, "dist", "provider", "cli", "main.js")).mtimeMs;
  } catch {
    /* not built */
  }
  if (built < newest(join(ROOT, "provider"))) execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
}
