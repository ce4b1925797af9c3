/** connectionHealth over `ipsec statusall` text in strongSwan 5.9.8's format (strongswan-netns.md §8). */
import { expect, it } from "vitest";
import { expectationOf } from "../../provider/doctor/expect";
import { connectionHealth, formatHealth, statusExitCode } from "../../provider/doctor/status";
import { fixtureSite } from "./helpers";

const STATUS = `Connections:
s2s-a-g1:  198.51.100.10...%any  IKEv2, dpddelay=2s
s2s-a-g1:   local:  [198.51.100.10] uses pre-shared key authentication
s2s-a-g1:   remote: [branch-a@example.com] uses pre-shared key authentication
s2s-a-g1:   child:  10.1.0.0/16 === 192.168.11.0/24 TUNNEL, dpdaction=clear
Security Associations (1 up, 0 connecting):
s2s-a-g1[3]: ESTABLISHED 7 minutes ago, 198.51.100.10[198.51.100.10]...203.0.113.20[branch-a@example.com]
s2s-a-g1[3]: IKEv2 SPIs: 5053fb8f6c0b3609_i de32d6a56e5be177_r*, pre-shared key reauthentication in 7 hours
s2s-a-g1{5}:  INSTALLED, TUNNEL, reqid 1, ESP in UDP SPIs: 6c4c903f_i 2d17c7e4_o
s2s-a-g1{5}:  AES_CBC_256/HMAC_SHA2_256_128, 504 bytes_i (6 pkts, 12s ago), 336 bytes_o (4 pkts, 3s ago), rekeying in 42 minutes
s2s-a-g1{5}:   10.1.0.0/16 === 192.168.11.0/24
`;

it("reads state, peer, counters and their age, and the match with the site", () => {
  const [c] = connectionHealth(STATUS, expectationOf(fixtureSite("site-a")));
  expect(c).toEqual({
    connection: "s2s-a-g1", health: "healthy", ike: "ESTABLISHED", child: "INSTALLED", peerId: "branch-a@example.com", peerAddress: "203.0.113.20",
    establishedSecondsAgo: 420, bytesIn: 504, bytesOut: 336, packetsIn: 6, packetsOut: 4, lastInSecondsAgo: 12, lastOutSecondsAgo: 3, mismatches: [], reasons: [],
  });
  expect(formatHealth([c!])).toContain("traffic: in 504 bytes / 6 packets (last 12s ago), out 336 bytes / 4 packets (last 3s ago)");
});

it("a router whose selectors differ from the site is degraded (exit 3); no SA is down (exit 4)", () => {
  const wrong = STATUS.replace(/192\.168\.11\.0\/24/g, "192.168.99.0/24");
  const [c] = connectionHealth(wrong, expectationOf(fixtureSite("site-a")));
  expect(c!.health).toBe("degraded");
  expect(c!.mismatches).toEqual(["loaded remote selectors 192.168.99.0/24 ≠ customerGateway.cidrList 192.168.11.0/24"]);
  expect(statusExitCode([c!])).toBe(3);
  const idle = STATUS.split("Security Associations")[0]!;
  expect(statusExitCode(connectionHealth(idle, expectationOf(fixtureSite("site-a"))))).toBe(4);
});
