/**
 * Byte parity with CloudStack's `CsSite2SiteVpn` for every split / non-split case.
 *
 * How the goldens in `__golden__/cloudstack-vr/` were derived: by hand, NOT by running this renderer. Each file is
 * the result of tracing `CsSite2SiteVpn.configure_ipsec` (systemvm/debian/opt/cloud/bin/configure.py, python3
 * variant with `leftid` and split connections, as in d4m14ndx/cloudstack@1348194 and the fork quoted in
 * /work/shared/cloudstack-contract.md §4.3) through `CsFile` (cs/CsFile.py, apache/cloudstack@1c70d42) for the bag
 * named in the test: `repopulate()` empties the content; `add("#conn for vpn-<peer>", 0)`; `search("conn ", …)`
 * appends `conn vpn-<peer>`; every `addeq(" key=value")` appends (no earlier line matches its ` key=` token); each
 * split child is `append('')` (an EMPTY line), `search('conn vpn-.*-<k>', "conn vpn-<peer>-<k>")`,
 * `append(' also=vpn-<peer>')`, `append(' rightsubnet=<cidr k>')`; every line ends with "\n".
 * - split-2: `split_connections: true`, 2 CIDRs → `rightsubnet=<first>` + one child stanza after an empty line.
 * - split-4-nodpd-noencap: 4 CIDRs, `dpd: false` (no dpd lines), `encap` missing (`forceencaps=no`), 3 children.
 * - split-1: split on, 1 CIDR → `len(peerlistarr) > 1` is false: no child, no empty line.
 * - nosplit-3: split off → the whole list (spaces removed) in one `rightsubnet`.
 * - split-key-absent-2: no `split_connections` key → `False` → like nosplit.
 * - split-3-hostname-dash2: peer `vpn-2.example.net`: the regex `conn vpn-.*-2` matches the MAIN `conn` line,
 *   which `search` replaces by `conn vpn-vpn-2.example.net-2` and appends nothing; the third CIDR gets its stanza.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Site2SiteVpnDataBag } from "../../provider/model/databag";
import { CsFileModel } from "../../provider/render/cs-file";
import { renderVr } from "../../provider/render/vr";

const golden = (name: string) => readFileSync(join(__dirname, "__golden__", "cloudstack-vr", name), "utf8");
const base = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "databags", "contract-4.3.json"), "utf8")) as Site2SiteVpnDataBag;
const four = "192.168.10.0/24,192.168.20.0/24,192.168.30.0/24,172.16.0.0/12";

describe("static VR conf: byte-identical to CsSite2SiteVpn in every split case", () => {
  it.each([
    ["split-2.conf", { split_connections: true }],
    ["split-4-nodpd-noencap.conf", { split_connections: true, peer_guest_cidr_list: four, dpd: false, encap: undefined }],
    ["split-1.conf", { split_connections: true, peer_guest_cidr_list: "192.168.10.0/24" }],
    ["nosplit-3.conf", { split_connections: false, peer_guest_cidr_list: "192.168.10.0/24,192.168.20.0/24,192.168.30.0/24" }],
    ["split-key-absent-2.conf", { split_connections: undefined }],
    ["split-3-hostname-dash2.conf", { split_connections: true, peer_gateway_ip: "vpn-2.example.net", peer_guest_cidr_list: "192.168.10.0/24,192.168.20.0/24,192.168.30.0/24" }],
  ] as [string, Partial<Site2SiteVpnDataBag>][])("%s", (file, overrides) => {
    const bag = { ...base, ...overrides } as Site2SiteVpnDataBag;
    if (overrides.split_connections === undefined) delete (bag as Partial<Site2SiteVpnDataBag>).split_connections;
    if ("encap" in overrides && overrides.encap === undefined) delete (bag as Partial<Site2SiteVpnDataBag>).encap;
    expect(renderVr(bag).files[0]!.content).toBe(golden(file));
  });

  it("checks and warms up every child like CloudStack: `ipsec status vpn-<peer>-<k>`, ping of the written address + 1", () => {
    const r = renderVr({ ...base, peer_guest_cidr_list: four });
    expect(r.commands).toEqual([
      "ipsec rereadsecrets",
      "ipsec reload",
      'ipsec status vpn-203.0.113.20 | grep "192.168.10.0/24"',
      'ipsec status vpn-203.0.113.20-2 | grep "192.168.20.0/24"',
      'ipsec status vpn-203.0.113.20-3 | grep "192.168.30.0/24"',
      'ipsec status vpn-203.0.113.20-4 | grep "172.16.0.0/12"',
      "timeout 5 ping -c 3 192.168.10.1",
      "timeout 5 ping -c 3 192.168.20.1",
      "timeout 5 ping -c 3 192.168.30.1",
      "timeout 5 ping -c 3 172.16.0.1",
    ]);
    expect(r.connections).toEqual(["vpn-203.0.113.20", "vpn-203.0.113.20-2", "vpn-203.0.113.20-3", "vpn-203.0.113.20-4"]);
  });

  it("pings the CIDR's address as written with the last octet + 1 (no carry, host bits kept), as configure.py does", () => {
    const r = renderVr({ ...base, split_connections: false, peer_guest_cidr_list: "10.20.0.5/24,10.9.9.255/32" });
    expect(r.commands.filter((c) => c.includes("ping"))).toEqual(["timeout 5 ping -c 3 10.20.0.6", "timeout 5 ping -c 3 10.9.9.256"]);
  });

  it("keeps the previous file and skips rereadsecrets when only the ORDER of split lines changed (CsFile compares line sets)", () => {
    const previous = { ...base, peer_guest_cidr_list: four };
    const reordered = { ...base, peer_guest_cidr_list: "192.168.10.0/24,192.168.30.0/24,192.168.20.0/24,172.16.0.0/12" };
    const r = renderVr(reordered, { previous });
    expect(r.files[0]!.content).toBe(renderVr(previous).files[0]!.content);
    expect(r.commands[0]).toBe("ipsec reload");
    // A real change (another CIDR) rewrites the file and rereads the secrets.
    const changed = renderVr({ ...base, peer_guest_cidr_list: "192.168.10.0/24,192.168.40.0/24" }, { previous });
    expect(changed.files[0]!.content).toContain("\nconn vpn-203.0.113.20-2\n also=vpn-203.0.113.20\n rightsubnet=192.168.40.0/24\n");
    expect(changed.commands[0]).toBe("ipsec rereadsecrets");
  });
});

describe("CsFileModel: CsFile.py semantics the VR output depends on", () => {
  it("search replaces every matching non-comment line, appends only when none matched; addeq keys on `token=`", () => {
    const f = new CsFileModel("# left=comment\n left=1\nother\n");
    f.addeq(" left=2");
    f.addeq(" right=3");
    expect(f.text()).toBe("# left=comment\n left=2\nother\n right=3\n");
  });

  it("is_changed compares sets of lines: reordering or repeating lines is no change", () => {
    const f = new CsFileModel("a\nb\n");
    f.repopulate();
    f.append("b");
    f.append("a");
    f.append("a");
    expect(f.isChanged()).toBe(false);
    f.append("c");
    expect(f.isChanged()).toBe(true);
  });

  it("add inserts only when no stripped line equals it", () => {
    const f = new CsFileModel(" x \n");
    expect(f.add("x", 0)).toBe(false);
    expect(f.add("y", 0)).toBe(true);
    expect(f.text()).toBe("y\n x \n");
  });
});
