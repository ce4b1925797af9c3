/**
 * One attempt → findings. Each rule keys on a strongSwan 5.9.8 log line (docs/doctor-causes.md lists them with
 * their source files) and, with a site, compares what the log shows with what the site declares.
 */
import type { Attempt, LoadedConfigs } from "./attempts";
import type { CauseCode, Finding, Side } from "./causes";
import { idTypeLabel, inCidr, isPrivateIpv4, sameIdText, strokeId, type SiteExpectation } from "./expect";
import type { LogLine } from "./parse";
import { firstDifference, parseProposals, sideBySide, type Proposal } from "./proposals";
import { detectIkeIdType } from "../model/ike-id";

export interface ClassifyContext {
  side: Side;
  site?: SiteExpectation;
  configs: LoadedConfigs;
}

const find = (a: Attempt, re: RegExp): LogLine | undefined => a.lines.find((l) => re.test(l.text));
const findLast = (a: Attempt, re: RegExp, before = Infinity): LogLine | undefined => [...a.lines].reverse().find((l) => l.n < before && re.test(l.text));

/** The proposal list logged by the job that failed (same thread, just before `at`, or just after for the initiator). */
function proposalsNear(a: Attempt, which: "received" | "configured", protocol: "IKE" | "ESP", at: LogLine): { line?: LogLine; list: Proposal[] } {
  const re = new RegExp(`^${which} proposals: ${protocol}:`);
  const line = [...a.lines].reverse().find((l) => l.thread === at.thread && l.n <= at.n && l.n > at.n - 25 && re.test(l.text)) ?? a.lines.find((l) => l.thread === at.thread && l.n > at.n && l.n < at.n + 5 && re.test(l.text));
  return line ? { line, list: parseProposals(line.text.replace(/^\w+ proposals: /, "")) } : { list: [] };
}

function diffText(d: ReturnType<typeof firstDifference>, leftName: string, rightName: string): string {
  return d ? `first differing transform: ${d.type} — ${leftName} ${d.ours}, ${rightName} ${d.theirs}` : "the lists share a proposal (the mismatch is in a later exchange or a DH group retry)";
}

function idDetail(label: string, text: string): string {
  return `${label}: '${text}' (${idTypeLabel(detectIkeIdType(text))} as printed; charon does not log the type)`;
}

