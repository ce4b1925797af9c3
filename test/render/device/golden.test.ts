/**
 * Golden files per vendor × ID type (plus a static split site), key included, so a reviewer sees every statement a
 * branch gets. Where a vendor cannot express an ID type the golden file holds the error text instead.
 */
import { describe, expect, it } from "vitest";
import { DEVICE_VENDORS, deviceConfigText, tryRenderDeviceConfig } from "../../../provider/render/device";
import { dynamicDeviceSite, ID_CASES, staticDeviceSite, TEST_PSK } from "./sites";

describe.each(DEVICE_VENDORS.map((v) => v.id))("%s", (vendor) => {
  it.each(ID_CASES)("dynamic peer, $type ID: matches __golden__/%s/dynamic-$type", async ({ type, remoteId }) => {
    const r = tryRenderDeviceConfig(dynamicDeviceSite(remoteId, type), vendor, { psk: TEST_PSK });
    const text = r.config ? deviceConfigText(r.config) : `ERRORS\n${r.issues.map((i) => i.message).join("\n")}\n`;
    await expect(text).toMatchFileSnapshot(`./__golden__/${vendor}/dynamic-${type}${r.config ? "" : ".errors"}.txt`);
  });

  it("static peer, split connections: matches __golden__/%s/static-split", async () => {
    const r = tryRenderDeviceConfig(staticDeviceSite(), vendor, { psk: TEST_PSK });
    expect(r.issues).toEqual([]);
    await expect(deviceConfigText(r.config!)).toMatchFileSnapshot(`./__golden__/${vendor}/static-split.txt`);
  });
});
