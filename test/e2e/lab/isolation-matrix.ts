/**
 * The identity-isolation matrix (issue 10): one router holding dynamic peers of every ID type, CloudStack-style
 * static peers, a passive VPC-to-VPC-style peer and a remote-access secret as CloudStack writes it. An attacker CPE
 * sends identity Y with the key of X. Judged on the router's side only: its log must not say "authentication of
 * '…' with pre-shared key successful" and it must hold no SA for Y's connection — so an initiator that ignores the
 * router's reply gains nothing either.
 */
import type { SiteSpec } from "../../../provider/model/site";
import type { HostRender } from "../../../provider/render/types";
import { waitLoaded } from "./checks";
import type { Instance } from "./instance";
import type { Lab } from "./lab";
import { dynamicSite, newPsk, peerRenderOf, site, VPC_CIDR, VR_PUBLIC_IP } from "./sites";

export interface Party {
  /** Short label for reports. */
  label: string;
  kind: "dynamic" | "static" | "passive" | "remote-access";
  key: string;
  site?: SiteSpec;
  /** Branch namespace an impersonation of this party starts from (static ones: their own address). */
  branch?: string;
}

export const ATTACK_BRANCH = { name: "atk", wanIp: "203.0.113.25", lanCidr: "192.168.90.0/24" };
export const STATIC_BRANCHES = [
  { name: "s1", wanIp: "203.0.113.61", lanCidr: "192.168.61.0/24" },
  { name: "s2", wanIp: "203.0.113.62", lanCidr: "192.168.62.0/24" },
  { name: "pv", wanIp: "203.0.113.63", lanCidr: "192.168.63.0/24" },
];

const DYNAMIC_IDS: { label: string; remoteId: string; remoteIdType?: "ipv4" | "fqdn" | "email" | "dn" }[] = [
  { label: "email", remoteId: "br-email@example.com" },
  { label: "fqdn", remoteId: "@br-fqdn.example.com" },
  { label: "dn", remoteId: "C=FR, O=Example, CN=br-dn" },
  { label: "ipv4", remoteId: "192.0.2.77" },
  { label: "ipv6", remoteId: "2001:db8::77" },
];

/** Every party of the matrix with its own key; sites go through the project's parser. */
export function matrixParties(): Party[] {
  const parties: Party[] = DYNAMIC_IDS.map((d, i) => {
    const key = newPsk();
    return {
      label: `dynamic ${d.label}`,
      kind: "dynamic",
      key,
      site: dynamicSite({ name: `dyn-${d.label}`, remoteId: d.remoteId, cidrList: [`192.168.${100 + i}.0/24`], allowedSourceCidrs: ["203.0.113.0/25"], psk: key }),
      branch: ATTACK_BRANCH.name,
    };
  });
  for (const [i, b] of STATIC_BRANCHES.entries()) {
    const key = newPsk();
    const passive = b.name === "pv";
    parties.push({
      label: passive ? "passive VPC peer" : `static ${b.name}`,
      kind: passive ? "passive" : "static",
      key,
      site: site({
        name: `st-${b.name}`,
        vpnGateway: { vpcCidr: VPC_CIDR, publicIp: VR_PUBLIC_IP },
        customerGateway: { peer: { type: "static", gateway: b.wanIp }, cidrList: [`192.168.${61 + i}.0/24`], ipsecPsk: key, ikeVersion: "ikev2" },
        connection: { passive },
      }),
      branch: b.name,
    });
  }
  parties.push({ label: "remote-access VPN", kind: "remote-access", key: newPsk() });
  return parties;
}

/** CloudStack's remote-access secret (configure.py CsRemoteAccessVpn: `"%s : PSK \"%s\"" % (left, psk)`). */
export function remoteAccessSecret(key: string): { path: string; content: string; mode: number } {
  return { path: "/etc/ipsec.d/ipsec.any.secrets", content: `${VR_PUBLIC_IP} : PSK "${key}"\n`, mode: 0o600 };
}

export interface Outcome {
  key: string;
  identity: string;
  /** The router logged a successful PSK authentication of the peer. */
  authenticated: boolean;
  /** The router held an ESTABLISHED SA on Y's connection afterwards. */
  sa: boolean;
}