export function classifyAttempt(a: Attempt, ctx: ClassifyContext): Finding[] {
  const out: Finding[] = [];
  const site = ctx.site;
  const connection = a.conn ?? (a.remote ? `from ${a.remote}` : "unknown");
  const add = (cause: CauseCode, evidence: (LogLine | undefined)[], fix: string, extra: Partial<Finding> = {}): void => {
    out.push({ cause, side: ctx.side, connection, evidence: evidence.filter((l): l is LogLine => l !== undefined).map((l) => l.raw), fix, ...(a.remote ? { peerAddress: a.remote } : {}), ...extra });
  };
  const ikeUp = find(a, /^IKE_SA \S+\[\d+\] established between/);
  const childUp = find(a, /^CHILD_SA \S+\{\d+\} established/);
  const initiator = a.role === "initiator";
  const loaded = a.conn ? ctx.configs.get(a.conn) : undefined;

  // IKEv1 against an IKEv2-only connection
  const v1Refused = a.ikeVersion === 1 ? find(a, /^no IKE config found for .*sending NO_PROPOSAL_CHOSEN|^received NO_PROPOSAL_CHOSEN error notify/) : undefined;
  const v1Decrypt = find(a, /^invalid ID_V1 payload length, decryption failed\?|^could not decrypt payloads/);
  if (v1Refused || v1Decrypt) {
    add("ikev1-not-allowed", [find(a, /^initiating Main Mode|^initiating Aggressive Mode|^parsed (ID_PROT|AGGRESSIVE) request 0/), find(a, /IKEv1 config/), v1Refused ?? v1Decrypt], "A dynamic peer is identified by its IKE ID, which needs IKEv2 (in IKEv1 main mode the key must be chosen before the ID is known). Set the branch router to IKEv2 (strongSwan: keyexchange=ikev2); the site's customerGateway.ikeVersion is ikev2 for dynamic peers.", { field: "customerGateway.ikeVersion" });
    return out;
  }
  const noConfig = find(a, /^no IKE config found for/);
  if (noConfig) {
    add("no-ike-config", [find(a, /^looking for an IKEv2 config/), noConfig], `No connection on the router covers this address pair: check that the branch targets the router's public IP${site ? ` (vpnGateway.publicIp ${site.routerIp})` : ""} and that the connection is loaded (\`ipsec statusall\`); re-push the site if it is not.`, { field: "vpnGateway.publicIp" });
    return out;
  }

  // IKE proposals
  const ikeNoProp = find(a, /^received proposals unacceptable/) ?? (initiator && !ikeUp ? find(a, /^received NO_PROPOSAL_CHOSEN notify error/) : undefined);
  if (ikeNoProp) {
    const received = proposalsNear(a, "received", "IKE", ikeNoProp);
    const configured = proposalsNear(a, "configured", "IKE", ikeNoProp);
    let detail: string[];
    let diff: string;
    if (!initiator && received.list.length > 0 && configured.list.length > 0) {
      detail = sideBySide("branch proposes (received)", received.list, "router accepts (configured)", configured.list);
      diff = diffText(firstDifference(received.list, configured.list), "branch", "router");
    } else if (site?.ike && configured.list.length > 0) {
      detail = sideBySide("this side proposes", configured.list, `site ikePolicy (${site.ikeText})`, site.ike);
      diff = diffText(firstDifference(configured.list, site.ike), "this side", "site");
    } else {
      detail = configured.list.length > 0 ? [`this side proposes: ${configured.list.map((p) => p.text).join(", ")}`, "the other side's list is in its own log (or pass --site)"] : [];
      diff = "";
    }
    const noAlg = find(a, /^no acceptable \w+ found/);
    if (diff) detail.push(diff);
    add("ike-proposal-mismatch", [received.line, configured.line, noAlg, ikeNoProp], `Make the branch's IKE proposal match customerGateway.ikePolicy${site ? ` (${site.ikeText})` : ""}, or change customerGateway.ikePolicy and re-push.`, { field: "customerGateway.ikePolicy", detail });
    return out;
  }

  // Identities
  const lookup = find(a, /^looking for peer configs matching /);
  const noPeerCfg = find(a, /^no matching peer config found/);
  if (noPeerCfg) {
    const m = /matching ([^[\s]+)\[(.*?)\]\.\.\.([^[\s]+)\[(.*)\]$/.exec(lookup?.text ?? "");
    const routerIdSent = m?.[2];
    const branchIdSent = m?.[4];
    const detail: string[] = [];
    let fix = "The branch's ID, or the router ID it expects, matches no connection on the router. Compare the IDs below with the site's customerGateway.peer.remoteId (and its type) and with the router's ID.";
    let field = "customerGateway.peer.remoteId";
    if (branchIdSent) detail.push(idDetail("branch sends (IDi)", branchIdSent));
    if (routerIdSent) detail.push(idDetail("branch expects the router to be (IDr)", routerIdSent));
    if (site?.branchId) {
      detail.push(`site expects the branch: '${site.branchId.text}' (${idTypeLabel(site.branchId.type)}, customerGateway.peer.remoteId${site.dynamic ? "/remoteIdType" : ""})`);
      detail.push(`router presents: '${site.routerId.text}' (${idTypeLabel(site.routerId.type)})`);
      if (branchIdSent && !sameIdText(branchIdSent, site.branchId.text)) {
        fix = `The branch sends '${branchIdSent}' but the site expects '${site.branchId.text}'. Set the branch's local ID to ${site.branchId.text} (type ${site.branchId.type}), or change customerGateway.peer.remoteId if the branch is right.`;
      } else if (routerIdSent && !sameIdText(routerIdSent, site.routerId.text)) {
        fix = `The branch expects the router's ID to be '${routerIdSent}', but the router presents '${site.routerId.text}' (${idTypeLabel(site.routerId.type)}). Set the branch's remote ID (strongSwan rightid) to ${site.routerId.text}.`;
        field = "branch: remote ID";
      } else if (branchIdSent) {
        fix = `The branch sends the right text '${branchIdSent}' with the wrong ID type: the site declares ${site.branchId.type} (${idTypeLabel(site.branchId.type)}). Set the branch's local ID type to ${site.branchId.type}${site.branchId.type === "ipv4" ? " (IP address; strongSwan: leftid=" + site.branchId.text + ", not @" + site.branchId.text + ")" : ""}, or set customerGateway.peer.remoteIdType to the type the branch sends. (If the router does not hold this site's connection at all, \`cloudstack-s2s status\` says so.)`;
        field = "customerGateway.peer.remoteIdType";
      }
    }
    add("id-mismatch", [lookup, noPeerCfg, findLast(a, /N\(AUTH_FAILED\)/)], fix, { field, detail });
    return out;
  }

  // Keys, seen by the side that checks the MAC
  const macMismatch = find(a, /^tried \d+ shared keys? for '.*' - '.*', but MAC mismatched/);
  if (macMismatch) {
    add("psk-mismatch", [lookup, find(a, /^selected peer config/), macMismatch], "The branch and the router hold different keys for this ID. Set the branch's PSK to customerGateway.ipsecPsk (or rotate it on both sides and re-push); check quoting and encodings (0x…, 0s…).", { field: "customerGateway.ipsecPsk" });
    return out;
  }
  const noKey = find(a, /^no shared key found for '(.*)' - '(.*)'/);
  if (noKey) {
    add("psk-missing", [lookup, find(a, /^selected peer config/), noKey], "The router has this connection but no key for this ID: its secrets were not (re)loaded. Re-push the site (the push runs `ipsec rereadsecrets`), or on the router run `ipsec rereadsecrets`; check that a secret keyed by the branch's ID exists (customerGateway.ipsecPsk).", { field: "customerGateway.ipsecPsk" });
    return out;
  }
  const peerRejectedUs = ikeUp ? find(a, /^parsed INFORMATIONAL request \d+ \[ N\(AUTH_FAILED\) \]/) : undefined;
  if (peerRejectedUs) {
    add("psk-mismatch", [ikeUp, peerRejectedUs], "The other side rejected this side's key for the same ID: the keys differ (e.g. a stale secret). Set both to customerGateway.ipsecPsk and re-push.", { field: "customerGateway.ipsecPsk" });
    return out;
  }
  const authFailed = find(a, /^received AUTHENTICATION_FAILED notify error/);
  if (authFailed) {
    const mine = find(a, /^authentication of '(.*)' \(myself\)/);
    const sentId = loaded?.leftid ? strokeId(loaded.leftid) : mine ? { text: /'(.*)'/.exec(mine.text)![1]!, type: undefined } : undefined;
    const expectsRouter = loaded?.rightid ? strokeId(loaded.rightid) : undefined;
    const detail: string[] = [];
    if (sentId) detail.push(`this side sends: '${sentId.text}' (${sentId.type ? idTypeLabel(sentId.type) : "type not logged"})`);
    if (expectsRouter) detail.push(`this side expects the router to be: '${expectsRouter.text}' (${idTypeLabel(expectsRouter.type)})`);
    if (site?.branchId && sentId) {
      detail.push(`site expects the branch: '${site.branchId.text}' (${idTypeLabel(site.branchId.type)}); router presents '${site.routerId.text}' (${idTypeLabel(site.routerId.type)})`);
      const textDiffers = !sameIdText(sentId.text, site.branchId.text);
      const typeDiffers = sentId.type !== undefined && sentId.type !== site.branchId.type;
      const routerDiffers = expectsRouter !== undefined && (!sameIdText(expectsRouter.text, site.routerId.text) || expectsRouter.type !== site.routerId.type);
      if (textDiffers || typeDiffers || routerDiffers) {
        const what = textDiffers
          ? `This side sends '${sentId.text}' but the site expects '${site.branchId.text}': set the local ID to ${site.branchId.text} (type ${site.branchId.type}), or change customerGateway.peer.remoteId.`
          : typeDiffers
            ? `This side sends '${sentId.text}' as ${idTypeLabel(sentId.type!)} but the site declares ${idTypeLabel(site.branchId.type)}: set the local ID type to ${site.branchId.type}, or customerGateway.peer.remoteIdType to ${sentId.type}.`
            : `This side expects the router to be '${expectsRouter!.text}' (${idTypeLabel(expectsRouter!.type)}); the router presents '${site.routerId.text}' (${idTypeLabel(site.routerId.type)}): set the remote ID to it.`;
        add("id-mismatch", [mine, authFailed], what, { field: textDiffers ? "customerGateway.peer.remoteId" : typeDiffers ? "customerGateway.peer.remoteIdType" : "branch: remote ID", detail });
        return out;
      }
      add("psk-mismatch", [mine, authFailed], "The IDs match the site, so the router rejected the key: set this side's PSK to customerGateway.ipsecPsk. (If the router's log says `no shared key found`, the router has not loaded the key: psk-missing — re-push the site.)", { field: "customerGateway.ipsecPsk", detail });
      return out;
    }
    add("auth-failed", [mine, authFailed], "The router refused this side's authentication: a wrong key or an ID it does not know. Run `doctor` on the router's log, or pass --site to compare this side's IDs with the site.", { detail });
    return out;
  }

  // CHILD_SA: kernel, proposals, selectors
  const kernel = find(a, /^unable to install inbound and outbound IPsec SA \(SAD\) in kernel/);
  if (kernel) add("kernel-sa-failed", [find(a, /received netlink error/), kernel], "IKE agreed but the kernel refused the SA (no ESP support: CONFIG_INET_ESP / CONFIG_CRYPTO_AUTHENC missing). Use a kernel with ESP or strongSwan's kernel-libipsec; the branch will misleadingly report NO_PROPOSAL_CHOSEN.");
  const espNoProp = kernel ? undefined : (find(a, /^no acceptable proposal found/) ?? find(a, /^received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built/));
  if (espNoProp) {
    const received = proposalsNear(a, "received", "ESP", espNoProp);
    const configured = proposalsNear(a, "configured", "ESP", espNoProp);
    const detail: string[] = [];
    const rekey = find(a, /CREATE_CHILD_SA (request|response) \d+ \[ N\(REKEY_SA\)|parsed CREATE_CHILD_SA response \d+ \[ N\(NO_PROP\) \]/);
    if (!initiator && received.list.length > 0 && configured.list.length > 0) {
      detail.push(...sideBySide("branch proposes (received)", received.list, "router accepts (configured)", configured.list), diffText(firstDifference(received.list, configured.list), "branch", "router"));
    } else if (site?.esp && configured.list.length > 0) {
      detail.push(...sideBySide("this side proposes", configured.list, `site espPolicy (${site.espText})`, site.esp), diffText(firstDifference(configured.list, site.esp), "this side", "site"));
    } else if (configured.list.length > 0) detail.push(`this side proposes: ${configured.list.map((p) => p.text).join(", ")}`, "the other side's list is in its own log (or pass --site)");
    if (rekey) detail.push("failed at a CHILD_SA rekey (CREATE_CHILD_SA): the initial CHILD_SA is created in IKE_AUTH without a DH exchange, so a PFS group mismatch shows only now");
    add("esp-proposal-mismatch", [received.line, configured.line, espNoProp, find(a, /^failed to establish CHILD_SA/)], `Make the branch's ESP proposal, including the PFS (DH) group, match customerGateway.espPolicy${site ? ` (${site.espText})` : ""}, or change customerGateway.espPolicy and re-push. The IKE_SA stays up with no CHILD_SA: "connected but no traffic".`, { field: "customerGateway.espPolicy", detail });
  }
  const tsBad = find(a, /^traffic selectors (.+) === (.+) unacceptable/) ?? find(a, /^received TS_UNACCEPTABLE notify/);
  if (tsBad) {
    const detail: string[] = [];
    const m = /^traffic selectors (.+) === (.+) unacceptable/.exec(tsBad.text);
    if (m) detail.push(`the branch proposes: its side ${m[2]} ↔ router side ${m[1]}`);
    const ours = loaded?.leftsubnet ?? a.lines[a.lines.findIndex((l) => l.text === "proposing traffic selectors for us:") + 1]?.text.trim();
    const theirs = loaded?.rightsubnet;
    if (initiator && ours) detail.push(`this side proposes: ${ours}${theirs ? ` ↔ ${theirs}` : ""}`);
    if (site) detail.push(`site declares: cidrList ${site.cidrList.join(", ")} ↔ vpnGateway.vpcCidr ${site.vpcCidr}`);
    let field = "customerGateway.cidrList";
    const branchSide = m ? m[2]! : ours;
    const routerSide = m ? m[1]! : theirs;
    if (site && routerSide && branchSide && site.cidrList.every((c) => branchSide.includes(c)) && !routerSide.includes(site.vpcCidr)) field = "vpnGateway.vpcCidr";
    add("ts-mismatch", [find(a, /^looking for a child config for/), tsBad, find(a, /^failed to establish CHILD_SA/)], `The subnets differ: the branch's local subnets must equal customerGateway.cidrList${site ? ` (${site.cidrList.join(", ")})` : ""} and its remote subnet vpnGateway.vpcCidr${site ? ` (${site.vpcCidr})` : ""}. Change the branch, or ${field} and re-push.`, { field, detail });
  }

  // No answer / gone
  const gaveUp = find(a, /^giving up after \d+ retransmits/) ?? find(a, /^establishing IKE_SA failed, peer not responding|^peer not responding, trying again/);
  const retransmits = a.lines.filter((l) => /^retransmit \d+ of request with message ID \d+/.test(l.text));
  const firstSent = find(a, /^sending packet: from /);
  const repliesFromPeer = a.lines.some((l) => /^received packet: from /.test(l.text));
  if (!ikeUp && !a.partial && initiator && (gaveUp || retransmits.length >= 2) && !repliesFromPeer) {
    const local = a.local;
    const allowed = site?.allowedSourceCidrs;
    if (site && local && allowed && !site.allowAnySource && !isPrivateIpv4(local) && !allowed.some((c) => inCidr(local, c))) {
      add("source-not-allowed", [firstSent, retransmits[0], gaveUp ?? retransmits[retransmits.length - 1]], `This side sends from ${local}, which is not in customerGateway.peer.allowedSourceCidrs (${allowed.join(", ")}): the router drops its packets without a log line. Add the branch's ISP range to allowedSourceCidrs and re-push.`, { field: "customerGateway.peer.allowedSourceCidrs" });
    } else {
      const behindNat = local && isPrivateIpv4(local) ? ` This side sends from the private address ${local}: the router sees the NAT's public address, which must be in allowedSourceCidrs.` : "";
      add("no-response", [firstSent, retransmits[0], gaveUp ?? retransmits[retransmits.length - 1]], `The router never answered. Check, in this order: the branch's public address is in customerGateway.peer.allowedSourceCidrs (the router drops other sources silently — \`doctor --site … --gateway-ssh …\` shows the drop counters), UDP 500/4500 are open on the way, and the branch targets vpnGateway.publicIp${site ? ` (${site.routerIp})` : ""}.${behindNat}`, { field: "customerGateway.peer.allowedSourceCidrs" });
    }
  }
  if ((ikeUp || a.partial) && find(a, /^giving up after \d+ retransmits/)) {
    const dpd = find(a, /^sending DPD request/);
    add("peer-gone", [dpd ?? retransmits[0], find(a, /^giving up after \d+ retransmits/), findLast(a, /state change: ESTABLISHED => (DESTROYING|DELETING)|^restarting CHILD_SA/)], ctx.side === "vr"
      ? "The branch stopped answering an established tunnel (it went down, or its address or NAT mapping changed). The router never initiates to a dynamic peer: the branch must re-initiate (auto=start, closeaction/dpdaction=restart). Keep customerGateway.dpdDelaySeconds below the branch's NAT timeout."
      : "The router stopped answering an established tunnel: check that the router is up and still holds the connection (`cloudstack-s2s status`); this side re-initiates by itself with dpdaction=restart.", { field: "customerGateway.dpdDelaySeconds" });
  }

  // NAT: only signals a faked NAT-D (kernel-libipsec, forceencaps) cannot produce
  const localNat = find(a, /^local host is behind NAT, sending keep alives/);
  const oddPort = a.lines.find((l) => /^received packet: from [^[\s]+\[(\d+)\]/.test(l.text) && !/\[(500|4500)\] to/.test(l.text));
  if (localNat || oddPort) {
    add("nat-detected", [localNat ?? oddPort, find(a, /^remote host is behind NAT/)], localNat
      ? `This side is behind NAT (its own address${a.local ? ` ${a.local}` : ""} differs from what the other side sees): IKE moves to UDP 4500 with keepalives. The router sees the NAT's public address: that address must be in customerGateway.peer.allowedSourceCidrs, and UDP 4500 must pass the NAT.`
      : "The other side's packets arrive from a translated port: it is behind NAT. Its NAT's public address must be in customerGateway.peer.allowedSourceCidrs.", { field: "customerGateway.peer.allowedSourceCidrs" });
  }

  if (ikeUp && childUp) {
    out.unshift({ cause: "established", side: ctx.side, connection, evidence: [ikeUp.raw, childUp.raw], fix: "Nothing to fix: the tunnel came up.", ...(a.remote ? { peerAddress: a.remote } : {}) });
  }
  return out;
}
