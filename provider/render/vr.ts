import type { Site2SiteVpnDataBag } from "../model/databag";
import { isInterfaceName, INTERFACE_NAME_RULE } from "../model/net";
import { parseDataBag } from "../model/databag-schema";
import { DEFAULT_PUBLIC_INTERFACE } from "../model/defaults";
import { ValidationError } from "../model/issues";
import type { VrRender } from "./types";
import { renderDynamicVr } from "./vr-dynamic";
import { renderStaticVr } from "./vr-static";

export interface VrRenderOptions {
  /** The interface that carries `local_public_ip` on the router. @default "eth1" */
  publicInterface?: string;
  /** The bag last applied for this peer; lets the command list touch only what changed. */
  previous?: Site2SiteVpnDataBag;
}

/**
 * Renders what a CloudStack VPC virtual router holds and runs for one `site2sitevpn` data bag: CloudStack's own
 * output for static peers, the dynamic-peer responder for `dynamic_peer: true`. The bag is validated first, so no
 * value can change the meaning of a file; an invalid bag throws a ValidationError listing every problem.
 */
export function renderVr(bag: Site2SiteVpnDataBag, options: VrRenderOptions = {}): VrRender {
  const checked = parseDataBag(bag);
  if (!checked.bag) throw new ValidationError(checked.issues, "site2sitevpn data bag");
  const dev = options.publicInterface ?? DEFAULT_PUBLIC_INTERFACE;
  if (!isInterfaceName(dev)) throw new ValidationError([{ path: "publicInterface", code: "invalid-interface", severity: "error", message: `\`publicInterface\` ${JSON.stringify(dev)} ${INTERFACE_NAME_RULE}` }]);
  return checked.bag.dynamic_peer ? renderDynamicVr(checked.bag, dev, options.previous) : renderStaticVr(checked.bag, dev, options.previous);
}