/** The attacker's connection for identity Y: the branch config rendered for Y, initiating once, on demand. */
function attackerConfig(y: SiteSpec, name: string, rightId?: string): { conf: HostRender["files"][number]; secretsPath: string; secretsLine: (key: string) => string } {
  const r = peerRenderOf(y, "placeholder-key-never-used-000000");
  const base = r.connections[0]!;
  const conf = r.files.find((f) => f.path.endsWith(".conf"))!;
  const secrets = r.files.find((f) => f.path.endsWith(".secrets"))!;
  let content = conf.content
    .replaceAll(`conn ${base}`, `conn ${name}`)
    .replaceAll(`also=${base}`, `also=${name}`)
    .replace(/^ auto=start$/m, " auto=add")
    .replace(/^ keyingtries=%forever$/m, " keyingtries=1")
    .replace(/^ closeaction=restart$/m, " closeaction=none")
    .replace(/^ dpdaction=restart$/m, " dpdaction=clear");
  let selectors = secrets.content.slice(0, secrets.content.indexOf(" : PSK "));
  if (rightId) {
    const old = /^ rightid=(.*)$/m.exec(content)![1]!;
    content = content.replace(/^ rightid=.*$/m, ` rightid=${rightId}`);
    selectors = selectors.replace(old, rightId);
  }
  return {
    conf: { ...conf, path: conf.path.replace(base, name), content },
    secretsPath: secrets.path.replace(base, name),
    secretsLine: (key) => `${selectors} : PSK "${key}"\n`,
  };
}

/** The attacker side: one CPE per branch namespace, with one loaded connection per identity it can claim. */
export class Attackers {
  private readonly loaded = new Map<string, { cpe: Instance; name: string; secretsPath: string; secretsLine: (key: string) => string }>();
  private count = 0;

  constructor(private readonly cpes: Map<string, Instance>) {}

  /** Loads the attacker connection for `y` once (its key is set per attempt). */
  async prepare(y: Party, rightId?: string): Promise<void> {
    const cpe = this.cpes.get(y.branch!)!;
    const name = `att-${++this.count}`;
    const c = attackerConfig(y.site!, name, rightId);
    cpe.writeFile(c.conf.path, c.conf.content, c.conf.mode);
    cpe.writeFile(c.secretsPath, "", 0o600);
    await cpe.sh("ipsec update");
    await waitLoaded(cpe, name);
    this.loaded.set(y.label, { cpe, name, secretsPath: c.secretsPath, secretsLine: c.secretsLine });
  }

  /**
   * One attempt: Y's connection on the attacker CPE now holds X's key (rereadsecrets is synchronous) and initiates
   * once; the router's log and SAs are read; a connection that came up is closed from the attacker's side.
   */
  async attack(router: Instance, x: Party, y: Party, routerConns: string[]): Promise<Outcome> {
    const a = this.loaded.get(y.label)!;
    a.cpe.writeFile(a.secretsPath, a.secretsLine(x.key), 0o600);
    await a.cpe.exec(["ipsec", "rereadsecrets"]);
    const mark = router.logMark();
    await a.cpe.exec(["ipsec", "up", a.name], { allowFail: true, timeoutMs: 15_000 });
    const log = router.logSince(mark);
    const sas = await router.sas();
    const sa = sas.some((s) => routerConns.includes(s.name) && s.state === "ESTABLISHED");
    if (sas.some((s) => routerConns.includes(s.name))) {
      await a.cpe.exec(["ipsec", "down", a.name], { allowFail: true });
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && (await router.sas()).some((s) => routerConns.includes(s.name))) await new Promise((r) => setTimeout(r, 20));
    }
    return { key: x.label, identity: y.label, authenticated: /with pre-shared key successful/.test(log), sa };
  }
}

/** Starts one attacker CPE per branch namespace the matrix uses (no connection yet). */
export async function startAttackers(lab: Lab, prefix: string): Promise<Map<string, Instance>> {
  const cpes = new Map<string, Instance>();
  for (const b of [ATTACK_BRANCH, ...STATIC_BRANCHES]) cpes.set(b.name, await lab.startInstance(`${prefix}-${b.name}`, lab.topo.branch(b.name).cpe, "stroke"));
  return cpes;
}

export function formatMatrix(outcomes: readonly Outcome[]): string {
  return outcomes.map((o) => `${o.authenticated || o.sa ? "ACCEPTED" : "refused "}  key of ${o.key.padEnd(18)} as ${o.identity}`).join("\n");
}
