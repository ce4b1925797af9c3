/**
 * Glue between the project's own model/renderers and the lab: every VR-side config the scenarios apply comes from
 * parseSite → siteToDataBag → renderVr / renderSwanctl, and every CPE config from renderPeer. Nothing here edits a
 * rendered VR file; a scenario that needs a misbehaving CPE derives it from a rendered peer config explicitly.
 */
import { randomBytes } from "node:crypto";
import { parseSite, siteToDataBag, type SiteSpec } from "../../../provider/model/site";
import type { Site2SiteVpnDataBag } from "../../../provider/model/databag";
import { renderPeer } from "../../../provider/render/peer";
import { renderSwanctl } from "../../../provider/render/swanctl";
import { renderVr } from "../../../provider/render/vr";
import type { HostRender, VrRender } from "../../../provider/render/types";

export const VPC_CIDR = "10.1.0.0/16";
export const VR_PUBLIC_IP = "198.51.100.10";

/** A fresh random key per call: ≥ 20 characters as dynamic peers require; it only ever lands in 0600 files. */
export function newPsk(): string {
  return randomBytes(24).toString("base64url");
}

export interface DynamicSiteOptions {
  name: string;
  remoteId: string;
  remoteIdType?: "ipv4" | "fqdn" | "email" | "dn";
  cidrList: string[];
  allowedSourceCidrs: string[];
  psk: string;
  /** Fast DPD for the lab (seconds). */
  dpdDelaySeconds?: number;
  extra?: Record<string, unknown>;
}

/** Builds a dynamic-peer site through the project's parser; fails loudly with the parser's issues. */
export function dynamicSite(o: DynamicSiteOptions): SiteSpec {
  return site({
    name: o.name,
    vpnGateway: { vpcCidr: VPC_CIDR, publicIp: VR_PUBLIC_IP },
    customerGateway: {
      peer: { type: "dynamic", remoteId: o.remoteId, ...(o.remoteIdType ? { remoteIdType: o.remoteIdType } : {}), allowedSourceCidrs: o.allowedSourceCidrs },
      cidrList: o.cidrList,
      ipsecPsk: o.psk,
      dpdDelaySeconds: o.dpdDelaySeconds ?? 5,
      dpdTimeoutSeconds: 3 * (o.dpdDelaySeconds ?? 5),
      ...o.extra,
    },
  });
}

export function staticSite(o: { name: string; gateway: string; cidrList: string[]; psk: string; extra?: Record<string, unknown> }): SiteSpec {
  return site({
    name: o.name,
    vpnGateway: { vpcCidr: VPC_CIDR, publicIp: VR_PUBLIC_IP },
    customerGateway: { peer: { type: "static", gateway: o.gateway }, cidrList: o.cidrList, ipsecPsk: o.psk, ...o.extra },
  });
}

export function site(input: unknown): SiteSpec {
  const parsed = parseSite(input);
  const errors = parsed.issues.filter((i) => i.severity === "error");
  if (!parsed.site || errors.length > 0) throw new Error(`parseSite refused a lab site:\n${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`);
  return parsed.site;
}

function pskOf(s: SiteSpec): string {
  const p = s.customerGateway.ipsecPsk;
  if (typeof p !== "string") throw new Error("lab sites carry their key inline");
  return p;
}

export function bagOf(s: SiteSpec, create = true): Site2SiteVpnDataBag {
  return siteToDataBag(s, { create, psk: pskOf(s) });
}

/** The VR render for a site (create, change with `previous`, or removal with create=false). */
export function vrRenderOf(s: SiteSpec, options: { create?: boolean; previous?: SiteSpec; publicInterface?: string } = {}): VrRender {
  return renderVr(bagOf(s, options.create ?? true), {
    ...(options.publicInterface ? { publicInterface: options.publicInterface } : {}),
    ...(options.previous ? { previous: bagOf(options.previous) } : {}),
  });
}

export function swanctlRenderOf(s: SiteSpec): HostRender {
  return renderSwanctl(s);
}

/** The branch CPE's config; `psk` overrides the key (a CPE holding the wrong one). */
export function peerRenderOf(s: SiteSpec, psk?: string): HostRender {
  return renderPeer(s, psk === undefined ? {} : { psk });
}

/**
 * A CPE config derived from a rendered one with some settings replaced (for refusal scenarios: an IKEv1 or
 * mismatched-proposal initiator). Only ever used on the CPE side; VR configs are applied exactly as rendered.
 */
export function tamperedPeer(render: HostRender, replace: Record<string, string>): HostRender {
  return {
    ...render,
    files: render.files.map((f) => {
      if (!f.path.endsWith(".conf")) return f;
      let content = f.content;
      for (const [key, value] of Object.entries(replace)) {
        const re = new RegExp(`^ ${key}=.*$`, "m");
        if (!re.test(content)) throw new Error(`rendered peer config has no ${key}= line to replace`);
        content = content.replace(re, ` ${key}=${value}`);
      }
      return { ...f, content };
    }),
  };
}
