import { SRC, type DeviceSite } from "./device-site";
import { ikev2Problems, header, type DeviceVendor } from "./vendor";
import { proposalText, rangeProblem, SourcedText, vocabularyProblems, type VendorVocabulary } from "./tables";

const DOCS = ["https://libreswan.org/man/ipsec.conf.5.html", "https://libreswan.org/man/ipsec.secrets.5.html"];

/** libreswan 4.x algorithm names (ipsec.conf(5) `ike=`/`esp=`; checked with libreswan 4.10's `algparse`). */
export const LIBRESWAN: VendorVocabulary = {
  ikeCipher: { aes128: "aes128", aes192: "aes192", aes256: "aes256", "3des": "3des" },
  ikeHash: { md5: "md5", sha1: "sha1", sha256: "sha2_256", sha384: "sha2_384", sha512: "sha2_512" },
  espCipher: { aes128: "aes128", aes192: "aes192", aes256: "aes256", "3des": "3des" },
  espHash: { md5: "md5", sha1: "sha1", sha256: "sha2_256", sha384: "sha2_384", sha512: "sha2_512" },
  dh: { modp1536: "modp1536", modp2048: "modp2048", modp3072: "modp3072", modp4096: "modp4096", modp6144: "modp6144", modp8192: "modp8192" },
};

/** libreswan IDs: `@fqdn`, `user@domain` (USER_FQDN), `"DN"`, addresses. */
export function libreswanId(value: string, type: string): string {
  if (type === "fqdn") return value.startsWith("@") ? value : `@${value}`;
  if (type === "dn") return `"${value}"`;
  return value;
}

function proposals(list: DeviceSite["ike"]): string {
  return list.map((p) => `${LIBRESWAN.ikeCipher[p.cipher]}-${LIBRESWAN.ikeHash[p.hash]}${p.dhGroup ? `;${LIBRESWAN.dh[p.dhGroup]}` : ""}`).join(",");
}

/**
 * libreswan 4.x branch (ipsec.conf + ipsec.secrets). libreswan negotiates one subnet pair per IKEv2 connection, so
 * every branch subnet gets its own `conn` (the VPC side narrows to it, split or not).
 */
export const libreswan: DeviceVendor = {
  id: "libreswan",
  title: "libreswan 4.x (ipsec.conf / ipsec.secrets)",
  docs: DOCS,
  problems: (d) => [
    ...ikev2Problems("libreswan", d),
    ...vocabularyProblems("libreswan", d, LIBRESWAN),
    ...rangeProblem("libreswan", SRC.ikeLifetime, d.ikeLifetime, 60, 86400, "ikelifetime"),
  ],
  render(d) {
    const base = `s2s-${d.name}`;
    const t = header(new SourcedText("#"), libreswan, d);
    t.comment(`Install as /etc/ipsec.d/${base}.conf and ${base}.secrets (mode 0600), then run: ipsec auto --add/--up, or restart ipsec`);
    d.pairs.forEach((p, n) => {
      t.raw(`conn ${n === 0 ? base : `${base}-${n + 1}`}`);
      t.stmt("    ikev2=insist", "IKEv2 only");
      t.stmt("    authby=secret", SRC.psk);
      t.stmt("    left=%defaultroute", "the branch's own WAN address, whatever it is today");
      if (d.localId) t.stmt(`    leftid=${libreswanId(d.localId.value, d.localId.type)}`, `${d.localId.source} (${d.localId.type})`);
      t.stmt(`    leftsubnet=${p.local}`, p.localSource);
      t.stmt(`    right=${d.remoteAddress}`, SRC.publicIp);
      t.stmt(`    rightid=${libreswanId(d.remoteId.value, d.remoteId.type)}`, d.remoteId.source);
      t.stmt(`    rightsubnet=${d.vpcCidr}`, SRC.vpcCidr);
      t.stmt("    type=tunnel");
      t.stmt(`    ike=${proposals(d.ike)}`, `${SRC.ikePolicy} "${d.ike.map(proposalText).join(",")}"`);
      t.stmt(`    ikelifetime=${d.ikeLifetime}s`, SRC.ikeLifetime);
      t.stmt(`    esp=${proposals(d.esp)}`, `${SRC.espPolicy} "${d.esp.map(proposalText).join(",")}" (DH group = PFS)`);
      t.stmt(`    pfs=${d.esp.some((e) => e.dhGroup) ? "yes" : "no"}`, SRC.espPolicy);
      t.stmt(`    salifetime=${d.espLifetime}s`, SRC.espLifetime);
      t.stmt(`    encapsulation=${d.forceEncap ? "yes" : "auto"}`, SRC.forceEncap, "NAT-T itself is automatic (UDP 4500)");
      if (d.dpd) {
        t.stmt(`    dpddelay=${d.dpdDelay}`, SRC.dpd, SRC.dpdDelay);
        t.stmt(`    dpdtimeout=${d.dpdTimeout}`, SRC.dpdTimeout);
        t.stmt("    dpdaction=restart", "initiator keeps the tunnel up");
      }
      t.stmt("    keyingtries=%forever", "retry forever: the VPC side never initiates");
      t.stmt("    auto=start", "initiate at load");
    });
    const secrets = new SourcedText("#");
    secrets.comment(`cloudstack-s2s: pre-shared key for site ${d.name} (${base}); mode 0600`);
    const ids = [d.localId ? libreswanId(d.localId.value, d.localId.type) : undefined, libreswanId(d.remoteId.value, d.remoteId.type)].filter(Boolean);
    secrets.stmt(`${ids.join(" ")} : PSK "${d.psk.text}"`, ...(d.localId ? [d.localId.source] : []), d.remoteId.source, SRC.psk);
    return [
      { name: `${base}.conf`, content: t.toString(), secret: false },
      { name: `${base}.secrets`, content: secrets.toString(), secret: true },
    ];
  },
};
