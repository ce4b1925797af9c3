import { describe, expect, it } from "vitest";
import { configUnsafeReason } from "../../provider/model/config-safe";

describe("configUnsafeReason", () => {
  it.each(["branch.example.com", "203.0.113.20", "user+tag@example.com", "a-b_c.d:e", "100%"])("accepts the single token %j", (value) => {
    expect(configUnsafeReason(value)).toBeUndefined();
  });

  it.each([
    ["a\nb", /control character.*U\+000A/],
    ["a\rb", /control character/],
    ["a\u0000b", /control character/],
    ["a\u007fb", /control character/],
    ["a\u2028b", /control character/],
    ['a"b', /double quote/],
    ["a'b", /single quote/],
    ["a#b", /#/],
    ["a\\b", /backslash/],
    ["a{b", /\{ or \}/],
    ["a}b", /\{ or \}/],
    ["%any", /starts with %/],
    ["a b", /white space/],
    ["a\u00a0b", /white space/],
  ])("fails when the value is %j", (value, reason) => {
    expect(configUnsafeReason(value)).toMatch(reason);
  });

  it("accepts single inner spaces when spaces are allowed (DN IDs)", () => {
    expect(configUnsafeReason("C=FR, O=Example Org, CN=branch", { allowSpaces: true })).toBeUndefined();
  });

  it.each([" CN=a", "CN=a ", "CN=a  b"])("fails when an allowed-spaces value %j has leading, trailing or repeated white space", (value) => {
    expect(configUnsafeReason(value, { allowSpaces: true })).toMatch(/leading, trailing or repeated white space/);
  });

  it("still refuses a newline when spaces are allowed", () => {
    expect(configUnsafeReason("CN=a\nCN=b", { allowSpaces: true })).toMatch(/control character/);
  });
});
