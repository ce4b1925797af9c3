/**
 * The VPC's virtual routers (listRouters; admin API in CloudStack): which routers carry a VPC's public IP, their
 * ids (a re-created router has a new one) and redundant state; and the router life-cycle commands the tests and
 * operators use (rebootRouter, stopRouter, startRouter, restartVPC).
 */
import { z } from "zod";
import type { CloudStackClient } from "../client";
import { runAsyncCommand, toApiParams, type WaitOptions } from "../async-command";
import { listAll, type PaginateOptions } from "../paginate";
import type { AsyncJobResult } from "../responses";

export const routerSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  state: z.string().optional(),
  vpcid: z.string().optional(),
  publicip: z.string().optional(),
  linklocalip: z.string().optional(),
  isredundantrouter: z.boolean().optional(),
  redundantstate: z.string().optional(),
});
export type Router = z.infer<typeof routerSchema>;

export function listRouters(client: CloudStackClient, params: { vpcId?: string; id?: string } = {}, options?: PaginateOptions): Promise<Router[]> {
  return listAll(client, { command: "listRouters", itemKey: "router", schema: routerSchema }, { ...toApiParams(params), listall: true }, options);
}

export function rebootRouter(client: CloudStackClient, id: string, options: WaitOptions = {}): Promise<AsyncJobResult> {
  return runAsyncCommand(client, "rebootRouter", { id }, options) as Promise<AsyncJobResult>;
}
export function stopRouter(client: CloudStackClient, id: string, options: WaitOptions = {}): Promise<AsyncJobResult> {
  return runAsyncCommand(client, "stopRouter", { id }, options) as Promise<AsyncJobResult>;
}
export function startRouter(client: CloudStackClient, id: string, options: WaitOptions = {}): Promise<AsyncJobResult> {
  return runAsyncCommand(client, "startRouter", { id }, options) as Promise<AsyncJobResult>;
}
export function restartVpc(client: CloudStackClient, id: string, cleanup: boolean, options: WaitOptions = {}): Promise<AsyncJobResult> {
  return runAsyncCommand(client, "restartVPC", { id, cleanup }, options) as Promise<AsyncJobResult>;
}
