/** The cause codes are the list plus documented extras, and docs/doctor-causes.md lists exactly them. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { CAUSES } from "../../provider/doctor";

it("has every cause code issue 11 asks for", () => {
  for (const code of ["established", "psk-mismatch", "psk-missing", "id-mismatch", "ike-proposal-mismatch", "esp-proposal-mismatch", "ts-mismatch", "no-response", "source-not-allowed", "ikev1-not-allowed", "peer-gone", "nat-detected"]) {
    expect(Object.keys(CAUSES)).toContain(code);
  }
});

it("docs/doctor-causes.md has one table row per cause code, no more", () => {
  const doc = readFileSync("docs/doctor-causes.md", "utf8");
  const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
  expect(rows.sort()).toEqual(Object.keys(CAUSES).sort());
});
