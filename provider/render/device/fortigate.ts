import { addressAndMask, SRC, type DeviceSite } from "./device-site";
import { crossProductProblem, DH_NUMBER, dpdRetries, proposalText, pskCharProblems, rangeProblem, SourcedText, vocabularyProblems, type VendorVocabulary } from "./tables";
import { header, ikev2Problems, type DeviceVendor } from "./vendor";

const DOCS = [
  "https://docs.fortinet.com/document/fortigate/7.0.0/cli-reference/370620/config-vpn-ipsec-phase1-interface",
  "https://docs.fortinet.com/document/fortigate/7.0.0/cli-reference/373620/config-vpn-ipsec-phase2-interface",
];

/** FortiOS 7 `proposal` is `<cipher>-<hash>` pairs with a separate `dhgrp` list (1 2 5 14-21 27-32). */
export const FORTIGATE: VendorVocabulary = {
  ikeCipher: { aes128: "aes128", aes192: "aes192", aes256: "aes256", "3des": "3des" },
  ikeHash: { md5: "md5", sha1: "sha1", sha256: "sha256", sha384: "sha384", sha512: "sha512" },
  espCipher: { aes128: "aes128", aes192: "aes192", aes256: "aes256", "3des": "3des" },
  espHash: { md5: "md5", sha1: "sha1", sha256: "sha256", sha384: "sha384", sha512: "sha512" },
  dh: { modp1024: "2", modp1536: "5", modp2048: "14", modp3072: "15", modp4096: "16", modp6144: "17", modp8192: "18" },
};

const VENDOR = "fortigate";
const LOCALID_TYPE: Record<string, string> = { email: "user-fqdn", fqdn: "fqdn", dn: "asn1dn", ipv4: "address", ipv6: "address" };

const uniq = <T,>(xs: T[]): T[] => [...new Set(xs)];

function pairs(list: DeviceSite["ike"]): string {
  return uniq(list.map((p) => `${FORTIGATE.ikeCipher[p.cipher]}-${FORTIGATE.ikeHash[p.hash]}`)).join(" ");
}

/**
 * FortiGate (FortiOS 7): an interface-mode tunnel, `peertype one` + `peerid` to check the VPC side's identity,
 * `auto-negotiate` and DPD to keep initiating; one phase 2 per branch subnet.
 */
