import { SRC, type DeviceSite } from "./device-site";
import { DH_NUMBER, dpdRetries, proposalText, pskCharProblems, rangeProblem, singlePfsProblem, SourcedText, vocabularyProblems, type VendorVocabulary } from "./tables";
import { header, idTypeProblems, ikev2Problems, type DeviceVendor } from "./vendor";

const DOCS = [
  "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/security-edit-gateway-ike.html",
  "https://www.juniper.net/documentation/us/en/software/junos/vpn-ipsec/topics/topic-map/security-traffic-selectors-in-route-based-vpns.html",
];

/** Junos `security ike/ipsec proposal` names; dh-group group1 2 5 14 15 16 19 20 21 24 (no 17/18). */
export const JUNIPER: VendorVocabulary = {
  ikeCipher: { aes128: "aes-128-cbc", aes192: "aes-192-cbc", aes256: "aes-256-cbc", "3des": "3des-cbc" },
  ikeHash: { md5: "md5", sha1: "sha1", sha256: "sha-256", sha384: "sha-384", sha512: "sha-512" },
  espCipher: { aes128: "aes-128-cbc", aes192: "aes-192-cbc", aes256: "aes-256-cbc", "3des": "3des-cbc" },
  espHash: { md5: "hmac-md5-96", sha1: "hmac-sha1-96", sha256: "hmac-sha-256-128", sha384: "hmac-sha-384", sha512: "hmac-sha-512" },
  dh: { modp1024: "group2", modp1536: "group5", modp2048: "group14", modp3072: "group15", modp4096: "group16" },
};

const VENDOR = "juniper-srx";

function identity(type: string, value: string): string {
  switch (type) {
    case "email":
      return `user-at-hostname "${value}"`;
    case "fqdn":
      return `hostname ${value.replace(/^@/, "")}`;
    case "ipv6":
      return `inet6 ${value}`;
    default:
      return `inet ${value}`;
  }
}

/**
 * Juniper SRX (Junos set commands), route-based on st0.0 with one traffic selector per branch subnet (the VR is
 * policy-based: one SA per selector pair). `establish-tunnels immediately` plus DPD keep an initiator trying.
 */
