/** The command table: API name (case-sensitive, as CloudStack looks it up) to handler. */
import type { Handler } from "./context";
import * as customerGateways from "./customer-gateways";
import * as meta from "./meta";
import * as routers from "./routers";
import * as vpcs from "./vpcs";
import * as vpnConnections from "./vpn-connections";
import * as vpnGateways from "./vpn-gateways";

export const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ["createVpnCustomerGateway", customerGateways.createVpnCustomerGateway],
  ["updateVpnCustomerGateway", customerGateways.updateVpnCustomerGateway],
  ["deleteVpnCustomerGateway", customerGateways.deleteVpnCustomerGateway],
  ["listVpnCustomerGateways", customerGateways.listVpnCustomerGateways],
  ["createVpnGateway", vpnGateways.createVpnGateway],
  ["updateVpnGateway", vpnGateways.updateVpnGateway],
  ["deleteVpnGateway", vpnGateways.deleteVpnGateway],
  ["listVpnGateways", vpnGateways.listVpnGateways],
  ["createVpnConnection", vpnConnections.createVpnConnection],
  ["updateVpnConnection", vpnConnections.updateVpnConnection],
  ["deleteVpnConnection", vpnConnections.deleteVpnConnection],
  ["resetVpnConnection", vpnConnections.resetVpnConnection],
  ["listVpnConnections", vpnConnections.listVpnConnections],
  ["queryAsyncJobResult", meta.queryAsyncJobResult],
  ["listApis", meta.listApis],
  ["listCapabilities", meta.listCapabilities],
  ["createVPC", vpcs.createVpc],
  ["listVPCs", vpcs.listVpcs],
  ["deleteVPC", vpcs.deleteVpc],
  ["listZones", vpcs.listZones],
  ["listVPCOfferings", vpcs.listVpcOfferings],
  ["listPublicIpAddresses", vpcs.listPublicIpAddresses],
  ["listRouters", routers.listRouters],
  ["rebootRouter", routers.rebootRouter],
  ["stopRouter", routers.stopRouter],
  ["startRouter", routers.startRouter],
  ["restartVPC", routers.restartVpc],
]);
