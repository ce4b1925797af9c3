import { ValidationError } from "../../model/issues";
import { parseSite } from "../../model/site";
import { DEFAULT_DEVICE_VENDOR, deviceConfigText, renderDeviceConfig } from "./index";

export interface ConnectionDeviceInput {
  /** Names the rendered connection (made a valid site name: lowercase letters, digits, hyphens). */
  name: string;
  /** A `CustomerGateway`'s validated spec (its `spec` output, without the key). */
  customerGatewaySpec: Record<string, unknown>;
  psk: string;
  /** The `VpnGateway`'s public IP and VPC CIDR. */
  publicIp: string;
  vpcCidr: string;
  vendor?: string;
}

function siteName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 42).replace(/-+$/, "");
  return cleaned || "site";
}

/**
 * The branch configuration for a Pulumi connection, from the same site model as the CLI (the resources only call
 * this). Throws a ValidationError listing every problem when the vendor cannot express the customer gateway.
 */
export function connectionDeviceConfig(input: ConnectionDeviceInput): string {
  const { ipsecPsk: _ignored, ...spec } = input.customerGatewaySpec;
  const parsed = parseSite({ name: siteName(input.name), vpnGateway: { vpcCidr: input.vpcCidr, publicIp: input.publicIp }, customerGateway: { ...spec, ipsecPsk: input.psk } });
  const errors = parsed.issues.filter((i) => i.severity === "error");
  if (!parsed.site || errors.length > 0) throw new ValidationError(errors, `device configuration for ${input.name}`);
  return deviceConfigText(renderDeviceConfig(parsed.site, input.vendor ?? DEFAULT_DEVICE_VENDOR, { psk: input.psk }));
}