export const juniperSrx: DeviceVendor = {
  id: VENDOR,
  title: "Juniper SRX (Junos set commands)",
  docs: DOCS,
  problems: (d: DeviceSite) => [
    ...ikev2Problems(VENDOR, d),
    ...idTypeProblems(VENDOR, d, { dn: "`local-identity distinguished-name` takes the DN from a certificate" }),
    ...vocabularyProblems(VENDOR, d, JUNIPER),
    ...singlePfsProblem(VENDOR, d),
    ...rangeProblem(VENDOR, SRC.ikeLifetime, d.ikeLifetime, 180, 86400, "IKE lifetime-seconds"),
    ...rangeProblem(VENDOR, SRC.espLifetime, d.espLifetime, 180, 86400, "IPsec lifetime-seconds"),
    ...(d.dpd ? rangeProblem(VENDOR, SRC.dpdDelay, d.dpdDelay, 2, 60, "dead-peer-detection interval") : []),
    ...pskCharProblems(VENDOR, d, { chars: ["\\"], why: "Junos reads as an escape inside a quoted string" }),
  ],
  render(d) {
    const n = `s2s-${d.name}`;
    const t = header(new SourcedText("#"), juniperSrx, d);
    t.comment("Load with `load set terminal`; replace ge-0/0/0.0 (WAN) and the zone names with yours, and add security");
    t.comment("policies permitting trust <-> vpn traffic for the selectors below.");
    d.ike.forEach((p, i) => {
      const pn = `${n}-ike-${i + 1}`;
      const src = `${SRC.ikePolicy} "${proposalText(p)}"`;
      t.stmt(`set security ike proposal ${pn} authentication-method pre-shared-keys`, SRC.psk);
      t.stmt(`set security ike proposal ${pn} dh-group ${JUNIPER.dh[p.dhGroup!]}`, `${src} (group ${DH_NUMBER[p.dhGroup!]})`);
      t.stmt(`set security ike proposal ${pn} authentication-algorithm ${JUNIPER.ikeHash[p.hash]}`, src);
      t.stmt(`set security ike proposal ${pn} encryption-algorithm ${JUNIPER.ikeCipher[p.cipher]}`, src);
      t.stmt(`set security ike proposal ${pn} lifetime-seconds ${d.ikeLifetime}`, SRC.ikeLifetime);
    });
    t.stmt(`set security ike policy ${n} proposals [ ${d.ike.map((_, i) => `${n}-ike-${i + 1}`).join(" ")} ]`, SRC.ikePolicy);
    t.stmt(`set security ike policy ${n} pre-shared-key ascii-text "${d.psk.text}"`, SRC.psk);
    t.stmt(`set security ike gateway ${n} ike-policy ${n}`);
    t.stmt(`set security ike gateway ${n} address ${d.remoteAddress}`, SRC.publicIp);
    if (d.localId) t.stmt(`set security ike gateway ${n} local-identity ${identity(d.localId.type, d.localId.value)}`, `${d.localId.source} (${d.localId.type})`);
    t.stmt(`set security ike gateway ${n} remote-identity ${identity(d.remoteId.type, d.remoteId.value)}`, d.remoteId.source);
    t.stmt(`set security ike gateway ${n} external-interface ge-0/0/0.0`, "WAN interface; NAT-T (UDP 4500) is automatic");
    t.stmt(`set security ike gateway ${n} version v2-only`, "IKEv2 only");
    if (d.dpd) {
      t.stmt(`set security ike gateway ${n} dead-peer-detection always-send`, SRC.dpd);
      t.stmt(`set security ike gateway ${n} dead-peer-detection interval ${d.dpdDelay}`, SRC.dpdDelay);
      t.stmt(`set security ike gateway ${n} dead-peer-detection threshold ${dpdRetries(d, 1, 5)}`, `${SRC.dpdTimeout} / ${SRC.dpdDelay}`);
    }
    if (d.forceEncap) t.comment("customerGateway.forceEncap: the VPC side forces UDP encapsulation; Junos follows it");
    d.esp.forEach((p, i) => {
      const pn = `${n}-esp-${i + 1}`;
      const src = `${SRC.espPolicy} "${proposalText(p)}"`;
      t.stmt(`set security ipsec proposal ${pn} protocol esp`);
      t.stmt(`set security ipsec proposal ${pn} authentication-algorithm ${JUNIPER.espHash[p.hash]}`, src);
      t.stmt(`set security ipsec proposal ${pn} encryption-algorithm ${JUNIPER.espCipher[p.cipher]}`, src);
      t.stmt(`set security ipsec proposal ${pn} lifetime-seconds ${d.espLifetime}`, SRC.espLifetime);
    });
    const pfs = d.esp[0]?.dhGroup;
    if (pfs) t.stmt(`set security ipsec policy ${n} perfect-forward-secrecy keys ${JUNIPER.dh[pfs]}`, `${SRC.espPolicy} (${pfs} = PFS group ${DH_NUMBER[pfs]})`);
    t.stmt(`set security ipsec policy ${n} proposals [ ${d.esp.map((_, i) => `${n}-esp-${i + 1}`).join(" ")} ]`, SRC.espPolicy);
    t.stmt(`set security ipsec vpn ${n} bind-interface st0.0`);
    t.stmt(`set security ipsec vpn ${n} ike gateway ${n}`);
    t.stmt(`set security ipsec vpn ${n} ike ipsec-policy ${n}`);
    d.pairs.forEach((p, i) => {
      t.stmt(`set security ipsec vpn ${n} traffic-selector ts${i + 1} local-ip ${p.local}`, p.localSource, "one SA per selector: split or not, the VPC side narrows to it");
      t.stmt(`set security ipsec vpn ${n} traffic-selector ts${i + 1} remote-ip ${p.remote}`, SRC.vpcCidr);
    });
    t.stmt(`set security ipsec vpn ${n} establish-tunnels immediately`, "initiate at commit and after every drop: the VPC side never initiates");
    t.raw("set interfaces st0 unit 0 family inet");
    t.raw("set security zones security-zone vpn interfaces st0.0");
    t.stmt(`set security flow tcp-mss ipsec-vpn mss ${d.mss}`, SRC.mss);
    return [{ name: `${n}.junos.set`, content: t.toString(), secret: true }];
  },
};
