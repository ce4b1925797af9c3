import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES, FIXTURES, run } from "./capture";

const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml")).map((f) => join(EXAMPLES, f));

describe("validate", () => {
  it("exits 0 for every example site file together", async () => {
    const { code, stdout, stderr } = await run(["validate", ...examples]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`${examples.length} site files valid`));
  });

  it.each(examples)("exits 0 for %s alone", async (file) => {
    expect((await run(["validate", file])).code).toBe(0);
  });

  it("fails when a file has many problems, listing each by file and field path (exit 2)", async () => {
    // GIVEN a file with nine independent problems
    const file = join(FIXTURES, "bad-many.yaml");
    // WHEN it is validated
    const { code, stderr } = await run(["validate", file]);
    // THEN every one is listed on its own line, prefixed by the file
    expect(code).toBe(2);
    for (const path of [
      "name", "vpnGateway.vpcCidr", "vpnGateway.publicIp", "customerGateway.peer.remoteId", "customerGateway.peer.allowedSourceCidrs[0]",
      "customerGateway.cidrList[1]", "customerGateway.ipsecPsk", "customerGateway.ikeVersion", "customerGateway.colour",
    ]) {
      expect(stderr).toContain(`${file}: error: \`${path}\``);
    }
    expect(stderr).toMatch(/9 problems in 1 file/);
  });

  it("fails when a field is unknown, naming it", async () => {
    expect((await run(["validate", join(FIXTURES, "bad-many.yaml")])).stderr).toMatch(/`customerGateway\.colour` is not a known field/);
  });

  it("never shows a literal PSK in its report", async () => {
    const { stderr } = await run(["validate", join(FIXTURES, "bad-many.yaml")]);
    expect(stderr).not.toContain("LeakCanary");
  });

  it("fails when a file is not valid YAML, naming the line (exit 2)", async () => {
    const file = join(FIXTURES, "syntax-error.yaml");
    const { code, stderr } = await run(["validate", file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`${file}: error: .*not valid YAML/JSON at line \\d+, column \\d+`));
  });

  it("fails when the syntax error is on the PSK's line, without quoting that line", async () => {
    const { code, stderr } = await run(["validate", join(FIXTURES, "psk-syntax-error.yaml")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/at line 5/);
    expect(stderr).not.toContain("LeakCanary");
  });

  it("fails when a file cannot be read", async () => {
    const { code, stderr } = await run(["validate", join(FIXTURES, "does-not-exist.yaml")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot be read: ENOENT/);
  });

  it("accepts each of two sites that conflict only together", async () => {
    expect((await run(["validate", join(FIXTURES, "cross-a.yaml")])).code).toBe(0);
    expect((await run(["validate", join(FIXTURES, "cross-b.yaml")])).code).toBe(0);
  });

  it("fails when two files on one gateway overlap and share a remote ID (exit 2)", async () => {
    const a = join(FIXTURES, "cross-a.yaml");
    const b = join(FIXTURES, "cross-b.yaml");
    const { code, stderr } = await run(["validate", a, b]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`\`${b}: customerGateway\\.peer\\.remoteId\`.*also the ID of ${a}`));
    expect(stderr).toMatch(new RegExp(`\`${b}: customerGateway\\.cidrList\\[0\\]\`.*overlaps.*${a}`));
    expect(stderr).toMatch(/2 problems in 2 files/);
  });

  it("fails when a site file is given twice (duplicate site name)", async () => {
    const file = join(FIXTURES, "cross-a.yaml");
    expect((await run(["validate", file, file])).stderr).toMatch(/also the name of the site in/);
  });

  it("reports the problems of every file, valid ones included in the count", async () => {
    const { code, stderr } = await run(["validate", examples[0]!, join(FIXTURES, "syntax-error.yaml"), join(FIXTURES, "bad-many.yaml")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/10 problems in 3 files/);
  });

  it("fails when no file is given (usage, exit 2)", async () => {
    const { code, stderr } = await run(["validate"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/needs at least one site file/);
  });

  it("fails when given an unknown option (exit 2)", async () => {
    const { code, stderr } = await run(["validate", "--strict", examples[0]!]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option --strict/);
  });
});
