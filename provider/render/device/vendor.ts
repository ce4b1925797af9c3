import type { Issue } from "../../model/issues";
import { PSK_PLACEHOLDER, SRC, type DeviceSite } from "./device-site";
import { deviceProblem, SourcedText } from "./tables";

/** One file of a device configuration; `secret` files hold the key (or its placeholder) and are written 0600. */
export interface DeviceFile {
  /** Suggested file name (the CLI's `--out` names the first one; the others take its stem). */
  name: string;
  content: string;
  secret: boolean;
}

export interface DeviceVendor {
  id: string;
  title: string;
  /** Vendor documentation each template follows (also cited in the rendered header). */
  docs: string[];
  /** Everything in the site this vendor cannot express; empty when it renders. */
  problems(d: DeviceSite): Issue[];
  render(d: DeviceSite): DeviceFile[];
}

/** Every export is IKEv2: a static site pinned to IKEv1 cannot be rendered as asked. */
export function ikev2Problems(vendor: string, d: DeviceSite): Issue[] {
  if (d.ikeVersion !== "ikev1") return [];
  return [deviceProblem(vendor, SRC.ikeVersion, "ikev1", "device configurations are IKEv2 only", '"ikev2" (or "ike", which lets the VPC side accept IKEv2)')];
}

/** ID types a vendor cannot send with PSK authentication. */
export function idTypeProblems(vendor: string, d: DeviceSite, unsupported: Partial<Record<string, string>>): Issue[] {
  const id = d.localId;
  if (!id) return [];
  const why = unsupported[id.type];
  return why ? [deviceProblem(vendor, id.source, id.value, `${vendor} cannot send a ${id.type} identity with a pre-shared key (${why})`, "an fqdn or email identity (set customerGateway.peer.remoteId and remoteIdType)")] : [];
}

/** The common header: what this is, where it came from, the documentation followed, and the PSK status. */
export function header(t: SourcedText, vendor: DeviceVendor, d: DeviceSite): SourcedText {
  t.comment(`cloudstack-s2s device configuration for site ${d.name}: ${vendor.title}`);
  t.comment(`The branch side of the tunnel to the CloudStack VPC ${d.vpcCidr} via ${d.remoteAddress}. Generated - do not edit.`);
  for (const url of vendor.docs) t.comment(`Follows: ${url}`);
  t.comment(
    d.dynamic
      ? "Dynamic peer: the VPC side only responds (it never initiates); this branch initiates and keeps retrying."
      : "Static peer: either side may initiate; this branch initiates and keeps the tunnel up.",
  );
  t.comment(`VPC side IKE identity: ${d.remoteId.value} (${d.remoteId.type}, from ${d.remoteId.source}).`);
  if (d.psk.placeholder) t.comment(`PRE-SHARED KEY NOT INCLUDED: replace ${PSK_PLACEHOLDER} with the key (or export with --include-psk).`);
  else t.comment("Contains the pre-shared key: keep this file private (mode 0600).");
  t.comment("Each statement is preceded by the site field(s) its values come from.");
  return t;
}
