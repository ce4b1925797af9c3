/**
 * One VR reconfiguration for the `site2sitevpn` data bag, as CloudStack's `CsSite2SiteVpn.process()` does it
 * (contract §4.2–§4.3), in the router namespace:
 *   - the bag is merged (one entry per peer key; `create: false` deletes the entry);
 *   - EVERY entry is processed again: static peers get CloudStack's files (written only when changed, as CsFile
 *     commits) and CloudStack's commands (rereadsecrets when a file changed, `ipsec reload`, the readiness grep with
 *     up to 3 tries, the warm-up pings), all best effort; dynamic peers (dynamic-peer API variant) get renderVr's
 *     dynamic branch applied natively, strictly (a failed command fails the reconfiguration);
 *   - `ipsec.vpn-*.conf` files whose peer left the bag are stale: `ipsec down` twice, files removed, `ipsec reload`
 *     (`deletevpn`); a removed dynamic peer gets the renderer's removal;
 *   - the firewall pass is CsNetfilters.compare over the tuples of all entries (vr-netfilter.ts).
 * Only `ipsec.vpn-*` (and, natively, the dynamic peers' `s2s-*`) files are touched: that is CloudStack's glob.
 * On the BACKUP of a redundant pair (`ipsecRunning` false: CsRedundant.set_backup stopped ipsec) the files and the
 * firewall pass are done and no `ipsec` command runs: nothing is loaded until set_primary's `ipsec restart`
 * (docs/local-cloud-router-life.md says where real CloudStack differs).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Site2SiteVpnDataBag } from "../../model/databag";
import type { FirewallRule } from "../../render/types";
import { renderVr } from "../../render/vr";
import { dataBagKey } from "../router";
import type { Instance } from "./strongswan-instance";
import type { NetfilterChange, VrNetfilter } from "./vr-netfilter";

export interface Reconfiguration {
  /** Every command run, with its exit code (best-effort ones included). */
  commands: { command: string; code: number }[];
  firewall: NetfilterChange;
  staleRemoved: string[];
  /** The VM's ipsec was stopped (a BACKUP): files and firewall only, no `ipsec` command ran. */
  ipsecStopped?: true;
}

export class VrSite2Site {
  /** The merged data bag (contract §4.2), in insertion order as the JSON object keeps it. */
  readonly databag = new Map<string, Site2SiteVpnDataBag>();
  /** What the last run applied per key: the renderer's `previous`. */
  private readonly applied = new Map<string, Site2SiteVpnDataBag>();

  constructor(
    private readonly vr: Instance,
    private readonly netfilter: VrNetfilter,
    private readonly publicIp: string,
    private readonly publicInterface: string,
    private readonly log: (line: string) => void,
    /** Whether charon runs on this VM; a plain VR always has it (undefined). */
    private readonly ipsecRunning?: () => boolean,
  ) {}

  private write(path: string, content: string, mode: number): boolean {
    const host = this.vr.hostPath(path);
    // CsFile commits only when the content changed; the secrets file is chmod-ed on every run anyway.
    if (existsSync(host) && readFileSync(host, "utf8") === content && (statSync(host).mode & 0o7777) === mode) return false;
    this.vr.writeFile(path, content, mode);
    return true;
  }

  private async run(out: Reconfiguration, command: string, strict: boolean): Promise<number> {
    const r = await this.vr.sh(command, { allowFail: !strict, timeoutMs: 30_000 });
    out.commands.push({ command, code: r.code });
    return r.code;
  }

  /**
   * One reconfiguration: `bag` merged first; without one, the whole data bag again as it stands (what a router
   * gets when it starts: CloudStack sends it its complete configuration).
   */
  async apply(bag?: Site2SiteVpnDataBag): Promise<Reconfiguration> {
    const out: Reconfiguration = { commands: [], firewall: { added: [], deleted: [] }, staleRemoved: [] };
    const live = this.ipsecRunning?.() ?? true;
    if (!live) out.ipsecStopped = true;
    const key = bag ? dataBagKey(bag) : "";
    const removed = bag && !bag.create ? this.applied.get(key) : undefined;
    if (bag?.create) this.databag.set(key, structuredClone(bag));
    else if (bag) this.databag.delete(key);

    const dir = join(this.vr.dir, "etc", "ipsec.d");
    const confips = new Set(readdirSync(dir).map((f) => /^ipsec\.vpn-(.*)\.conf$/.exec(f)?.[1]).filter((p): p is string => p !== undefined));
    const tuples: FirewallRule[] = [];
    for (const [k, entry] of this.databag) {
      if (entry.local_public_ip !== this.publicIp) {
        this.log(`Request for ipsec to ${entry.local_public_ip} not possible because ip is not configured`);
        continue;
      }
      const render = renderVr(entry, { publicInterface: this.publicInterface, ...(this.applied.has(k) ? { previous: this.applied.get(k)! } : {}) });
      for (const f of render.files) this.write(f.path, f.content, f.mode);
      if (!live) confips.delete(entry.peer_gateway_ip ?? "");
      else if (entry.dynamic_peer) {
        if (render.commands.length > 0) {
          const r = await this.vr.sh(`set -e\n${render.commands.join("\n")}`, { allowFail: true, timeoutMs: 30_000 });
          out.commands.push({ command: render.commands.join("; "), code: r.code });
          if (r.code !== 0) throw new Error(`netns VR: dynamic peer ${entry.peer_id}: commands exited ${r.code}: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
        }
      } else {
        confips.delete(entry.peer_gateway_ip ?? "");
        for (const command of render.commands) {
          let code = await this.run(out, command, false);
          // main-line CloudStack retries the readiness grep up to 3 times, 1 s apart.
          for (let t = 1; t < 3 && code !== 0 && command.startsWith("ipsec status "); t++) {
            await new Promise((r) => setTimeout(r, 1_000));
            code = await this.run(out, command, false);
          }
        }
      }
      tuples.push(...render.firewall);
      this.applied.set(k, entry);
    }
    if (removed?.dynamic_peer) {
      const removal = renderVr(removed.create ? { ...removed, create: false } : removed, { publicInterface: this.publicInterface });
      for (const p of removal.removeFiles) this.vr.removeFile(p);
      if (live) {
        const r = await this.vr.sh(removal.commands.join("\n"), { allowFail: true, timeoutMs: 30_000 });
        out.commands.push({ command: removal.commands.join("; "), code: r.code });
      }
    }
    if (bag && !bag.create) this.applied.delete(key);
    for (const peer of confips) {
      // deletevpn(): down twice, remove both files, reload.
      if (live) for (const command of [`ipsec down vpn-${peer}`, `ipsec down vpn-${peer}`]) await this.run(out, command, false);
      for (const ext of ["conf", "secrets"]) this.vr.removeFile(`/etc/ipsec.d/ipsec.vpn-${peer}.${ext}`);
      if (live) await this.run(out, "ipsec reload", false);
      out.staleRemoved.push(`ipsec.vpn-${peer}`);
    }
    out.firewall = this.netfilter.compare(tuples);
    return out;
  }
}
