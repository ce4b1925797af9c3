/**
 * keepalived's election as CloudStack configures it (vrrp.ts): the master-down interval from advert_int and the
 * default priority, discrete adverts, nopreempt, and which BACKUP's timer expires first.
 */
import { describe, expect, it } from "vitest";
import { CLOUDSTACK_VRRP, electPrimary, lastAdvertAt, masterDownIntervalMs, type VrrpMember } from "../../../provider/local-cloud/netns/vrrp";

const DOWN = masterDownIntervalMs();

describe("masterDownIntervalMs", () => {
  it("is 3 × advert_int + (256 − priority)/256 × advert_int: 3.609 s for CloudStack's 1 s / priority 100", () => {
    expect(CLOUDSTACK_VRRP).toEqual({ advertIntS: 1, priority: 100 });
    expect(DOWN).toBeCloseTo(3609.375, 3);
    expect(masterDownIntervalMs({ advertIntS: 2, priority: 255 })).toBeCloseTo(6007.8125, 3);
  });
});

describe("lastAdvertAt", () => {
  it("advances in whole advert intervals only", () => {
    expect(lastAdvertAt(1000, 1999, 1000)).toBe(1000);
    expect(lastAdvertAt(1000, 2000, 1000)).toBe(2000);
    expect(lastAdvertAt(1000, 4500, 1000)).toBe(4000);
    expect(lastAdvertAt(1000, 900, 1000)).toBe(1000);
  });
});

describe("electPrimary", () => {
  const m = (index: number, role: VrrpMember["role"], backupSince = 0): VrrpMember => ({ index, role, backupSince });

  it("never while a PRIMARY advertises (nopreempt: a returning VM stays BACKUP)", () => {
    expect(electPrimary([m(0, "PRIMARY"), m(1, "BACKUP")], 0, 60_000, DOWN)).toBeUndefined();
  });

  it("the BACKUP takes over only once the master-down interval has passed since the last advert", () => {
    const pair = [m(0, "DOWN"), m(1, "BACKUP")];
    expect(electPrimary(pair, 10_000, 10_000 + DOWN - 1, DOWN)).toBeUndefined();
    expect(electPrimary(pair, 10_000, 10_000 + DOWN, DOWN)).toBe(1);
  });

  it("a VM that just came up as BACKUP starts its own timer: the one that has waited longer wins", () => {
    // Both BACKUP after the PRIMARY rebooted: the survivor's timer started at the last advert, the rebooted VM's at its boot.
    const pair = [m(0, "BACKUP", 12_000), m(1, "BACKUP", 0)];
    expect(electPrimary(pair, 10_000, 10_000 + DOWN, DOWN)).toBe(1);
    expect(electPrimary([m(0, "BACKUP", 12_000), m(1, "DOWN")], 10_000, 10_000 + DOWN, DOWN)).toBeUndefined();
    expect(electPrimary([m(0, "BACKUP", 12_000), m(1, "DOWN")], 10_000, 12_000 + DOWN, DOWN)).toBe(0);
  });

  it("equal timers: one winner, the lower index; no BACKUP alive: nobody", () => {
    expect(electPrimary([m(0, "BACKUP"), m(1, "BACKUP")], 0, DOWN, DOWN)).toBe(0);
    expect(electPrimary([m(0, "DOWN"), m(1, "DOWN")], 0, 60_000, DOWN)).toBeUndefined();
  });
});
