/**
 * One digest of what a site renders to on the VPC side (files, firewall, commands), so a front end that cannot
 * read the router (Terraform's `terraform_data`) still re-pushes exactly when the rendered configuration changes.
 * The key enters only as the scrypt digest the push state uses for secrets files, and only when it is known.
 */
import { createHash } from "node:crypto";
import { siteToDataBag, type SiteSpec } from "../model/site";
import { fileDigest } from "../push/state";
import { renderVr } from "../render/vr";

/** Stands in for the key while rendering when the real one is not known: secrets files are then left out. */
const STAND_IN_PSK = "digest-stand-in-key-0123456789abcdef";
/** When the site does not name its public IP, CloudStack decides it; the digest then covers everything else. */
const UNKNOWN_PUBLIC_IP = "192.0.2.1";

export function renderedConfigDigest(site: SiteSpec, psk?: string): string {
  const publicIp = site.vpnGateway.publicIp ?? UNKNOWN_PUBLIC_IP;
  const render = renderVr(siteToDataBag(site, { create: true, psk: psk ?? STAND_IN_PSK, publicIp }), { publicInterface: site.vpnGateway.publicInterface });
  const files = render.files
    .filter((f) => psk !== undefined || !f.path.endsWith(".secrets"))
    .map((f) => [f.path, f.mode, fileDigest(f.path, f.content)]);
  const canonical = JSON.stringify({ files, firewall: render.firewall.map((r) => [r.table, r.position, r.rule]), commands: render.commands, passive: site.connection.passive, vpcId: site.vpnGateway.vpcId ?? null });
  return `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
}
