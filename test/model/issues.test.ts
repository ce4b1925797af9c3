import { describe, expect, it } from "vitest";
import { formatPath, isSecretPath, makeIssue, showValue, ValidationError } from "../../provider/model/issues";

describe("formatPath", () => {
  it("writes dotted keys and bracketed indexes", () => {
    expect(formatPath(["customerGateway", "peer", "allowedSourceCidrs", 1])).toBe("customerGateway.peer.allowedSourceCidrs[1]");
    expect(formatPath([1, "peer_id"])).toBe("[1].peer_id");
  });
});

describe("showValue", () => {
  it.each(["ipsecPsk", "customerGateway.ipsecPsk", "[2].ipsec_psk", "secretKey", "password"])("hides the value at secret path %s, giving its length", (path) => {
    expect(showValue(path, "hunter2-hunter2")).toBe("(secret, 15 characters)");
    expect(isSecretPath(path)).toBe(true);
  });

  it("quotes strings and shortens long ones", () => {
    expect(showValue("name", "paris")).toBe('"paris"');
    expect(showValue("name", "x".repeat(100))).toHaveLength(80);
  });
});

describe("makeIssue and ValidationError", () => {
  it("starts the message with the path in backticks", () => {
    expect(makeIssue("cidrList[0]", "invalid-cidr", "is bad")).toEqual({ path: "cidrList[0]", code: "invalid-cidr", severity: "error", message: "`cidrList[0]` is bad" });
  });

  it("lists every issue in the error message", () => {
    const error = new ValidationError([makeIssue("a", "x", "is bad"), makeIssue("b", "y", "is worse")], "site");
    expect(error.message).toBe("site is invalid:\n  - `a` is bad\n  - `b` is worse");
    expect(error.issues).toHaveLength(2);
  });
});
