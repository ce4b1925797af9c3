import { addressAndWildcard, SRC } from "./device-site";
import { deviceProblem, proposalText, rangeProblem, singlePfsProblem, SourcedText, vocabularyProblems, pskCharProblems, DH_NUMBER, type VendorVocabulary } from "./tables";
import { header, idTypeProblems, ikev2Problems, type DeviceVendor } from "./vendor";
import type { DeviceSite } from "./device-site";

const DOCS = [
  "https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_conn_ike2vpn/configuration/xe-16/sec-flex-vpn-xe-16-book/sec-cfg-ikev2-flex.html",
  "https://www.cisco.com/en/US/docs/ios-xml/ios/sec_conn_ike2vpn/configuration/15-2mt/sec-apx-ikev2-legacy.html",
];

/** IOS-XE IKEv2 proposal and IPsec transform-set names; IKEv2 groups 1 2 5 14 15 16 19 20 21 24 (no 17/18). */
export const CISCO: VendorVocabulary = {
  ikeCipher: { aes128: "aes-cbc-128", aes192: "aes-cbc-192", aes256: "aes-cbc-256", "3des": "3des" },
  ikeHash: { md5: "md5", sha1: "sha1", sha256: "sha256", sha384: "sha384", sha512: "sha512" },
  espCipher: { aes128: "esp-aes 128", aes192: "esp-aes 192", aes256: "esp-aes 256", "3des": "esp-3des" },
  espHash: { md5: "esp-md5-hmac", sha1: "esp-sha-hmac", sha256: "esp-sha256-hmac", sha384: "esp-sha384-hmac", sha512: "esp-sha512-hmac" },
  dh: { modp1024: "2", modp1536: "5", modp2048: "14", modp3072: "15", modp4096: "16" },
};

const VENDOR = "cisco-iosxe";

function localIdentity(d: DeviceSite): string | undefined {
  const id = d.localId;
  if (!id) return undefined;
  switch (id.type) {
    case "email":
      return `identity local email ${id.value}`;
    case "fqdn":
      return `identity local fqdn ${id.value.replace(/^@/, "")}`;
    default:
      return `identity local address ${id.value}`;
  }
}

/**
 * Cisco IOS-XE, IKEv2 with a crypto map (policy-based, like the VR): the crypto map initiates on interesting
 * traffic, DPD is periodic, and an IP SLA probe keeps traffic (so the tunnel) alive for a dynamic peer.
 */
