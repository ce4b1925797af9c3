/**
 * keepalived's VRRP election as CloudStack configures it for a redundant VR (systemvm templates/keepalived.conf.templ:
 * `state BACKUP`, `nopreempt`, `advert_int` from `router.redundant.vrrp.interval` = 1 s, no `priority` line, so
 * keepalived's default 100), reduced to what decides a failover: a PRIMARY sends an advert every advert_int; a BACKUP
 * that has heard none for the master-down interval (RFC 3768: 3 × advert_int + skew, skew = (256 − priority) / 256
 * × advert_int) takes over. nopreempt: a VM that comes back never takes the role from a live PRIMARY. Pure.
 */
import type { VrrpRole } from "./router-vm";

export interface VrrpConfig {
  /** Seconds between adverts (`router.redundant.vrrp.interval`). */
  advertIntS: number;
  priority: number;
}

/** What CloudStack's keepalived.conf gives every redundant VR. */
export const CLOUDSTACK_VRRP: VrrpConfig = { advertIntS: 1, priority: 100 };

/** RFC 3768 Master_Down_Interval in ms: 3.609 s for CloudStack's defaults. */
export function masterDownIntervalMs(c: VrrpConfig = CLOUDSTACK_VRRP): number {
  return (3 * c.advertIntS + ((256 - c.priority) / 256) * c.advertIntS) * 1000;
}

/** Time of the last advert a PRIMARY that has advertised since `last` has sent by `now` (adverts are discrete). */
export function lastAdvertAt(last: number, now: number, advertMs: number): number {
  return now <= last ? last : last + Math.floor((now - last) / advertMs) * advertMs;
}

export interface VrrpMember {
  index: number;
  role: VrrpRole;
  /** When it last became a live BACKUP (its master-down timer starts then at the latest). */
  backupSince: number;
}

/**
 * The member whose master-down timer expires first, once no PRIMARY advertises: its timer started at the later of
 * the last advert it heard and its own start as BACKUP. Undefined while a PRIMARY lives or no timer has expired.
 * Equal timers: the lower index (real VRRP would pick the higher primary address; either is one winner).
 */
export function electPrimary(members: readonly VrrpMember[], lastAdvert: number, now: number, downMs: number): number | undefined {
  if (members.some((m) => m.role === "PRIMARY")) return undefined;
  const timers = members
    .filter((m) => m.role === "BACKUP")
    .map((m) => ({ index: m.index, started: Math.max(lastAdvert, m.backupSince) }))
    .filter((t) => now - t.started >= downMs)
    .sort((a, b) => a.started - b.started || a.index - b.index);
  return timers[0]?.index;
}
