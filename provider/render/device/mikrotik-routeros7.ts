import { SRC, type DeviceSite } from "./device-site";
import { compactDuration, crossProductProblem, DH_NUMBER, dpdRetries, proposalText, singlePfsProblem, SourcedText, vocabularyProblems, type VendorVocabulary } from "./tables";
import { header, idTypeProblems, ikev2Problems, type DeviceVendor } from "./vendor";

const DOCS = ["https://help.mikrotik.com/docs/display/ROS/IPsec"];

/**
 * RouterOS 7 profile/proposal names (no sha384 in profiles or proposals). Checked against the value lists of
 * terraform-routeros (routeros/resource_ip_ipsec_{profile,proposal,identity}.go), which mirror RouterOS's own.
 */
export const MIKROTIK: VendorVocabulary = {
  ikeCipher: { aes128: "aes-128", aes192: "aes-192", aes256: "aes-256", "3des": "3des" },
  ikeHash: { md5: "md5", sha1: "sha1", sha256: "sha256", sha512: "sha512" },
  espCipher: { aes128: "aes-128-cbc", aes192: "aes-192-cbc", aes256: "aes-256-cbc", "3des": "3des" },
  espHash: { md5: "md5", sha1: "sha1", sha256: "sha256", sha512: "sha512" },
  dh: { modp1024: "modp1024", modp1536: "modp1536", modp2048: "modp2048", modp3072: "modp3072", modp4096: "modp4096", modp6144: "modp6144", modp8192: "modp8192" },
};

const VENDOR = "mikrotik-routeros7";