export const ciscoIosxe: DeviceVendor = {
  id: VENDOR,
  title: "Cisco IOS-XE (IKEv2, crypto map)",
  docs: DOCS,
  problems: (d) => [
    ...ikev2Problems(VENDOR, d),
    ...idTypeProblems(VENDOR, d, { dn: "`identity local dn` takes the DN from a certificate" }),
    ...vocabularyProblems(VENDOR, d, CISCO),
    ...singlePfsProblem(VENDOR, d),
    ...rangeProblem(VENDOR, SRC.ikeLifetime, d.ikeLifetime, 120, 86400, "IKEv2 SA lifetime"),
    ...rangeProblem(VENDOR, SRC.espLifetime, d.espLifetime, 120, 2592000, "IPsec SA lifetime"),
    ...(d.dpd ? rangeProblem(VENDOR, SRC.dpdDelay, d.dpdDelay, 10, 3600, "DPD interval") : []),
    ...pskCharProblems(VENDOR, d, { chars: ["?", " "], why: "the IOS CLI reads as a help request or an argument separator" }),
    ...(d.remoteId.type !== "fqdn" && d.remoteId.type !== "ipv4" ? [deviceProblem(VENDOR, d.remoteId.source, d.remoteId.value, "unexpected VPC-side identity type")] : []),
  ],
  render(d) {
    const n = `S2S-${d.name.toUpperCase()}`;
    const t = header(new SourcedText("!"), ciscoIosxe, d);
    t.comment("Replace GigabitEthernet1 (WAN) and GigabitEthernet2 (LAN) with your interfaces.");
    d.ike.forEach((p, i) => {
      t.raw(`crypto ikev2 proposal ${n}-${i + 1}`);
      t.stmt(` encryption ${CISCO.ikeCipher[p.cipher]}`, `${SRC.ikePolicy} "${proposalText(p)}"`);
      t.stmt(` integrity ${CISCO.ikeHash[p.hash]}`, `${SRC.ikePolicy} "${proposalText(p)}"`);
      t.stmt(` group ${CISCO.dh[p.dhGroup!]}`, `${SRC.ikePolicy} "${proposalText(p)}" (${p.dhGroup} = group ${DH_NUMBER[p.dhGroup!]})`);
    });
    t.raw(`crypto ikev2 policy ${n}`);
    for (let i = 0; i < d.ike.length; i++) t.stmt(` proposal ${n}-${i + 1}`, SRC.ikePolicy);
    t.raw(`crypto ikev2 keyring ${n}`).raw(" peer CLOUDSTACK-VPC");
    t.stmt(`  address ${d.remoteAddress}`, SRC.publicIp);
    t.stmt(`  pre-shared-key ${d.psk.text}`, SRC.psk);
    t.raw(`crypto ikev2 profile ${n}`);
    if (d.remoteId.type === "fqdn") t.stmt(` match identity remote fqdn ${d.remoteId.value}`, d.remoteId.source);
    else t.stmt(` match identity remote address ${d.remoteId.value} 255.255.255.255`, d.remoteId.source);
    const local = localIdentity(d);
    if (local) t.stmt(` ${local}`, `${d.localId!.source} (${d.localId!.type})`);
    t.stmt(" authentication remote pre-share", SRC.psk);
    t.stmt(" authentication local pre-share", SRC.psk);
    t.stmt(` keyring local ${n}`);
    t.stmt(` lifetime ${d.ikeLifetime}`, SRC.ikeLifetime);
    if (d.dpd) t.stmt(` dpd ${d.dpdDelay} ${Math.min(60, Math.max(2, Math.round((d.dpdTimeout - d.dpdDelay) / 5)))} periodic`, SRC.dpd, SRC.dpdDelay, `${SRC.dpdTimeout} (retry interval = (timeout - interval) / 5)`);
    d.esp.forEach((p, i) => {
      t.stmt(`crypto ipsec transform-set ${n}-${i + 1} ${CISCO.espCipher[p.cipher]} ${CISCO.espHash[p.hash]}`, `${SRC.espPolicy} "${proposalText(p)}"`);
      t.raw(" mode tunnel");
    });
    t.raw(`ip access-list extended ${n}`);
    for (const p of d.pairs) {
      const [la, lw] = addressAndWildcard(p.local);
      const [ra, rw] = addressAndWildcard(p.remote);
      t.stmt(` permit ip ${la} ${lw} ${ra} ${rw}`, p.localSource, SRC.vpcCidr, "one SA per line: split or not, the VPC side narrows to it");
    }
    t.raw(`crypto map ${n} 10 ipsec-isakmp`);
    t.stmt(` set peer ${d.remoteAddress}`, SRC.publicIp);
    t.stmt(` set transform-set ${d.esp.map((_, i) => `${n}-${i + 1}`).join(" ")}`, SRC.espPolicy);
    const pfs = d.esp[0]?.dhGroup;
    if (pfs) t.stmt(` set pfs group${CISCO.dh[pfs]}`, `${SRC.espPolicy} (${pfs} = PFS group ${DH_NUMBER[pfs]})`);
    t.stmt(` set security-association lifetime seconds ${d.espLifetime}`, SRC.espLifetime);
    t.stmt(` set ikev2-profile ${n}`);
    t.stmt(` match address ${n}`, "customerGateway.cidrList", SRC.vpcCidr);
    t.raw("interface GigabitEthernet1");
    t.stmt(` crypto map ${n}`, "WAN interface; NAT-T (UDP 4500) is automatic");
    if (d.forceEncap) t.comment(" customerGateway.forceEncap: the VPC side forces UDP encapsulation; IOS-XE follows it");
    t.raw("interface GigabitEthernet2");
    t.stmt(` ip tcp adjust-mss ${d.mss}`, SRC.mss);
    t.comment("Keep-alive: IOS-XE initiates on interesting traffic; this probe makes some every 10 s, so the tunnel is");
    t.comment("re-initiated whenever it drops (the VPC side never initiates). Set a host in the VPC that answers ping.");
    t.raw("ip sla 10");
    t.stmt(` icmp-echo A-HOST-IN-${d.vpcCidr.replace("/", "-")} source-interface GigabitEthernet2`, SRC.vpcCidr);
    t.raw(" frequency 10");
    t.raw("ip sla schedule 10 life forever start-time now");
    return [{ name: `s2s-${d.name}.ios.txt`, content: t.toString(), secret: true }];
  },
};
