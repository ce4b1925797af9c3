import { describe, expect, it } from "vitest";
import { formatPolicy, legacyAlgorithmsIn, parsePolicy, type Proposal } from "../../provider/model/policy";

function proposals(text: string): Proposal[] {
  const parsed = parsePolicy(text);
  if ("problem" in parsed) throw new Error(`${text}: ${parsed.problem}`);
  return parsed.proposals;
}

describe("parsePolicy", () => {
  it.each([
    ["aes128-sha1;modp1536", [{ cipher: "aes128", hash: "sha1", dhGroup: "modp1536" }]],
    ["aes256-sha256", [{ cipher: "aes256", hash: "sha256" }]],
    ["aes192-sha384;modp3072,aes256-sha512;modp8192", [{ cipher: "aes192", hash: "sha384", dhGroup: "modp3072" }, { cipher: "aes256", hash: "sha512", dhGroup: "modp8192" }]],
    ["3des-md5;modp1024", [{ cipher: "3des", hash: "md5", dhGroup: "modp1024" }]],
  ])("reads %j", (text, expected) => {
    expect(proposals(text)).toEqual(expected);
  });

  it.each([
    ["", /is empty/],
    ["aes128-sha1,", /proposal 2 \(""\) is empty; remove the stray comma/],
    [",aes128-sha1", /proposal 1 \(""\) is empty/],
    ["aes128-sha1,,aes256-sha256", /proposal 2 .*is empty/],
    ["aes128-sha1;", /unknown DH group ""/],
    ["aes128-sha1;modp1536;junk", /more than one ';'/],
    ["aes128", /not of the form cipher-hash/],
    ["aes128-sha1-modp2048", /not of the form cipher-hash/],
    ["AES128-sha1", /unknown cipher "AES128"/],
    ["aes128-SHA1", /unknown hash "SHA1"/],
    ["aes128-sha1;MODP2048", /unknown DH group "MODP2048"/],
    ["chacha20-sha256;modp2048", /unknown cipher "chacha20"; allowed: aes128, aes192, aes256, 3des/],
    ["aes128-sha224", /unknown hash "sha224"/],
    ["aes128-sha256;ecp256", /unknown DH group "ecp256"/],
    ["aes128-sha256;modp2048 ", /unknown DH group "modp2048 "/],
  ])("fails when the policy is %j", (text, reason) => {
    const parsed = parsePolicy(text);
    expect("problem" in parsed ? parsed.problem : "(accepted)").toMatch(reason);
  });
});

describe("formatPolicy", () => {
  it("writes CloudStack's canonical text, with and without groups", () => {
    expect(formatPolicy([{ cipher: "aes256", hash: "sha256", dhGroup: "modp2048" }, { cipher: "aes128", hash: "sha1" }])).toBe("aes256-sha256;modp2048,aes128-sha1");
  });

  it.each(["aes128-sha1;modp1536", "aes256-sha512", "aes256-sha256;modp2048,aes128-sha256;modp3072"])("round-trips %j", (text) => {
    expect(formatPolicy(proposals(text))).toBe(text);
  });
});

describe("legacyAlgorithmsIn", () => {
  it.each([
    ["3des-sha256;modp2048", ["3des"]],
    ["aes128-md5;modp2048", ["md5"]],
    ["aes128-sha256;modp1024", ["modp1024"]],
    ["3des-md5;modp1024,3des-md5;modp1024", ["3des", "md5", "modp1024"]],
    ["aes256-sha256;modp2048,aes128-sha1;modp1536", []],
  ])("finds the legacy algorithms of %j", (text, legacy) => {
    expect(legacyAlgorithmsIn(proposals(text))).toEqual(legacy);
  });
});
