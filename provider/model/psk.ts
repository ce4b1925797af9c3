import { randomBytes } from "node:crypto";

/** A dynamic peer is reachable from many source addresses, so its PSK is the main barrier: enforce a floor. */
export const MIN_DYNAMIC_PEER_PSK_LENGTH = 20;
export const RECOMMENDED_PSK_LENGTH = 32;
export const MAX_PSK_LENGTH = 255;

/** Rule violations of a PSK, worded without ever quoting the key. */
export function pskProblems(psk: string, options: { dynamicPeer: boolean }): string[] {
  const problems: string[] = [];
  if (psk.length === 0) problems.push("is empty; generate one with `cloudstack-s2s psk`");
  if (psk.includes('"')) problems.push('contains a double quote ("), which ends the key early in the router\'s secrets file; choose a key without it');
  if (/[\r\n]/.test(psk)) problems.push("contains a line break, which splits the router's secrets file; choose a key without it");
  else if (/[\u0085\u2028\u2029]/.test(psk)) problems.push("contains a Unicode line separator (U+0085, U+2028 or U+2029), which some tools read as a line break; choose a key without it");
  else if (/[\u0000-\u001f\u007f-\u009f]/.test(psk)) problems.push("contains a control character; choose printable characters only");
  if (psk.length > MAX_PSK_LENGTH) problems.push(`is longer than ${MAX_PSK_LENGTH} characters (CloudStack's limit)`);
  if (options.dynamicPeer && psk.length > 0 && psk.length < MIN_DYNAMIC_PEER_PSK_LENGTH) {
    problems.push(`has ${psk.length} characters; a dynamic peer needs at least ${MIN_DYNAMIC_PEER_PSK_LENGTH} (${RECOMMENDED_PSK_LENGTH}+ recommended) because any source in the allow-list can try it; generate one with \`cloudstack-s2s psk\``);
  }
  return problems;
}

/** A strong random PSK: 32 random bytes as base64url (43 characters, no quotes, no line breaks). */
export function generatePsk(bytes = 32): string {
  if (bytes < 16) throw new RangeError(`generatePsk: ${bytes} bytes is too few; use at least 16`);
  return randomBytes(bytes).toString("base64url");
}
