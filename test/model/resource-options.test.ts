import { describe, expect, it } from "vitest";
import { adoptionOptionsSchema, connectionOptionsSchema, optionIssues } from "../../provider/model/resource-options";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const skipUnknown = (v: unknown) => v === UNKNOWN;

describe("resource options (Pulumi-only inputs)", () => {
  it("accepts absent and well-typed options, ignoring every other input", () => {
    expect(optionIssues(connectionOptionsSchema, { waitForEstablished: true, establishedTimeoutSeconds: 60, vpnGatewayId: "x" }, skipUnknown)).toEqual([]);
    expect(optionIssues(adoptionOptionsSchema, { name: "gw" }, skipUnknown)).toEqual([]);
  });

  it.each([
    [{ adoptExisting: "yes" }, "adoptExisting", /wrong type: expected boolean/],
    [{ waitForEstablished: 1 }, "waitForEstablished", /wrong type: expected boolean/],
    [{ establishedTimeoutSeconds: 0 }, "establishedTimeoutSeconds", /must be ≥ 1/],
    [{ establishedTimeoutSeconds: 7200 }, "establishedTimeoutSeconds", /must be ≤ 3600/],
    [{ establishedTimeoutSeconds: 1.5 }, "establishedTimeoutSeconds", /integer|int/],
  ])("fails when an option is malformed: %j", (inputs, path, message) => {
    const issues = optionIssues(connectionOptionsSchema, inputs, skipUnknown);
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]!.message).toMatch(message);
  });

  it("leaves values unknown during a preview to the real run", () => {
    expect(optionIssues(connectionOptionsSchema, { establishedTimeoutSeconds: UNKNOWN, adoptExisting: UNKNOWN }, skipUnknown)).toEqual([]);
  });

  it("gives gateways `adoptExisting` only; the wait options belong to connections", () => {
    expect(Object.keys(adoptionOptionsSchema.shape)).toEqual(["adoptExisting"]);
    expect(Object.keys(connectionOptionsSchema.shape)).toEqual(["adoptExisting", "waitForEstablished", "establishedTimeoutSeconds"]);
  });
});
