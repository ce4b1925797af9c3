/**
 * Branch-router ("device") configurations: the other end of a site's tunnel, for the routers branches run.
 * Pure: a validated site (and the resolved PSK, if it is to be included) in, text out — or every problem at once.
 */
import { ValidationError, type Issue } from "../../model/issues";
import type { SiteSpec } from "../../model/site";
import { ciscoIosxe } from "./cisco-iosxe";
import { deviceSite } from "./device-site";
import { fortigate } from "./fortigate";
import { juniperSrx } from "./juniper-srx";
import { libreswan } from "./libreswan";
import { mikrotikRouteros7 } from "./mikrotik-routeros7";
import { strongswanIpsec } from "./strongswan-ipsec";
import { strongswanSwanctl } from "./strongswan-swanctl";
import { vyos } from "./vyos";
import type { DeviceFile, DeviceVendor } from "./vendor";

export type { DeviceFile, DeviceVendor } from "./vendor";
export { DEFAULT_TCP_MSS, PSK_PLACEHOLDER } from "./device-site";

export const DEVICE_VENDORS: readonly DeviceVendor[] = [strongswanSwanctl, strongswanIpsec, libreswan, ciscoIosxe, juniperSrx, mikrotikRouteros7, vyos, fortigate];


export const DEVICE_VENDOR_IDS = DEVICE_VENDORS.map((v) => v.id);
export const DEFAULT_DEVICE_VENDOR = "strongswan-swanctl";

export function deviceVendor(id: string): DeviceVendor | undefined {
  return DEVICE_VENDORS.find((v) => v.id === id);
}

export interface DeviceConfigOptions {
  /**
   * The key to write. Omitted: a literal key in the site is NOT used either, the output holds a marked
   * placeholder instead (include the key only on purpose).
   */
  psk?: string;
  /** TCP MSS to clamp to (default 1350, as the operator manual advises). */
  mss?: number;
}

export interface DeviceConfig {
  vendor: string;
  files: DeviceFile[];
}

export type DeviceConfigResult = { config: DeviceConfig; issues: [] } | { config?: undefined; issues: Issue[] };

/** Renders, or returns every problem (unknown vendor, missing address, what the vendor cannot express). */
export function tryRenderDeviceConfig(site: SiteSpec, vendorId: string, options: DeviceConfigOptions = {}): DeviceConfigResult {
  const vendor = deviceVendor(vendorId);
  if (!vendor) return { issues: [{ path: "vendor", code: "unknown-vendor", severity: "error", message: `\`vendor\` ${JSON.stringify(vendorId)} is not a known device; use one of ${DEVICE_VENDOR_IDS.join(", ")}` }] };
  if (!site.vpnGateway.publicIp) {
    return { issues: [{ path: "vpnGateway.publicIp", code: "required-to-render", severity: "error", message: "`vpnGateway.publicIp` is required to render a device configuration; set it to the VPN gateway's public IPv4 address" }] };
  }
  // The literal key is deliberately ignored unless passed: an export carries the key only when asked to.
  const d = deviceSite({ ...site, customerGateway: { ...site.customerGateway, ipsecPsk: { env: "S2S_UNUSED" } } }, options);
  const issues = vendor.problems(d);
  if (issues.length > 0) return { issues };
  return { config: { vendor: vendor.id, files: vendor.render(d) }, issues: [] };
}

/** As tryRenderDeviceConfig, but throws a ValidationError listing every problem. */
export function renderDeviceConfig(site: SiteSpec, vendorId: string = DEFAULT_DEVICE_VENDOR, options: DeviceConfigOptions = {}): DeviceConfig {
  const r = tryRenderDeviceConfig(site, vendorId, options);
  if (!r.config) throw new ValidationError(r.issues, `site ${site.name} for ${vendorId}`);
  return r.config;
}

/** One text for display: a single file as is, several with `==> name <==` headers. */
export function deviceConfigText(config: DeviceConfig): string {
  if (config.files.length === 1) return config.files[0]!.content;
  return config.files.map((f) => `==> ${f.name} <==\n${f.content}`).join("\n");
}
