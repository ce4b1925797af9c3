import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { DN_ATTRIBUTES } from "../../provider/model/ike-id";
import { formatCidr } from "../../provider/model/net";

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
export const fqdn = fc.array(label, { minLength: 2, maxLength: 4 }).map((l) => l.join(".")).filter((n) => !n.split(".").every((x) => /^\d+$/.test(x)));
export const email = fc.tuple(fc.stringMatching(/^[A-Za-z0-9._+-]{1,16}$/), fqdn).map(([local, domain]) => `${local}@${domain}`);
const dnWord = fc.stringMatching(/^[A-Za-z0-9.-]{1,10}$/);
export const dn = fc
  .array(fc.tuple(fc.constantFrom(...DN_ATTRIBUTES), fc.array(dnWord, { minLength: 1, maxLength: 3 }).map((w) => w.join(" "))), { minLength: 1, maxLength: 5 })
  .map((rdns) => rdns.map(([k, v]) => `${k}=${v}`).join(", "));

export type IdCase = { id: string; type: "ipv4" | "ipv6" | "fqdn" | "email" | "dn" };
/** The unspecified address in any spelling (`::`, `0:0::0`, `::ffff:0.0.0.0`) matches any peer: never a valid ID. */
function isAllZero(address: string): boolean {
  const bytes = ipaddr.parse(address).toByteArray();
  return bytes.every((b, i) => b === 0 || (bytes.length === 16 && (i === 10 || i === 11) && b === 0xff));
}
/** The namespace of the VPC side's own identity (vpn-<ip>.s2s.invalid): a branch may not claim it. */
const reserved = (name: string) => /(^|[.@])s2s\.invalid$/i.test(name);

export const ikeId: fc.Arbitrary<IdCase> = fc.oneof(
  email.filter((id) => !reserved(id)).map((id) => ({ id, type: "email" as const })),
  fqdn.filter((id) => !reserved(id)).map((id) => ({ id, type: "fqdn" as const })),
  dn.map((id) => ({ id, type: "dn" as const })),
  fc.ipV4().filter((id) => !isAllZero(id)).map((id) => ({ id, type: "ipv4" as const })),
  fc.ipV6().filter((id) => id.includes(":") && !isAllZero(id)).map((id) => ({ id, type: "ipv6" as const })),
);

/** Characters a PSK may hold: everything but `"`, line breaks and control characters — including the tricky ones. */
const pskChar = fc.oneof(
  fc.constantFrom(" ", "#", "'", "\\", "%", "{", "}", ":", "@", "=", ",", ";", "!", "$", "`", "é", "字", "€"),
  fc.constantFrom(..."abcdefXYZ0123456789-_+/".split("")),
);
export const psk = fc.string({ unit: pskChar, minLength: 20, maxLength: 48 });

const proposal = fc.record({
  cipher: fc.constantFrom("aes128", "aes192", "aes256"),
  hash: fc.constantFrom("sha1", "sha256", "sha384", "sha512"),
  dhGroup: fc.constantFrom("modp1536", "modp2048", "modp3072", "modp4096", "modp6144", "modp8192"),
});
export const policy = fc.oneof(
  fc.array(proposal, { minLength: 1, maxLength: 3 }),
  fc.array(proposal, { minLength: 1, maxLength: 3 }).map((ps) => ps.map((p) => `${p.cipher}-${p.hash};${p.dhGroup}`).join(",")),
);

/** Disjoint peer subnets outside the VPC (10.x): 192.168.<n>.0/24 with distinct n. */
export const peerCidrs = fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 10 }).map((ns) => ns.map((n) => `192.168.${n}.0/24`));
export const sourceCidrs = fc.uniqueArray(
  fc.tuple(fc.integer({ min: 1, max: 223 * 2 ** 24 }), fc.integer({ min: 8, max: 32 })).map(([addr, prefix]) => formatCidr(prefix === 0 ? 0 : (addr & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0, prefix)),
  { minLength: 1, maxLength: 4 },
);
export const vpcCidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 24 })).map(([b, prefix]) => formatCidr(((10 * 2 ** 24 + b * 2 ** 16) & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0, prefix));
