import { describe, expect, it } from "vitest";
import { generatePsk, MIN_DYNAMIC_PEER_PSK_LENGTH, pskProblems } from "../../provider/model/psk";

describe("pskProblems", () => {
  it("accepts a 20-character key for a dynamic peer (the floor)", () => {
    expect(pskProblems("a".repeat(MIN_DYNAMIC_PEER_PSK_LENGTH), { dynamicPeer: true })).toEqual([]);
  });

  it("accepts a short key for a static peer", () => {
    expect(pskProblems("short", { dynamicPeer: false })).toEqual([]);
  });

  it("fails when a dynamic peer's key has 19 characters", () => {
    expect(pskProblems("a".repeat(19), { dynamicPeer: true }).join()).toMatch(/has 19 characters; a dynamic peer needs at least 20/);
  });

  it.each([
    ["", /is empty/],
    ['abc"defghijklmnopqrstuvwxyz', /double quote/],
    ["abcdefghij\nklmnopqrstuvwxyz", /line break/],
    ["abcdefghij\rklmnopqrstuvwxyz", /line break/],
    ["abcdefghij\u0001klmnopqrstuvwxyz", /control character/],
    ["a".repeat(256), /longer than 255/],
  ])("fails when the key is %j", (psk, reason) => {
    expect(pskProblems(psk, { dynamicPeer: false }).join("\n")).toMatch(reason);
  });

  it("never quotes the key in its problems", () => {
    const psk = 'Leak"Canary\nValue';
    const problems = pskProblems(psk, { dynamicPeer: true });
    expect(problems.length).toBeGreaterThanOrEqual(3);
    for (const problem of problems) {
      expect(problem).not.toContain("Leak");
      expect(problem).not.toContain("Canary");
    }
  });
});

describe("generatePsk", () => {
  it("makes a 43-character base64url key from 32 random bytes by default", () => {
    expect(generatePsk()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("makes a different key each time", () => {
    const keys = new Set(Array.from({ length: 50 }, () => generatePsk()));
    expect(keys.size).toBe(50);
  });

  it("makes a key that passes the dynamic-peer rules", () => {
    expect(pskProblems(generatePsk(), { dynamicPeer: true })).toEqual([]);
  });

  it("encodes the requested number of bytes", () => {
    expect(Buffer.from(generatePsk(64), "base64url")).toHaveLength(64);
  });

  it("fails when asked for fewer than 16 bytes", () => {
    expect(() => generatePsk(15)).toThrow(/15 bytes is too few/);
  });
});
