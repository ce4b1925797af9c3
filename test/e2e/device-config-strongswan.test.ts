/**
 * The strongSwan device exports (`strongswan-swanctl`, `strongswan-ipsec`), used as-is by a branch charon, against
 * a VR configured from renderVr. Per IKE ID type (e-mail, FQDN, DN, IPv4, IPv6): the swanctl export loads without a
 * parse error, its tunnel comes up on both ends with the branch's ID seen by the VR, and pings cross it both ways;
 * then the branch charon is replaced by one running the ipsec.conf export, and the same holds again.
 *
 * VR side: renderVr's output applied untouched; it presents the responder identity of issue 10
 * (`leftid=@<dynamicResponderId(publicIp)>`), which the exports name as the VPC side's ID.
 */
import { beforeAll, expect, it } from "vitest";
import { dynamicResponderId } from "../../provider/model/responder-id";
import type { SiteSpec } from "../../provider/model/site";
import { renderDeviceConfig } from "../../provider/render/device";
import type { VrRender } from "../../provider/render/types";
import { pingBothWays, waitLoaded, waitUp } from "./lab/checks";
import type { Instance } from "./lab/instance";
import { newPsk, site, staticSite, VPC_CIDR, VR_PUBLIC_IP, vrRenderOf } from "./lab/sites";
import { describeE2e, useLab } from "./lab/suite";

const BRANCHES = [
  { branch: "dmail", type: "email", remoteId: "dev-mail@example.com", shownId: "dev-mail@example.com", wanIp: "203.0.113.71", lan: "192.168.71.0/24", nat: false },
  { branch: "dfqdn", type: "fqdn", remoteId: "dev-fqdn.example.com", shownId: "dev-fqdn.example.com", wanIp: "203.0.113.72", lan: "192.168.72.0/24", nat: true },
  { branch: "ddn", type: "dn", remoteId: "C=FR, O=Example, CN=dev-dn", shownId: "C=FR, O=Example, CN=dev-dn", wanIp: "203.0.113.73", lan: "192.168.73.0/24", nat: false },
  { branch: "dip4", type: "ipv4", remoteId: "192.0.2.74", shownId: "192.0.2.74", wanIp: "203.0.113.74", lan: "192.168.74.0/24", nat: false },
  { branch: "dip6", type: "ipv6", remoteId: "2001:db8::75", shownId: "2001:db8::75", wanIp: "203.0.113.75", lan: "192.168.75.0/24", nat: false },
] as const;
/** A static peer: the VR is CloudStack's own format (leftid = its public address, right = the branch's address). */
const STATIC = { branch: "dstat", wanIp: "203.0.113.76", lan: "192.168.76.0/24" } as const;

const RESPONDER_ID = dynamicResponderId(VR_PUBLIC_IP);

/** The VR render as is; it must already present the issue-10 responder identity (no file is edited here). */
function withResponderId(render: VrRender): VrRender {
  for (const f of render.files.filter((x) => x.path.endsWith(".conf"))) {
    if (!f.content.includes(` leftid=@${RESPONDER_ID}\n`)) throw new Error(`rendered VR conf does not present leftid=@${RESPONDER_ID}:\n${f.content}`);
  }
  return render;
}

