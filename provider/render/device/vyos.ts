import { SRC, type DeviceSite } from "./device-site";
import { DH_NUMBER, proposalText, pskCharProblems, rangeProblem, singlePfsProblem, SourcedText, vocabularyProblems, type VendorVocabulary } from "./tables";
import { header, ikev2Problems, type DeviceVendor } from "./vendor";

const DOCS = [
  "https://docs.vyos.io/en/sagitta/configuration/vpn/site2site_ipsec.html",
  "https://github.com/vyos/vyos-1x/blob/current/interface-definitions/vpn_ipsec.xml.in",
];

/** VyOS 1.4 (sagitta) names; VyOS renders swanctl.conf, so every strongSwan group and ID type is available. */
export const VYOS: VendorVocabulary = {
  ikeCipher: { aes128: "aes128", aes192: "aes192", aes256: "aes256", "3des": "3des" },
  ikeHash: { md5: "md5", sha1: "sha1", sha256: "sha256", sha384: "sha384", sha512: "sha512" },
  espCipher: { aes128: "aes128", aes192: "aes192", aes256: "aes256", "3des": "3des" },
  espHash: { md5: "md5", sha1: "sha1", sha256: "sha256", sha384: "sha384", sha512: "sha512" },
  dh: { modp1024: "2", modp1536: "5", modp2048: "14", modp3072: "15", modp4096: "16", modp6144: "17", modp8192: "18" },
};

const VENDOR = "vyos";

/** VyOS hands IDs to swanctl as written: `@` keeps an FQDN an FQDN. */
function vyosId(type: string, value: string): string {
  return type === "fqdn" && !value.startsWith("@") ? `@${value}` : value;
}

