import { SRC, type DeviceSite } from "./device-site";
import { ikev2Problems, header, type DeviceVendor } from "./vendor";
import { proposalText, SourcedText } from "./tables";

const DOCS = ["https://docs.strongswan.org/docs/5.9/config/IKEv2CipherSuites.html", "https://wiki.strongswan.org/projects/strongswan/wiki/ConnSection"];

/** ipsec.conf / ipsec.secrets token: `@fqdn`, `user@domain`, quoted DN, bare addresses. */
export function strokeId(value: string, type: string): string {
  if (type === "fqdn") return value.startsWith("@") ? value : `@${value}`;
  if (type === "dn") return `"${value}"`;
  return value;
}

function proposals(list: DeviceSite["ike"]): string {
  return `${list.map((p) => `${p.cipher}-${p.hash}${p.dhGroup ? `-${p.dhGroup}` : ""}`).join(",")}!`;
}

/**
 * strongSwan legacy (stroke, ipsec.conf + ipsec.secrets) branch: `auto=start`, `keyingtries=%forever`,
 * `dpdaction=restart` and `closeaction=restart` keep an initiator trying whatever the VPC side does.
 */
export const strongswanIpsec: DeviceVendor = {
  id: "strongswan-ipsec",
  title: "strongSwan (legacy ipsec.conf / ipsec.secrets)",
  docs: DOCS,
  problems: (d) => ikev2Problems("strongswan-ipsec", d),
  render(d) {
    const name = `s2s-${d.name}`;
    const t = header(new SourcedText("#"), strongswanIpsec, d);
    t.comment(`Install as /etc/ipsec.d/${name}.conf, with ${name}.secrets (mode 0600) included from /etc/ipsec.secrets,`);
    t.comment("then run: ipsec rereadsecrets && ipsec update");
    t.raw(`conn ${name}`);
    t.stmt("    keyexchange=ikev2", "IKEv2 only");
    t.stmt("    left=%defaultroute", "the branch's own WAN address, whatever it is today");
    if (d.localId) t.stmt(`    leftid=${strokeId(d.localId.value, d.localId.type)}`, `${d.localId.source} (${d.localId.type})`);
    const first = d.split ? [d.pairs[0]!] : d.pairs;
    t.stmt(`    leftsubnet=${first.map((p) => p.local).join(",")}`, ...first.map((p) => p.localSource));
    t.stmt(`    right=${d.remoteAddress}`, SRC.publicIp);
    t.stmt(`    rightid=${strokeId(d.remoteId.value, d.remoteId.type)}`, d.remoteId.source);
    t.stmt(`    rightsubnet=${d.vpcCidr}`, SRC.vpcCidr);
    t.stmt("    type=tunnel");
    t.stmt("    authby=secret", SRC.psk);
    t.stmt(`    ike=${proposals(d.ike)}`, `${SRC.ikePolicy} "${d.ike.map(proposalText).join(",")}"`);
    t.stmt(`    ikelifetime=${d.ikeLifetime}s`, SRC.ikeLifetime);
    t.stmt(`    esp=${proposals(d.esp)}`, `${SRC.espPolicy} "${d.esp.map(proposalText).join(",")}" (DH group = PFS)`);
    t.stmt(`    lifetime=${d.espLifetime}s`, SRC.espLifetime);
    t.stmt(`    forceencaps=${d.forceEncap ? "yes" : "no"}`, SRC.forceEncap, "NAT-T itself is automatic (UDP 4500)");
    t.stmt("    mobike=no", "the VPC side runs mobike=no");
    if (d.dpd) {
      t.stmt(`    dpddelay=${d.dpdDelay}s`, SRC.dpd, SRC.dpdDelay);
      t.stmt(`    dpdtimeout=${d.dpdTimeout}s`, SRC.dpdTimeout);
    }
    t.stmt("    dpdaction=restart", "initiator keeps the tunnel up");
    t.stmt("    closeaction=restart", "initiator keeps the tunnel up");
    t.stmt("    keyingtries=%forever", "retry forever: the VPC side never initiates");
    t.stmt("    auto=start", "initiate at load");
    if (d.split) {
      d.pairs.slice(1).forEach((p, n) => {
        t.raw(`conn ${name}-${n + 2}`);
        t.raw(`    also=${name}`);
        t.stmt(`    leftsubnet=${p.local}`, p.localSource, SRC.split);
      });
    }
    const secrets = new SourcedText("#");
    secrets.comment(`cloudstack-s2s: pre-shared key for site ${d.name} (${name}); mode 0600`);
    const ids = [d.localId ? strokeId(d.localId.value, d.localId.type) : undefined, strokeId(d.remoteId.value, d.remoteId.type)].filter(Boolean);
    secrets.stmt(`${ids.join(" ")} : PSK "${d.psk.text}"`, ...(d.localId ? [d.localId.source] : []), d.remoteId.source, SRC.psk);
    return [
      { name: `${name}.conf`, content: t.toString(), secret: false },
      { name: `${name}.secrets`, content: secrets.toString(), secret: true },
    ];
  },
};
