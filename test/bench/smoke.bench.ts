import { buildSite2SiteVpnDataBag } from "../../provider/model/databag";

const started = process.hrtime.bigint();
for (let i = 0; i < 10_000; i++) {
  buildSite2SiteVpnDataBag({ publicIp: "198.51.100.10", vpcCidr: "10.1.0.0/16" }, {
    gateway: "203.0.113.20", cidrList: "192.168.10.0/24", ipsecPsk: "x", ikePolicy: "aes128-sha1;modp2048",
    espPolicy: "aes128-sha1", ikeLifetime: 86400, espLifetime: 3600, dpd: false, forceEncap: false,
    splitConnections: false, ikeVersion: "ike",
  }, { create: true, passive: false });
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(`data bag mapping: ${(ms * 1000 / 10_000).toFixed(2)} µs per bag`);
