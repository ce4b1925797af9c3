import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withModelReference } from "../provider/model/docs-tables";

describe("README.md", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

  it("carries the model reference exactly as the schemas generate it (run `npm run docs` after changing the model)", () => {
    expect(readme).toBe(withModelReference(readme));
  });

  it("shows the two set-up commands, and .ci/run runs exactly the test one", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm ci && npm test");
    expect(readFileSync(join(__dirname, "..", ".ci", "run"), "utf8")).toMatch(/^npm ci && npm test$/m);
  });
});