describeE2e("device exports strongswan-swanctl and strongswan-ipsec, used as-is by a branch charon", () => {
  const lab = useLab({ branches: [...BRANCHES.map((b) => ({ name: b.branch, wanIp: b.wanIp, lanCidr: b.lan, nat: b.nat })), { name: STATIC.branch, wanIp: STATIC.wanIp, lanCidr: STATIC.lan }] });
  const sites = new Map<string, SiteSpec>();
  const psks = new Map<string, string>();
  const vrConns = new Map<string, string>();
  let vr: Instance;

  beforeAll(async () => {
    vr = await lab().startVr("stroke");
    for (const b of BRANCHES) {
      const psk = newPsk();
      const s = site({
        name: `dev-${b.branch}`,
        vpnGateway: { vpcCidr: VPC_CIDR, publicIp: VR_PUBLIC_IP },
        customerGateway: {
          peer: { type: "dynamic", remoteId: b.remoteId, remoteIdType: b.type, allowedSourceCidrs: ["203.0.113.0/25"] },
          cidrList: [b.lan],
          ipsecPsk: psk,
          dpdDelaySeconds: 5,
          dpdTimeoutSeconds: 15,
        },
      });
      sites.set(b.branch, s);
      psks.set(b.branch, psk);
      const render = withResponderId(vrRenderOf(s));
      vrConns.set(b.branch, render.connections[0]!);
      await lab().apply(vr, render, s.name);
    }
    for (const conn of vrConns.values()) await waitLoaded(vr, conn);
  });

  it.each(BRANCHES)("$type ID: the swanctl export, then the ipsec.conf export, establish and pass pings both ways", async (b) => {
    const s = sites.get(b.branch)!;
    const conn = `s2s-${s.name}`;
    // GIVEN the swanctl export, with the key included, written as the only config of a branch charon
    const swanctl = renderDeviceConfig(s, "strongswan-swanctl", { psk: psks.get(b.branch)! });
    expect(swanctl.files.map((f) => f.name)).toEqual([`${conn}.conf`]);
    const cpe = await lab().startCpe(b.branch, (i) => i.writeFile(`/etc/swanctl/conf.d/${swanctl.files[0]!.name}`, swanctl.files[0]!.content, 0o600), "swanctl");
    // THEN it loads cleanly (swanctl can exit 0 after a syntax error, so its output is what counts)
    const load = await cpe.exec(["swanctl", "--load-all"]);
    const loadText = `${load.stdout}\n${load.stderr}`;
    expect(loadText).not.toMatch(/syntax error|invalid config file|loading connection .* failed|failed to load|invalid value/i);
    expect(loadText).toContain(`loaded connection '${conn}'`);
    // AND the tunnel is up on both ends, the VR sees the branch's ID and the branch sees the responder ID
    const cpeSa = await waitUp(cpe, conn, 15_000);
    expect(cpeSa.remoteId).toBe(RESPONDER_ID);
    const vrSa = await waitUp(vr, vrConns.get(b.branch)!, 15_000, (sa) => sa.remoteId === b.shownId);
    expect(vrSa.remoteAddr).toBe(b.wanIp);
    let t = await pingBothWays(lab(), b.branch, 3);
    expect(t.guestToLan.received, t.guestToLan.output).toBe(3);
    expect(t.lanToGuest.received, t.lanToGuest.output).toBe(3);

    // WHEN the branch charon is replaced (killed: no DELETE) by one running the ipsec.conf export
    await lab().stopInstance(`cpe-${b.branch}`);
    const ipsec = renderDeviceConfig(s, "strongswan-ipsec", { psk: psks.get(b.branch)! });
    expect(ipsec.files.map((f) => [f.name, f.secret])).toEqual([[`${conn}.conf`, false], [`${conn}.secrets`, true]]);
    const stroke = await lab().startCpe(b.branch, (i) => ipsec.files.forEach((f) => i.writeFile(`/etc/ipsec.d/${f.name}`, f.content, f.secret ? 0o600 : 0o644)), "stroke");
    // THEN that one establishes too (a fresh IKE SA on the branch) and traffic crosses both ways again
    const strokeSa = await waitUp(stroke, conn, 20_000);
    expect(strokeSa.remoteId).toBe(RESPONDER_ID);
    await waitUp(vr, vrConns.get(b.branch)!, 15_000, (sa) => sa.remoteId === b.shownId && sa.spiI === strokeSa.spiI);
    t = await pingBothWays(lab(), b.branch, 3);
    expect(t.guestToLan.received, t.guestToLan.output).toBe(3);
    expect(t.lanToGuest.received, t.lanToGuest.output).toBe(3);
    await lab().stopInstance(`cpe-${b.branch}`);
  });

  it("static peer: both exports establish against CloudStack's own static VR format and pass pings both ways", async () => {
    const psk = newPsk();
    const s = staticSite({ name: "dev-static", gateway: STATIC.wanIp, cidrList: [STATIC.lan], psk, extra: { ikeVersion: "ikev2", dpd: true } });
    const render = vrRenderOf(s);
    await lab().apply(vr, render, s.name);
    const vrConn = render.connections[0]!;
    await waitLoaded(vr, vrConn);
    const conn = `s2s-${s.name}`;
    for (const [vendor, mode, dir] of [["strongswan-swanctl", "swanctl", "/etc/swanctl/conf.d"], ["strongswan-ipsec", "stroke", "/etc/ipsec.d"]] as const) {
      const config = renderDeviceConfig(s, vendor, { psk });
      const cpe = await lab().startCpe(STATIC.branch, (i) => config.files.forEach((f) => i.writeFile(`${dir}/${f.name}`, f.content, f.secret ? 0o600 : 0o644)), mode);
      const sa = await waitUp(cpe, conn, 20_000);
      expect(sa.remoteId).toBe(VR_PUBLIC_IP);
      await waitUp(vr, vrConn, 15_000, (v) => v.remoteId === STATIC.wanIp && v.spiI === sa.spiI);
      const t = await pingBothWays(lab(), STATIC.branch, 3);
      expect(t.guestToLan.received, `${vendor}: ${t.guestToLan.output}`).toBe(3);
      expect(t.lanToGuest.received, `${vendor}: ${t.lanToGuest.output}`).toBe(3);
      await lab().stopInstance(`cpe-${STATIC.branch}`);
    }
  });
});