/** VyOS 1.4: `connection-type initiate` plus DPD `restart` keep the branch initiating. */
export const vyos: DeviceVendor = {
  id: VENDOR,
  title: "VyOS 1.4 (sagitta) and later",
  docs: DOCS,
  problems: (d: DeviceSite) => [
    ...ikev2Problems(VENDOR, d),
    ...vocabularyProblems(VENDOR, d, VYOS),
    ...singlePfsProblem(VENDOR, d),
    ...rangeProblem(VENDOR, SRC.espLifetime, d.espLifetime, 30, 86400, "esp-group lifetime"),
    ...pskCharProblems(VENDOR, d, { chars: ["'"], why: "ends VyOS's single-quoted value" }),
  ],
  render(d) {
    const n = `s2s-${d.name}`;
    const ike = `${n}-ike`;
    const esp = `${n}-esp`;
    const t = header(new SourcedText("#"), vyos, d);
    t.comment("Enter in configuration mode, then commit; replace eth0 (WAN) with yours.");
    t.stmt("set vpn ipsec interface 'eth0'", "WAN interface; NAT-T (UDP 4500) is automatic");
    if (d.localId) t.stmt(`set vpn ipsec authentication psk ${n} id '${vyosId(d.localId.type, d.localId.value)}'`, `${d.localId.source} (${d.localId.type})`);
    t.stmt(`set vpn ipsec authentication psk ${n} id '${vyosId(d.remoteId.type, d.remoteId.value)}'`, d.remoteId.source);
    t.stmt(`set vpn ipsec authentication psk ${n} secret '${d.psk.text}'`, SRC.psk);
    t.stmt(`set vpn ipsec ike-group ${ike} key-exchange 'ikev2'`, "IKEv2 only");
    t.stmt(`set vpn ipsec ike-group ${ike} lifetime '${d.ikeLifetime}'`, SRC.ikeLifetime);
    if (d.dpd) {
      t.stmt(`set vpn ipsec ike-group ${ike} dead-peer-detection action 'restart'`, SRC.dpd, "initiator keeps the tunnel up");
      t.stmt(`set vpn ipsec ike-group ${ike} dead-peer-detection interval '${d.dpdDelay}'`, SRC.dpdDelay);
      t.stmt(`set vpn ipsec ike-group ${ike} dead-peer-detection timeout '${d.dpdTimeout}'`, SRC.dpdTimeout);
    }
    d.ike.forEach((p, i) => {
      const src = `${SRC.ikePolicy} "${proposalText(p)}"`;
      t.stmt(`set vpn ipsec ike-group ${ike} proposal ${i + 1} dh-group '${VYOS.dh[p.dhGroup!]}'`, `${src} (group ${DH_NUMBER[p.dhGroup!]})`);
      t.stmt(`set vpn ipsec ike-group ${ike} proposal ${i + 1} encryption '${VYOS.ikeCipher[p.cipher]}'`, src);
      t.stmt(`set vpn ipsec ike-group ${ike} proposal ${i + 1} hash '${VYOS.ikeHash[p.hash]}'`, src);
    });
    t.stmt(`set vpn ipsec esp-group ${esp} lifetime '${d.espLifetime}'`, SRC.espLifetime);
    t.stmt(`set vpn ipsec esp-group ${esp} mode 'tunnel'`);
    const pfs = d.esp[0]?.dhGroup;
    t.stmt(`set vpn ipsec esp-group ${esp} pfs '${pfs ? `dh-group${VYOS.dh[pfs]}` : "disable"}'`, `${SRC.espPolicy}${pfs ? ` (${pfs} = PFS group ${DH_NUMBER[pfs]})` : ""}`);
    d.esp.forEach((p, i) => {
      const src = `${SRC.espPolicy} "${proposalText(p)}"`;
      t.stmt(`set vpn ipsec esp-group ${esp} proposal ${i + 1} encryption '${VYOS.espCipher[p.cipher]}'`, src);
      t.stmt(`set vpn ipsec esp-group ${esp} proposal ${i + 1} hash '${VYOS.espHash[p.hash]}'`, src);
    });
    const peer = `set vpn ipsec site-to-site peer ${n}`;
    t.stmt(`${peer} authentication mode 'pre-shared-secret'`, SRC.psk);
    if (d.localId) t.stmt(`${peer} authentication local-id '${vyosId(d.localId.type, d.localId.value)}'`, `${d.localId.source} (${d.localId.type})`);
    t.stmt(`${peer} authentication remote-id '${vyosId(d.remoteId.type, d.remoteId.value)}'`, d.remoteId.source);
    t.stmt(`${peer} connection-type 'initiate'`, "initiate at commit: the VPC side never initiates");
    t.stmt(`${peer} ike-group '${ike}'`);
    t.stmt(`${peer} default-esp-group '${esp}'`);
    t.stmt(`${peer} local-address 'any'`, "the branch's own WAN address, whatever it is today");
    t.stmt(`${peer} remote-address '${d.remoteAddress}'`, SRC.publicIp);
    if (d.forceEncap) t.stmt(`${peer} force-encapsulation 'enable'`, SRC.forceEncap);
    const tunnels = d.split ? d.pairs.map((p) => ({ locals: [p.local], sources: [p.localSource, SRC.split] })) : [{ locals: d.pairs.map((p) => p.local), sources: d.pairs.map((p) => p.localSource) }];
    tunnels.forEach((tun, i) => {
      for (const local of tun.locals) t.stmt(`${peer} tunnel ${i} local prefix '${local}'`, ...tun.sources);
      t.stmt(`${peer} tunnel ${i} remote prefix '${d.vpcCidr}'`, SRC.vpcCidr);
    });
    t.comment("TCP MSS clamping for traffic through the tunnel (VyOS 1.4 firewall: mangle TCP MSS on the LAN interface).");
    t.stmt(`set interfaces ethernet eth1 ip adjust-mss '${d.mss}'`, `${SRC.mss}; eth1 = your LAN interface`);
    return [{ name: `${n}.vyos.txt`, content: t.toString(), secret: true }];
  },
};