export const fortigate: DeviceVendor = {
  id: VENDOR,
  title: "FortiGate (FortiOS 7)",
  docs: DOCS,
  problems: (d: DeviceSite) => [
    ...ikev2Problems(VENDOR, d),
    ...vocabularyProblems(VENDOR, d, FORTIGATE),
    ...crossProductProblem(VENDOR, "ikePolicy", d.ike, ["cipher-hash", "dhGroup"]),
    ...crossProductProblem(VENDOR, "espPolicy", d.esp, ["cipher-hash", "dhGroup"]),
    ...rangeProblem(VENDOR, SRC.ikeLifetime, d.ikeLifetime, 120, 172800, "phase 1 keylife"),
    ...rangeProblem(VENDOR, SRC.espLifetime, d.espLifetime, 120, 172800, "phase 2 keylifeseconds"),
    ...pskCharProblems(VENDOR, d, { chars: ["?"], why: "the FortiOS CLI reads as a help request" }),
  ],
  render(d) {
    const n = `s2s-${d.name}`.slice(0, 15);
    const t = header(new SourcedText("#"), fortigate, d);
    t.comment(`Paste into the CLI; replace "wan1" (WAN) and "internal" (LAN). The tunnel interface is named ${n}.`);
    t.raw("config vpn ipsec phase1-interface").raw(`    edit "${n}"`);
    const i = "        ";
    t.stmt(`${i}set interface "wan1"`, "WAN interface; NAT-T (UDP 4500) is automatic");
    t.stmt(`${i}set ike-version 2`, "IKEv2 only");
    t.stmt(`${i}set remote-gw ${d.remoteAddress}`, SRC.publicIp);
    t.stmt(`${i}set authmethod psk`, SRC.psk);
    t.stmt(`${i}set psksecret "${d.psk.text}"`, SRC.psk);
    t.stmt(`${i}set proposal ${pairs(d.ike)}`, `${SRC.ikePolicy} "${d.ike.map(proposalText).join(",")}"`);
    t.stmt(`${i}set dhgrp ${uniq(d.ike.map((p) => FORTIGATE.dh[p.dhGroup!])).join(" ")}`, `${SRC.ikePolicy} (groups ${uniq(d.ike.map((p) => DH_NUMBER[p.dhGroup!])).join(" ")})`);
    t.stmt(`${i}set keylife ${d.ikeLifetime}`, SRC.ikeLifetime);
    if (d.localId) {
      t.stmt(`${i}set localid-type ${LOCALID_TYPE[d.localId.type]}`, `${d.localId.source} (${d.localId.type})`);
      t.stmt(`${i}set localid "${d.localId.value.replace(/^@/, "")}"`, d.localId.source);
    }
    t.stmt(`${i}set peertype one`, d.remoteId.source);
    t.stmt(`${i}set peerid "${d.remoteId.value}"`, d.remoteId.source);
    if (d.forceEncap) t.stmt(`${i}set nattraversal forced`, SRC.forceEncap);
    if (d.dpd) {
      t.stmt(`${i}set dpd on-idle`, SRC.dpd);
      t.stmt(`${i}set dpd-retryinterval ${d.dpdDelay}`, SRC.dpdDelay);
      t.stmt(`${i}set dpd-retrycount ${dpdRetries(d, 1, 10)}`, `${SRC.dpdTimeout} / ${SRC.dpdDelay}`);
    }
    t.stmt(`${i}set auto-negotiate enable`, "initiate and keep retrying: the VPC side never initiates");
    t.raw("    next").raw("end");
    t.raw("config vpn ipsec phase2-interface");
    const pfs = d.esp[0]?.dhGroup;
    d.pairs.forEach((p, k) => {
      const [la, lm] = addressAndMask(p.local);
      const [ra, rm] = addressAndMask(p.remote);
      t.raw(`    edit "${n}-${k + 1}"`);
      t.stmt(`${i}set phase1name "${n}"`);
      t.stmt(`${i}set proposal ${pairs(d.esp)}`, `${SRC.espPolicy} "${d.esp.map(proposalText).join(",")}"`);
      t.stmt(`${i}set pfs ${pfs ? "enable" : "disable"}`, SRC.espPolicy);
      if (pfs) t.stmt(`${i}set dhgrp ${uniq(d.esp.map((e) => FORTIGATE.dh[e.dhGroup!])).join(" ")}`, `${SRC.espPolicy} (PFS groups ${uniq(d.esp.map((e) => DH_NUMBER[e.dhGroup!])).join(" ")})`);
      t.stmt(`${i}set keylifeseconds ${d.espLifetime}`, SRC.espLifetime);
      t.stmt(`${i}set src-subnet ${la} ${lm}`, p.localSource, "one phase 2 per branch subnet: split or not, the VPC side narrows to it");
      t.stmt(`${i}set dst-subnet ${ra} ${rm}`, SRC.vpcCidr);
      t.stmt(`${i}set auto-negotiate enable`, "bring the SA up without waiting for traffic");
      t.stmt(`${i}set keepalive enable`, "keep the SA up");
      t.raw("    next");
    });
    t.raw("end");
    const [va, vm] = addressAndMask(d.vpcCidr);
    t.raw("config router static").raw("    edit 0");
    t.stmt(`${i}set dst ${va} ${vm}`, SRC.vpcCidr);
    t.raw(`${i}set device "${n}"`).raw("    next").raw("end");
    t.comment("Firewall policies LAN <-> tunnel, with TCP MSS clamping through the tunnel.");
    t.raw("config firewall policy");
    for (const [src, dst] of [["internal", n], [n, "internal"]] as const) {
      t.raw("    edit 0");
      t.raw(`${i}set srcintf "${src}"`).raw(`${i}set dstintf "${dst}"`);
      t.raw(`${i}set srcaddr "all"`).raw(`${i}set dstaddr "all"`).raw(`${i}set action accept`).raw(`${i}set schedule "always"`).raw(`${i}set service "ALL"`);
      t.stmt(`${i}set tcp-mss-sender ${d.mss}`, SRC.mss);
      t.stmt(`${i}set tcp-mss-receiver ${d.mss}`, SRC.mss);
      t.raw("    next");
    }
    t.raw("end");
    return [{ name: `s2s-${d.name}.fortios.txt`, content: t.toString(), secret: true }];
  },
};
