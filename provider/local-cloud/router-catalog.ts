/**
 * The router life-cycle commands the local cloud answers (admin commands in CloudStack: ListRoutersCmd,
 * RebootRouterCmd, StopRouterCmd, StartRouterCmd; RestartVPCCmd is a user command). Router ids are not rows of the
 * local cloud's state (the router belongs to the VirtualRouter implementation), so `id` is checked by the handler
 * (431 "Unable to find router by id") instead of by UUID resolution.
 */
import type { CommandDef, ParamDef } from "./api-catalog";

const ROUTER = "org.apache.cloudstack.api.command.admin.router.";
const ROUTER_KEYS = ["id", "name", "state", "vpcid", "vpcname", "publicip", "linklocalip", "isredundantrouter", "redundantstate", "role", "requiresupgrade"];
const routerId = (description: string): ParamDef => ({ name: "id", type: "string", required: true, description });

export const ROUTER_COMMANDS: CommandDef[] = [
  { name: "listRouters", description: "List routers.", isAsync: false, javaClass: `${ROUTER}ListRoutersCmd`, params: [
    { name: "id", type: "string", description: "the ID of the disk router" },
    { name: "vpcid", type: "uuid", entity: "vpcs", description: "List networks by VPC" },
    { name: "state", type: "string", description: "the state of the router" },
    { name: "listall", type: "boolean", description: "If set to false, list only resources belonging to the command's caller" },
  ], responseKeys: ROUTER_KEYS },
  { name: "rebootRouter", description: "Starts a router.", isAsync: true, javaClass: `${ROUTER}RebootRouterCmd`, params: [routerId("the ID of the router"), { name: "forced", type: "boolean", since: "4.16.0", description: "Force reboot the router (Router is force Stopped and then Started)" }], responseKeys: ROUTER_KEYS },
  { name: "stopRouter", description: "Stops a router.", isAsync: true, javaClass: `${ROUTER}StopRouterCmd`, params: [routerId("the ID of the router"), { name: "forced", type: "boolean", description: "Force stop the VM (vm is marked as Stopped even when command fails to be send to the backend, otherwise a force poweroff is attempted). To be used if the caller knows the VM is stopped and should be marked as such." }], responseKeys: ROUTER_KEYS },
  { name: "startRouter", description: "Starts a router.", isAsync: true, javaClass: `${ROUTER}StartRouterCmd`, params: [routerId("the ID of the router")], responseKeys: ROUTER_KEYS },
  { name: "restartVPC", description: "Restarts a VPC", isAsync: true, javaClass: "org.apache.cloudstack.api.command.user.vpc.RestartVPCCmd", params: [
    { name: "id", type: "uuid", entity: "vpcs", required: true, description: "the id of the VPC" },
    { name: "cleanup", type: "boolean", since: "4.6", description: "If cleanup old network elements" },
    { name: "makeredundant", type: "boolean", since: "4.6", description: "Turn a single VPC into a redundant one." },
    { name: "livepatch", type: "boolean", since: "4.17.0", description: "Live patches the router software before restarting it. This parameter will only work when 'cleanup' is false." },
  ], responseKeys: ["success", "displaytext"] },
];
