/**
 * Every value from the site lands in the statement it belongs to — found with the vendor's own statement syntax
 * (written here independently of the renderers), not merely somewhere in the file. The site uses distinctive
 * values (non-default proposals, lifetimes, DPD timers, two subnets) so a value in the wrong statement is caught.
 */
import { describe, expect, it } from "vitest";
import { DEVICE_VENDOR_IDS, renderDeviceConfig } from "../../../provider/render/device";
import { dynamicDeviceSite } from "./sites";

const PSK = "Statement-Canary-psk-0123456789abcdef";
const site = dynamicDeviceSite("branch@example.com", "email", {
  ikePolicy: "aes192-sha512;modp3072",
  espPolicy: "aes128-sha256;modp4096",
  ikeLifetime: 28800,
  espLifetime: 1800,
  dpdDelaySeconds: 20,
  dpdTimeoutSeconds: 100,
});
const RESPONDER = "vpn-198-51-100-10.s2s.invalid";

/** [what, statement pattern with one capture group per expected value, expected values]. */
type Expectation = [string, RegExp, ...string[]];

const EXPECTED: Record<string, Expectation[]> = {
  "strongswan-swanctl": [
    ["VPC address", /^ {8}remote_addrs = (\S+)$/m, "198.51.100.10"],
    ["local id", /^ {8}local \{\n(?: {12}#.*\n| {12}auth = psk\n)* {12}id = "([^"]+)"$/m, "branch@example.com"],
    ["VPC id", /^ {8}remote \{\n(?: {12}#.*\n| {12}auth = psk\n)* {12}id = "([^"]+)"$/m, `@${RESPONDER}`],
    ["IKE proposal", /^ {8}proposals = (\S+)$/m, "aes192-sha512-modp3072"],
    ["IKE lifetime", /^ {8}rekey_time = (\S+)$/m, "28800s"],
    ["DPD", /^ {8}dpd_delay = (\S+)$/m, "20s"],
    ["IKEv2", /^ {8}version = (\d)$/m, "2"],
    ["selectors", /^ {16}local_ts = (\S+)\n(?: {16}#.*\n)* {16}remote_ts = (\S+)$/m, "192.168.10.0/24,192.168.20.0/24", "10.1.0.0/16"],
    ["ESP proposal + PFS", /^ {16}esp_proposals = (\S+)$/m, "aes128-sha256-modp4096"],
    ["ESP lifetime", /^ {16}rekey_time = (\S+)$/m, "1800s"],
    ["PSK keyed by the local id", /^ {8}id-1 = "([^"]+)"\n(?: {8}#.*\n)* {8}secret = 0s(\S+)$/m, "branch@example.com", Buffer.from(PSK).toString("base64")],
    ["retries", /^ {8}keyingtries = (\d+)$/m, "0"],
  ],
  "strongswan-ipsec": [
    ["VPC address", /^ {4}right=(\S+)$/m, "198.51.100.10"],
    ["local id", /^ {4}leftid=(\S+)$/m, "branch@example.com"],
    ["VPC id", /^ {4}rightid=(\S+)$/m, `@${RESPONDER}`],
    ["selectors", /^ {4}leftsubnet=(\S+)$/m, "192.168.10.0/24,192.168.20.0/24"],
    ["VPC CIDR", /^ {4}rightsubnet=(\S+)$/m, "10.1.0.0/16"],
    ["IKE", /^ {4}ike=(\S+)$/m, "aes192-sha512-modp3072!"],
    ["ESP + PFS", /^ {4}esp=(\S+)$/m, "aes128-sha256-modp4096!"],
    ["lifetimes", /^ {4}ikelifetime=(\S+)$[\s\S]*^ {4}lifetime=(\S+)$/m, "28800s", "1800s"],
    ["DPD", /^ {4}dpddelay=(\S+)\n(?: {4}#.*\n)* {4}dpdtimeout=(\S+)$/m, "20s", "100s"],
    ["IKEv2", /^ {4}keyexchange=(\S+)$/m, "ikev2"],
    ["PSK line", /^(\S+) (\S+) : PSK "([^"]+)"$/m, "branch@example.com", `@${RESPONDER}`, PSK],
  ],
  libreswan: [
    ["VPC address", /^ {4}right=(\S+)$/m, "198.51.100.10"],
    ["local id", /^ {4}leftid=(\S+)$/m, "branch@example.com"],
    ["VPC id", /^ {4}rightid=(\S+)$/m, `@${RESPONDER}`],
    ["one conn per subnet", /^conn s2s-branch-lyon\n(?:.*\n)*? {4}leftsubnet=(\S+)\n(?:.*\n)*?conn s2s-branch-lyon-2\n(?:.*\n)*? {4}leftsubnet=(\S+)$/m, "192.168.10.0/24", "192.168.20.0/24"],
    ["IKE", /^ {4}ike=(\S+)$/m, "aes192-sha2_512;modp3072"],
    ["ESP + PFS", /^ {4}esp=(\S+)$/m, "aes128-sha2_256;modp4096"],
    ["lifetimes", /^ {4}ikelifetime=(\S+)$[\s\S]*?^ {4}salifetime=(\S+)$/m, "28800s", "1800s"],
    ["DPD", /^ {4}dpddelay=(\S+)\n(?: {4}#.*\n)* {4}dpdtimeout=(\S+)$/m, "20", "100"],
    ["IKEv2", /^ {4}ikev2=(\S+)$/m, "insist"],
    ["PSK line", /^(\S+) (\S+) : PSK "([^"]+)"$/m, "branch@example.com", `@${RESPONDER}`, PSK],
  ],
  "cisco-iosxe": [
    ["IKE cipher/integrity/group", /^crypto ikev2 proposal \S+\n(?: !.*\n)* encryption (\S+)\n(?: !.*\n)* integrity (\S+)\n(?: !.*\n)* group (\d+)$/m, "aes-cbc-192", "sha512", "15"],
    ["keyring address + PSK", /^  address (\S+)\n(?: {2}!.*\n)* {2}pre-shared-key (\S+)$/m, "198.51.100.10", PSK],
    ["VPC id", /^ match identity remote fqdn (\S+)$/m, RESPONDER],
    ["local id", /^ identity local email (\S+)$/m, "branch@example.com"],
    ["IKE lifetime", /^ lifetime (\d+)$/m, "28800"],
    ["DPD", /^ dpd (\d+) \d+ periodic$/m, "20"],
    ["ESP transform", /^crypto ipsec transform-set \S+ (esp-aes \d+) (\S+)$/m, "esp-aes 128", "esp-sha256-hmac"],
    ["PFS", /^ set pfs (\S+)$/m, "group16"],
    ["ESP lifetime", /^ set security-association lifetime seconds (\d+)$/m, "1800"],
    ["peer", /^ set peer (\S+)$/m, "198.51.100.10"],
    ["selectors", /^ permit ip (\S+ \S+) (\S+ \S+)\n(?: !.*\n)* permit ip (\S+ \S+) \S+ \S+$/m, "192.168.10.0 0.0.0.255", "10.1.0.0 0.0.255.255", "192.168.20.0 0.0.0.255"],
    ["MSS", /^ ip tcp adjust-mss (\d+)$/m, "1350"],
  ],
  "juniper-srx": [
    ["IKE group/hash/cipher", /dh-group (\S+)\n(?:#.*\n)*set security ike proposal \S+ authentication-algorithm (\S+)\n(?:#.*\n)*set security ike proposal \S+ encryption-algorithm (\S+)$/m, "group15", "sha-512", "aes-192-cbc"],
    ["IKE lifetime", /^set security ike proposal \S+ lifetime-seconds (\d+)$/m, "28800"],
    ["PSK", /^set security ike policy \S+ pre-shared-key ascii-text "([^"]+)"$/m, PSK],
    ["VPC address", /^set security ike gateway \S+ address (\S+)$/m, "198.51.100.10"],
    ["local id", /^set security ike gateway \S+ local-identity user-at-hostname "([^"]+)"$/m, "branch@example.com"],
    ["VPC id", /^set security ike gateway \S+ remote-identity hostname (\S+)$/m, RESPONDER],
    ["DPD", /^set security ike gateway \S+ dead-peer-detection interval (\d+)$/m, "20"],
    ["IKEv2", /^set security ike gateway \S+ version (\S+)$/m, "v2-only"],
    ["ESP", /^set security ipsec proposal \S+ authentication-algorithm (\S+)\n(?:#.*\n)*set security ipsec proposal \S+ encryption-algorithm (\S+)$/m, "hmac-sha-256-128", "aes-128-cbc"],
    ["ESP lifetime", /^set security ipsec proposal \S+ lifetime-seconds (\d+)$/m, "1800"],
    ["PFS", /^set security ipsec policy \S+ perfect-forward-secrecy keys (\S+)$/m, "group16"],
    ["selector 1", /traffic-selector ts1 local-ip (\S+)\n(?:#.*\n)*set security ipsec vpn \S+ traffic-selector ts1 remote-ip (\S+)$/m, "192.168.10.0/24", "10.1.0.0/16"],
    ["selector 2", /traffic-selector ts2 local-ip (\S+)$/m, "192.168.20.0/24"],
    ["MSS", /^set security flow tcp-mss ipsec-vpn mss (\d+)$/m, "1350"],
  ],
  "mikrotik-routeros7": [
    ["profile", /^add name=\S+ hash-algorithm=(\S+) enc-algorithm=(\S+) dh-group=(\S+) lifetime=(\S+) nat-traversal=yes dpd-interval=(\S+) /m, "sha512", "aes-192", "modp3072", "8h", "20s"],
    ["peer", /^add name=\S+ address=(\S+) exchange-mode=(\S+) /m, "198.51.100.10/32", "ike2"],
    ["proposal", /^add name=\S+ auth-algorithms=(\S+) enc-algorithms=(\S+) pfs-group=(\S+) lifetime=(\S+)$/m, "sha256", "aes-128-cbc", "modp4096", "30m"],
    ["identity", /^add peer=\S+ auth-method=pre-shared-key secret="([^"]+)" my-id=(\S+) remote-id=(\S+)$/m, PSK, "user-fqdn:branch@example.com", `fqdn:${RESPONDER}`],
    ["policies", /^add peer=\S+ src-address=(\S+) dst-address=(\S+) tunnel=yes[^\n]*\n(?:#.*\n)*add peer=\S+ src-address=(\S+) /m, "192.168.10.0/24", "10.1.0.0/16", "192.168.20.0/24"],
    ["MSS", /action=change-mss new-mss=(\d+) /m, "1350"],
  ],
  vyos: [
    ["PSK", /^set vpn ipsec authentication psk \S+ secret '([^']+)'$/m, PSK],
    ["IKE", /proposal 1 dh-group '(\d+)'\n(?:#.*\n)*set vpn ipsec ike-group \S+ proposal 1 encryption '(\S+)'\n(?:#.*\n)*set vpn ipsec ike-group \S+ proposal 1 hash '(\S+)'$/m, "15", "aes192", "sha512"],
    ["IKE lifetime", /^set vpn ipsec ike-group \S+ lifetime '(\d+)'$/m, "28800"],
    ["DPD", /dead-peer-detection interval '(\d+)'\n(?:#.*\n)*set vpn ipsec ike-group \S+ dead-peer-detection timeout '(\d+)'$/m, "20", "100"],
    ["ESP", /^set vpn ipsec esp-group \S+ proposal 1 encryption '(\S+)'\n(?:#.*\n)*set vpn ipsec esp-group \S+ proposal 1 hash '(\S+)'$/m, "aes128", "sha256"],
    ["PFS", /^set vpn ipsec esp-group \S+ pfs '(\S+)'$/m, "dh-group16"],
    ["ESP lifetime", /^set vpn ipsec esp-group \S+ lifetime '(\d+)'$/m, "1800"],
    ["ids", /authentication local-id '([^']+)'\n(?:#.*\n)*set vpn ipsec site-to-site peer \S+ authentication remote-id '([^']+)'$/m, "branch@example.com", `@${RESPONDER}`],
    ["VPC address", /^set vpn ipsec site-to-site peer \S+ remote-address '(\S+)'$/m, "198.51.100.10"],
    ["selectors", /tunnel 0 local prefix '(\S+)'\n(?:#.*\n)*set vpn ipsec site-to-site peer \S+ tunnel 0 local prefix '(\S+)'\n(?:#.*\n)*set vpn ipsec site-to-site peer \S+ tunnel 0 remote prefix '(\S+)'$/m, "192.168.10.0/24", "192.168.20.0/24", "10.1.0.0/16"],
    ["MSS", /ip adjust-mss '(\d+)'$/m, "1350"],
  ],
  fortigate: [
    ["VPC address", /^ {8}set remote-gw (\S+)$/m, "198.51.100.10"],
    ["PSK", /^ {8}set psksecret "([^"]+)"$/m, PSK],
    ["IKE", /^ {8}set proposal (\S+)\n(?: {8}#.*\n)* {8}set dhgrp (\S+)\n(?: {8}#.*\n)* {8}set keylife (\d+)$/m, "aes192-sha512", "15", "28800"],
    ["local id", /^ {8}set localid-type (\S+)\n(?: {8}#.*\n)* {8}set localid "([^"]+)"$/m, "user-fqdn", "branch@example.com"],
    ["VPC id", /^ {8}set peerid "([^"]+)"$/m, RESPONDER],
    ["DPD", /^ {8}set dpd-retryinterval (\d+)$/m, "20"],
    ["ESP + PFS", /^ {8}set proposal (\S+)\n(?: {8}#.*\n)* {8}set pfs enable\n(?: {8}#.*\n)* {8}set dhgrp (\S+)\n(?: {8}#.*\n)* {8}set keylifeseconds (\d+)$/m, "aes128-sha256", "16", "1800"],
    ["selector 1", /^ {8}set src-subnet (\S+ \S+)\n(?: {8}#.*\n)* {8}set dst-subnet (\S+ \S+)$/m, "192.168.10.0 255.255.255.0", "10.1.0.0 255.255.0.0"],
    ["MSS", /^ {8}set tcp-mss-sender (\d+)$/m, "1350"],
  ],
};

describe.each(Object.entries(EXPECTED))("%s: each site value is in its own statement", (vendor, expectations) => {
  const config = renderDeviceConfig(site, vendor, { psk: PSK });
  const text = config.files.map((f) => f.content).join("\n");
  it.each(expectations)("%s", (_what, pattern, ...values) => {
    const m = pattern.exec(text);
    expect(m, `no statement matching ${pattern} in:\n${text}`).not.toBeNull();
    expect(m!.slice(1)).toEqual(values);
  });

  it("never leaves the placeholder when the key is given, and carries no other site's key", () => {
    expect(text).not.toContain("CHANGE-ME");
  });
});

it("covers every vendor", () => {
  expect(Object.keys(EXPECTED).sort()).toEqual([...DEVICE_VENDOR_IDS].sort());
});
