/**
 * The HTTP front: faults first (they happen "before anything"), then the steps of CloudStack's ApiServlet/ApiServer
 * in order — response type, signature (401), API limit (429), command lookup (432), parameter processing (431),
 * the handler (sync reply or `{id, jobid}`), with exceptions mapped to CloudStack's error envelope.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { accountByApiKey } from "./accounts";
import type { CommandDef } from "./api-catalog";
import { HANDLERS } from "./commands";
import type { CommandContext } from "./commands/context";
import type { RouterEnv } from "./connection-lifecycle";
import * as texts from "./error-texts";
import { asCloudStackError } from "./errors";
import type { FaultInjector } from "./faults";
import { sendError, sendJson, sendPlain } from "./http-replies";
import type { JobRunner } from "./jobs";
import { processParams } from "./params";
import { verifyRequest } from "./signature";
import type { ApiVariant } from "./types";
import type { World } from "./world";

export const API_PATH = "/client/api";
const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerDeps {
  world: World;
  variant: ApiVariant;
  catalog: ReadonlyMap<string, CommandDef>;
  faults: FaultInjector;
  jobs: JobRunner;
  env: RouterEnv;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error("request body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Query string first, then the form body; the first value of a repeated name wins (`String[]` element 0). */
function collectParams(url: URL, body: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  const add = (search: URLSearchParams) => {
    for (const [name, value] of search) if (!params.has(name)) params.set(name, value);
  };
  add(url.searchParams);
  if (body !== undefined) add(new URLSearchParams(body));
  return params;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createRequestListener(deps: ServerDeps): RequestListener {
  return (req, res) => {
    const fault = deps.faults.onRequest();
    if (fault === "reset") {
      req.socket.destroy();
      return;
    }
    void (async () => {
      const reply = await answer(deps, req, fault === "http503");
      if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
      if (!res.destroyed) reply(res);
    })();
  };
}

type Reply = (res: ServerResponse) => void;

async function answer(deps: ServerDeps, req: IncomingMessage, http503: boolean): Promise<Reply> {
  if (http503) return (res) => sendPlain(res, 503, "503 Service Unavailable (local-cloud fault injection)");
  const url = new URL(req.url ?? "/", "http://local-cloud");
  if (url.pathname !== API_PATH && url.pathname !== `${API_PATH}/`) {
    return (res) => sendPlain(res, 404, `Not found: the CloudStack API lives at ${API_PATH}`);
  }
  if (req.method !== "GET" && req.method !== "POST") {
    return (res) => {
      res.setHeader("Allow", "GET, POST");
      sendPlain(res, 405, "Method not allowed: use GET or POST");
    };
  }
  let body: string | undefined;
  if (req.method === "POST") {
    try {
      body = await readBody(req);
    } catch {
      return (res) => sendPlain(res, 413, "Request body too large");
    }
  }
  try {
    return handle(deps, collectParams(url, body));
  } catch (error) {
    // A bug here must not kill the server; it answers like CloudStack's catch-all.
    const failure = asCloudStackError(error);
    return (res) => sendError(res, "errorresponse", 530, failure.message, failure.csErrorCode);
  }
}

function handle(deps: ServerDeps, raw: Map<string, string>): Reply {
  const command = raw.get("command");
  const def = command === undefined ? undefined : deps.catalog.get(command);
  const responseName = def ? `${def.name.toLowerCase()}response` : "errorresponse";
  if ((raw.get("response") ?? "").toLowerCase() !== "json") {
    const text = "local-cloud answers only JSON: add response=json to the request (XML replies are not implemented)";
    return (res) => sendJson(res, 400, { [responseName]: { errorcode: 400, errortext: text } }, text);
  }
  const verdict = verifyRequest(raw, (key) => accountByApiKey(deps.world, key)?.secretKey, deps.world.nowMs());
  if (!verdict.ok) return (res) => sendError(res, responseName, 401, texts.UNABLE_TO_VERIFY);
  const account = accountByApiKey(deps.world, verdict.apiKey)!;
  const retryAfterMs = deps.faults.throttle(account.apiKey, Date.now());
  if (retryAfterMs !== undefined) {
    const text = texts.apiLimitReached(retryAfterMs);
    return (res) => sendJson(res, 429, { [responseName]: { errorcode: 429, errortext: text } }, text);
  }
  if (!def) return (res) => sendError(res, "errorresponse", 432, texts.unknownCommand(command!), 9999);
  const isRootAdmin = account.type === 1;
  try {
    const params = processParams(deps.world, def, raw, isRootAdmin);
    const caller = { account, isRootAdmin };
    const ctx: CommandContext = {
      world: deps.world,
      variant: deps.variant,
      caller,
      params,
      def,
      catalog: deps.catalog,
      env: deps.env,
      render: { world: deps.world, variant: deps.variant, isRootAdmin },
      apiLimitPerSecond: deps.faults.throttlePerSecond,
    };
    const result = HANDLERS.get(def.name)!(ctx);
    if (result.kind === "sync") return (res) => sendJson(res, 200, { [responseName]: result.body });
    const job = deps.jobs.submit({
      command: def.name,
      cmdClass: def.javaClass,
      accountId: account.id,
      userId: account.userId,
      ...(result.work.instanceType !== undefined ? { instanceType: result.work.instanceType } : {}),
      ...(result.work.entityId !== undefined ? { instanceId: result.work.entityId } : {}),
      execute: result.work.execute,
    });
    const reply = result.work.entityId !== undefined ? { id: result.work.entityId, jobid: job.uuid } : { jobid: job.uuid };
    return (res) => sendJson(res, 200, { [responseName]: reply });
  } catch (error) {
    const failure = asCloudStackError(error);
    const code = failure.syncErrorCode;
    return (res) => sendError(res, responseName, code, failure.syncTextFor(isRootAdmin), failure.csErrorCode);
  }
}
