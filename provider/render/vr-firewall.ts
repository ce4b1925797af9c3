import type { FirewallRule } from "./types";

/** The SNAT exemption and tunnel marks CloudStack's VR adds for every connection (contract §4.3). */
export function tunnelMarkRules(dev: string, localGuestCidr: string, peerGuestCidrList: string): FirewallRule[] {
  const rules: FirewallRule[] = [{ table: "nat", position: "front", rule: `-A POSTROUTING -t nat -o ${dev} -m mark --mark 0x525 -j ACCEPT` }];
  // CloudStack splits the raw list after trimming its ends only; bags carry no inner spaces (validated).
  for (const net of peerGuestCidrList.trim().split(",")) {
    rules.push(
      { table: "mangle", position: "front", rule: `-A FORWARD -s ${localGuestCidr} -d ${net} -j MARK --set-xmark 0x525/0xffffffff` },
      { table: "mangle", position: "", rule: `-A OUTPUT -s ${localGuestCidr} -d ${net} -j MARK --set-xmark 0x525/0xffffffff` },
      { table: "mangle", position: "front", rule: `-A FORWARD -s ${net} -d ${localGuestCidr} -j MARK --set-xmark 0x524/0xffffffff` },
      { table: "mangle", position: "", rule: `-A INPUT -s ${net} -d ${localGuestCidr} -j MARK --set-xmark 0x524/0xffffffff` },
    );
  }
  return rules;
}

/** INPUT accepts for IKE, NAT-T and ESP from one source (a peer address, or an allowed CIDR). */
export function ikeInputRules(dev: string, source: string, localPublicIp: string): FirewallRule[] {
  return [
    { table: "filter", position: "front", rule: `-A INPUT -i ${dev} -p udp -m udp --dport 500 -s ${source} -d ${localPublicIp} -j ACCEPT` },
    { table: "filter", position: "front", rule: `-A INPUT -i ${dev} -p udp -m udp --dport 4500 -s ${source} -d ${localPublicIp} -j ACCEPT` },
    { table: "filter", position: "front", rule: `-A INPUT -i ${dev} -p esp -s ${source} -d ${localPublicIp} -j ACCEPT` },
  ];
}
