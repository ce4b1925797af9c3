// The engine's secret rules, ported in wire.ts, checked without any process: these are what make a dynamic
// provider's outputs secret or not in the real engine (provider_plugin.go annotateSecrets, step_executor.go).
import { describe, expect, it } from "vitest";
import { annotateSecrets, isSecret, markAdditionalSecretOutputs, secret, stripSecrets, toPropertyMap, UNKNOWN } from "./index";

describe("annotateSecrets", () => {
  it("marks an output secret when the same key was secret in the inputs", () => {
    const outs = annotateSecrets({ token: "t", other: "o" }, { token: secret("t"), other: "o" });
    expect(isSecret(outs.token)).toBe(true);
    expect(isSecret(outs.other)).toBe(false);
  });

  it("does not mark a derived output under a new key", () => {
    const outs = annotateSecrets({ tokenDigest: "abc" }, { token: secret("t") });
    expect(outs.tokenDigest).toBe("abc");
  });

  it("recurses into objects present on both sides, marking only the nested key", () => {
    const outs = annotateSecrets({ auth: { psk: "k", user: "u" } }, { auth: { psk: secret("k"), user: "u" } });
    expect(isSecret((outs.auth as Record<string, unknown>).psk)).toBe(true);
    expect((outs.auth as Record<string, unknown>).user).toBe("u");
  });

  it("marks a whole array when any input element was secret", () => {
    const outs = annotateSecrets({ keys: ["a", "b"] }, { keys: ["a", secret("b")] });
    expect(outs.keys).toEqual(secret(["a", "b"]));
  });

  it("marks a whole output object when the input object itself was secret", () => {
    const outs = annotateSecrets({ auth: { psk: "k" } }, { auth: secret({ psk: "k" }) });
    expect(outs.auth).toEqual(secret({ psk: "k" }));
  });

  it("does not double-wrap an output that is already secret", () => {
    const outs = annotateSecrets({ token: secret("t") }, { token: secret("t") });
    expect(outs.token).toEqual(secret("t"));
  });
});

describe("markAdditionalSecretOutputs", () => {
  it("marks listed keys that exist and ignores missing ones", () => {
    const outs = markAdditionalSecretOutputs({ digest: "d", plain: "p" }, ["digest", "absent"]);
    expect(outs).toEqual({ digest: secret("d"), plain: "p" });
  });

  it("fails when asked to make 'id' secret, which the engine refuses", () => {
    expect(() => markAdditionalSecretOutputs({ id: "x" }, ["id"])).toThrow(/'id' property cannot be made secret/);
  });
});

describe("program values", () => {
  it("drops undefined members as the SDK does, so Struct encoding never sees undefined", () => {
    expect(toPropertyMap({ a: undefined, b: [undefined, 1], c: { d: undefined } })).toEqual({ b: [null, 1], c: {} });
  });

  it("strips secrets to plaintext at any depth and leaves the unknown sentinel alone", () => {
    expect(stripSecrets({ a: secret({ b: secret("x") }), u: UNKNOWN })).toEqual({ a: { b: "x" }, u: UNKNOWN });
  });
});
