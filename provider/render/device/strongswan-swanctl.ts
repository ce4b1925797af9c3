import { SRC, type DeviceSite } from "./device-site";
import { ikev2Problems, header, type DeviceVendor } from "./vendor";
import { proposalText, SourcedText } from "./tables";

const DOCS = ["https://docs.strongswan.org/docs/5.9/swanctl/swanctlConf.html"];

/** `"@host"` (FQDN), `"user@domain"`, `"C=FR, O=x"`, addresses: swanctl reads each back as the same ID type. */
export function swanctlId(value: string, type: string): string {
  return `"${type === "fqdn" && !value.startsWith("@") ? `@${value}` : value}"`;
}

function proposals(list: DeviceSite["ike"]): string {
  return list.map((p) => `${p.cipher}-${p.hash}${p.dhGroup ? `-${p.dhGroup}` : ""}`).join(",");
}

/**
 * strongSwan 5.9+ (swanctl.conf) branch: an IKEv2 initiator that starts at load (`start_action = start`), retries
 * forever (`keyingtries = 0`) and restarts after DPD or a close by the VPC side.
 */
export const strongswanSwanctl: DeviceVendor = {
  id: "strongswan-swanctl",
  title: "strongSwan 5.9+ (swanctl.conf)",
  docs: DOCS,
  problems: (d) => ikev2Problems("strongswan-swanctl", d),
  render(d) {
    const name = `s2s-${d.name}`;
    const t = header(new SourcedText("#"), strongswanSwanctl, d);
    t.comment(`Install as /etc/swanctl/conf.d/${name}.conf (mode 0600), then run: swanctl --load-all`);
    t.raw("connections {").raw(`    ${name} {`);
    const i = "        ";
    t.stmt(`${i}version = 2`, "IKEv2 only");
    t.stmt(`${i}remote_addrs = ${d.remoteAddress}`, SRC.publicIp);
    t.stmt(`${i}proposals = ${proposals(d.ike)}`, `${SRC.ikePolicy} "${d.ike.map(proposalText).join(",")}"`);
    t.stmt(`${i}rekey_time = ${d.ikeLifetime}s`, SRC.ikeLifetime);
    t.stmt(`${i}encap = ${d.forceEncap ? "yes" : "no"}`, SRC.forceEncap, "NAT-T itself is automatic (UDP 4500)");
    t.stmt(`${i}mobike = no`, "the VPC side runs mobike=no");
    t.stmt(`${i}keyingtries = 0`, "retry forever: the VPC side never initiates");
    if (d.dpd) t.stmt(`${i}dpd_delay = ${d.dpdDelay}s`, SRC.dpd, SRC.dpdDelay);
    t.raw(`${i}local {`);
    t.stmt(`${i}    auth = psk`, SRC.psk);
    if (d.localId) t.stmt(`${i}    id = ${swanctlId(d.localId.value, d.localId.type)}`, `${d.localId.source} (${d.localId.type})`);
    else t.comment("no id: the branch is known by its address (customerGateway.peer.gateway is a host name)", `${i}    `);
    t.raw(`${i}}`).raw(`${i}remote {`);
    t.stmt(`${i}    auth = psk`, SRC.psk);
    t.stmt(`${i}    id = ${swanctlId(d.remoteId.value, d.remoteId.type)}`, d.remoteId.source);
    t.raw(`${i}}`).raw(`${i}children {`);
    const children = d.split ? d.pairs.map((p, n) => ({ child: n === 0 ? name : `${name}-${n + 1}`, local: p.local, sources: [p.localSource] })) : [{ child: name, local: d.localCidrs.map((c) => c.cidr).join(","), sources: d.localCidrs.map((c) => c.source) }];
    for (const c of children) {
      const j = `${i}        `;
      t.raw(`${i}    ${c.child} {`);
      t.stmt(`${j}local_ts = ${c.local}`, ...c.sources, ...(d.split ? [SRC.split] : []));
      t.stmt(`${j}remote_ts = ${d.vpcCidr}`, SRC.vpcCidr);
      t.stmt(`${j}esp_proposals = ${proposals(d.esp)}`, `${SRC.espPolicy} "${d.esp.map(proposalText).join(",")}" (DH group = PFS)`);
      t.stmt(`${j}rekey_time = ${d.espLifetime}s`, SRC.espLifetime);
      t.stmt(`${j}dpd_action = restart`, "initiator keeps the tunnel up");
      t.stmt(`${j}close_action = start`, "initiator keeps the tunnel up");
      t.stmt(`${j}start_action = start`, "initiate at load");
      t.raw(`${i}    }`);
    }
    t.raw(`${i}}`).raw("    }").raw("}");
    t.raw("secrets {").raw(`    ike-${name} {`);
    const keyId = d.localId ? { id: swanctlId(d.localId.value, d.localId.type), src: d.localId.source } : { id: swanctlId(d.remoteId.value, d.remoteId.type), src: d.remoteId.source };
    t.stmt(`        id-1 = ${keyId.id}`, keyId.src);
    t.stmt(`        secret = ${d.psk.placeholder ? `"${d.psk.text}"` : `0s${Buffer.from(d.psk.text, "utf8").toString("base64")}`}`, `${SRC.psk}${d.psk.placeholder ? "" : " (base64: no character of the key can meet swanctl's quoting)"}`);
    t.raw("    }").raw("}");
    return [{ name: `${name}.conf`, content: t.toString(), secret: true }];
  },
};