/** RouterOS strings: `\`, `"` and `$` are escaped inside double quotes. */
function quoted(text: string): string {
  return `"${text.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

function idValue(type: string, value: string): string {
  if (type === "email") return `user-fqdn:${value}`;
  if (type === "fqdn") return `fqdn:${value.replace(/^@/, "")}`;
  return `address:${value}`;
}

const uniq = <T,>(xs: T[]): T[] => [...new Set(xs)];

/**
 * MikroTik RouterOS 7. One profile (IKE) and one proposal (ESP) per peer, each a cross product of its lists, so only
 * policies of that shape are expressible. RouterOS initiates when a policy has traffic and after DPD.
 */
export const mikrotikRouteros7: DeviceVendor = {
  id: VENDOR,
  title: "MikroTik RouterOS 7",
  docs: DOCS,
  problems: (d: DeviceSite) => [
    ...ikev2Problems(VENDOR, d),
    ...idTypeProblems(VENDOR, d, { dn: "my-id offers auto, address, fqdn, user-fqdn and key-id only" }),
    ...vocabularyProblems(VENDOR, d, MIKROTIK),
    ...(uniq(d.ike.map((p) => p.hash)).length > 1 ? crossProductProblem(VENDOR, "ikePolicy", d.ike, ["hash"]).map((i) => ({ ...i, message: i.message.replace("combines every listed hash", "takes one hash-algorithm per profile") })) : crossProductProblem(VENDOR, "ikePolicy", d.ike, ["cipher", "dhGroup"])),
    ...crossProductProblem(VENDOR, "espPolicy", d.esp, ["cipher", "hash"]),
    ...singlePfsProblem(VENDOR, d),
  ],
  render(d) {
    const n = `s2s-${d.name}`;
    const t = header(new SourcedText("#"), mikrotikRouteros7, d);
    t.comment("Paste into a terminal or /import this file.");
    const ikeSrc = `${SRC.ikePolicy} "${d.ike.map(proposalText).join(",")}"`;
    const espSrc = `${SRC.espPolicy} "${d.esp.map(proposalText).join(",")}"`;
    const dpd = d.dpd ? ` dpd-interval=${d.dpdDelay}s dpd-maximum-failures=${dpdRetries(d, 1, 100)}` : " dpd-interval=disable-dpd";
    t.raw("/ip ipsec profile");
    t.stmt(
      `add name=${n} hash-algorithm=${MIKROTIK.ikeHash[d.ike[0]!.hash]} enc-algorithm=${uniq(d.ike.map((p) => MIKROTIK.ikeCipher[p.cipher])).join(",")} dh-group=${uniq(d.ike.map((p) => MIKROTIK.dh[p.dhGroup!])).join(",")} lifetime=${compactDuration(d.ikeLifetime)} nat-traversal=yes${dpd}`,
      ikeSrc, SRC.ikeLifetime, ...(d.dpd ? [SRC.dpdDelay, `${SRC.dpdTimeout} / ${SRC.dpdDelay}`] : [SRC.dpd]),
    );
    t.raw("/ip ipsec peer");
    t.stmt(`add name=${n} address=${d.remoteAddress}/32 exchange-mode=ike2 profile=${n} send-initial-contact=yes`, SRC.publicIp, "IKEv2 only");
    t.raw("/ip ipsec proposal");
    const pfs = d.esp[0]?.dhGroup;
    t.stmt(
      `add name=${n} auth-algorithms=${uniq(d.esp.map((p) => MIKROTIK.espHash[p.hash])).join(",")} enc-algorithms=${uniq(d.esp.map((p) => MIKROTIK.espCipher[p.cipher])).join(",")} pfs-group=${pfs ? MIKROTIK.dh[pfs] : "none"} lifetime=${compactDuration(d.espLifetime)}`,
      `${espSrc}${pfs ? ` (PFS group ${DH_NUMBER[pfs]})` : ""}`, SRC.espLifetime,
    );
    t.raw("/ip ipsec identity");
    t.stmt(
      `add peer=${n} auth-method=pre-shared-key secret=${quoted(d.psk.text)}${d.localId ? ` my-id=${idValue(d.localId.type, d.localId.value)}` : ""} remote-id=${idValue(d.remoteId.type, d.remoteId.value)}`,
      SRC.psk, ...(d.localId ? [`${d.localId.source} (${d.localId.type})`] : []), d.remoteId.source,
    );
    if (d.forceEncap) t.comment("customerGateway.forceEncap: the VPC side forces UDP encapsulation; RouterOS follows it");
    t.raw("/ip ipsec policy");
    for (const p of d.pairs) {
      t.stmt(`add peer=${n} src-address=${p.local} dst-address=${p.remote} tunnel=yes action=encrypt proposal=${n}${d.pairs.length > 1 ? " level=unique" : ""}`, p.localSource, SRC.vpcCidr, "one SA per subnet pair: split or not, the VPC side narrows to it");
    }
    t.comment("Keep tunnel traffic out of masquerade, and clamp TCP MSS through the tunnel.");
    t.raw("/ip firewall nat");
    for (const p of d.pairs) t.stmt(`add chain=srcnat action=accept src-address=${p.local} dst-address=${p.remote} place-before=0`, p.localSource, SRC.vpcCidr);
    t.raw("/ip firewall mangle");
    for (const p of d.pairs) {
      t.stmt(`add chain=forward action=change-mss new-mss=${d.mss} passthrough=yes protocol=tcp tcp-flags=syn tcp-mss=${d.mss + 1}-65535 src-address=${p.local} dst-address=${p.remote}`, SRC.mss, p.localSource, SRC.vpcCidr);
      t.stmt(`add chain=forward action=change-mss new-mss=${d.mss} passthrough=yes protocol=tcp tcp-flags=syn tcp-mss=${d.mss + 1}-65535 src-address=${p.remote} dst-address=${p.local}`, SRC.mss, SRC.vpcCidr, p.localSource);
    }
    t.comment("RouterOS initiates when a policy sees traffic and again after DPD declares the VPC side dead;");
    t.comment("the VPC side never initiates, so keep some traffic flowing (e.g. /tool netwatch to a VPC host).");
    return [{ name: `${n}.rsc`, content: t.toString(), secret: true }];
  },
};
