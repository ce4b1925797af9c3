/**
 * The CloudStack API client core: sign, pace, send, parse the envelope, retry what is transient. Typed commands
 * (`commands/`), async-job waiting and pagination are plain functions over this class, as in the AWS SDK's
 * separate signing/retry/parsing steps. No module-level state: every cache lives on the instance, because the
 * Pulumi provider builds one client per provider method call.
 */
import { CloudStackApiError, CloudStackConfigError, CloudStackResponseError, CloudStackTransportError } from "./errors";
import { type CloudStackCredentials, resolveCredentials } from "./credentials";
import { createNodeTransport, type NodeTransportOptions, type Transport } from "./transport";
import { backoffDelayMs, classifyFailure, DEFAULT_RETRY_POLICY, parseRetryAfterMs, type RetryPolicy } from "./retry";
import { type Clock, createRateLimiter, type RateLimiter, type Sleep } from "./rate-limit";
import { encodeFormBody, formatExpires, signParams } from "./sign";
import { describeParams, isSecretParam, scrubSecrets } from "./redact";
import { DEFAULT_JOB_POLLING, type JobPollingOptions } from "./job-polling";

/** A parameter value as the typed commands produce it; arrays become comma-separated lists. */
export type ApiParamValue = string | number | boolean | readonly string[] | undefined;
export type ApiParams = Readonly<Record<string, ApiParamValue>>;

/** Receives debug lines (command, attempt, HTTP status, duration). Secret parameter values are never passed. */
export interface CloudStackLogger {
  debug(line: string): void;
  warn?(line: string): void;
}

export interface CloudStackClientOptions extends Partial<CloudStackCredentials>, NodeTransportOptions {
  /**
   * Where `apiUrl`/`apiKey`/`secretKey` are looked up when not given.
   *
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** @default 30000 */
  requestTimeoutMs?: number;
  /**
   * Lifetime of each signed request (`expires`, signatureversion 3). Covers clock skew with the server.
   *
   * @default 600
   */
  signatureTtlSeconds?: number;
  retry?: Partial<RetryPolicy>;
  jobPolling?: Partial<JobPollingOptions>;
  /**
   * Client-side pacing, to stay under CloudStack's `api.throttling.max` instead of being refused with 429.
   *
   * @default - no pacing; 429 replies are retried with backoff
   */
  maxRequestsPerSecond?: number;
  logger?: CloudStackLogger;
  /** @default - node http/https with keep-alive */
  transport?: Transport;
  /** Injectable for tests. @default Date.now */
  clock?: Clock;
  /** Injectable for tests. @default setTimeout-based */
  sleep?: Sleep;
  /** Injectable for tests (backoff jitter). @default Math.random */
  random?: () => number;
}

export interface CallOptions {
  /**
   * Resend after an ambiguous failure (reset after sending, timeout, 502/503/504)? True for commands that can be
   * repeated; `create*` passes false and looks its object up instead (see `create-once.ts`).
   *
   * @default true
   */
  retryAmbiguous?: boolean;
}

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class CloudStackClient {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly retryPolicy: RetryPolicy;
  readonly jobPolling: JobPollingOptions;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly logger: CloudStackLogger | undefined;
  /** Per-client memo (e.g. `listApis`), so capability probes cost one request per client. */
  readonly cache = new Map<string, Promise<unknown>>();
  // A private field: invisible to JSON.stringify, util.inspect and enumeration.
  readonly #secretKey: string;
  readonly #transport: Transport;
  readonly #ownedTransport: { close(): void } | undefined;
  readonly #limiter: RateLimiter;
  readonly #requestTimeoutMs: number;
  readonly #signatureTtlMs: number;

  constructor(options: CloudStackClientOptions = {}) {
    const credentials = resolveCredentials(options, options.env ?? process.env);
    this.apiUrl = credentials.apiUrl;
    this.apiKey = credentials.apiKey;
    this.#secretKey = credentials.secretKey;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.jobPolling = { ...DEFAULT_JOB_POLLING, ...options.jobPolling };
    if (!(this.retryPolicy.maxAttempts >= 1)) {
      throw new CloudStackConfigError(`\`retry.maxAttempts\` ${this.retryPolicy.maxAttempts} is below 1; use 1 to disable retries`);
    }
    this.clock = options.clock ?? { now: () => Date.now() };
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.logger = options.logger;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#signatureTtlMs = (options.signatureTtlSeconds ?? 600) * 1000;
    if (options.transport !== undefined) {
      this.#transport = options.transport;
    } else {
      const owned = createNodeTransport(options);
      this.#transport = owned;
      this.#ownedTransport = owned;
    }
    if (options.insecureSkipTlsVerify === true && this.apiUrl.startsWith("https:")) {
      this.logger?.warn?.(`cloudstack client: TLS certificate verification is OFF for ${new URL(this.apiUrl).host} (insecureSkipTlsVerify)`);
    }
    this.#limiter = createRateLimiter(options.maxRequestsPerSecond, this.clock, this.sleep);
  }

  /** Closes idle keep-alive sockets of the built-in transport. */
  close(): void {
    this.#ownedTransport?.close();
  }

  /**
   * Sends one command and returns the object inside `<command>response`. Retries throttling and refused
   * connections; retries ambiguous failures only when `retryAmbiguous` (the default).
   */
  async call(command: string, params: ApiParams = {}, options: CallOptions = {}): Promise<Record<string, unknown>> {
    const apiParams = stringifyParams(params);
    const secrets = [this.#secretKey, ...Object.entries(apiParams).filter(([k]) => isSecretParam(k)).map(([, v]) => v)];
    const { maxAttempts } = this.retryPolicy;
    for (let attempt = 1; ; attempt++) {
      await this.#limiter.acquire();
      const startedMs = this.clock.now();
      try {
        const { status, inner } = await this.#sendOnce(command, apiParams, secrets);
        this.#log(command, attempt, startedMs, `HTTP ${status}`, attempt === 1 ? apiParams : undefined);
        return inner;
      } catch (error) {
        const failure = classifyFailure(error);
        this.#log(command, attempt, startedMs, describeFailure(error), attempt === 1 ? apiParams : undefined);
        const giveUp =
          failure === "final" || attempt >= maxAttempts || (failure === "ambiguous" && options.retryAmbiguous === false);
        if (giveUp) throw error;
        const retryAfterMs = error instanceof CloudStackApiError ? error.retryAfterMs : undefined;
        const delayMs = backoffDelayMs(attempt, this.retryPolicy, this.random, retryAfterMs);
        if (failure === "throttled") this.#limiter.pauseUntil(this.clock.now() + delayMs);
        this.logger?.debug(`cloudstack ${command} attempt ${attempt} ${failure}; retrying in ${delayMs} ms`);
        await this.sleep(delayMs);
      }
    }
  }

  async #sendOnce(command: string, params: Record<string, string>, secrets: string[]): Promise<{ status: number; inner: Record<string, unknown> }> {
    const signed: Record<string, string> = {
      ...params,
      command,
      response: "json",
      apiKey: this.apiKey,
      signatureversion: "3",
      expires: formatExpires(this.clock.now() + this.#signatureTtlMs),
    };
    signed.signature = signParams(signed, this.#secretKey);
    const response = await this.#transport({
      command,
      url: this.apiUrl,
      body: encodeFormBody(signed),
      timeoutMs: this.#requestTimeoutMs,
    });
    const retryAfterMs = parseRetryAfterMs(response.headers["retry-after"], this.clock.now());
    const ok = response.status >= 200 && response.status < 300;
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      if (ok) throw new CloudStackResponseError(command, `body is not JSON (${response.body.length} bytes, HTTP ${response.status})`);
      const description = headerText(response.headers["x-description"]);
      throw new CloudStackApiError({
        command,
        httpStatus: response.status,
        errorText: scrubSecrets(description ?? `non-JSON reply of ${response.body.length} bytes`, secrets),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    const inner = envelopeOf(parsed, command);
    const errorCode = toNumber(inner?.errorcode);
    if (!ok || errorCode !== undefined) {
      const csErrorCode = toNumber(inner?.cserrorcode);
      const text = typeof inner?.errortext === "string" ? inner.errortext : (headerText(response.headers["x-description"]) ?? `HTTP ${response.status}`);
      throw new CloudStackApiError({
        command,
        httpStatus: response.status,
        ...(errorCode !== undefined ? { errorCode } : {}),
        ...(csErrorCode !== undefined ? { csErrorCode } : {}),
        errorText: scrubSecrets(text, secrets),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    if (inner === undefined) throw new CloudStackResponseError(command, `no \`${command.toLowerCase()}response\` object in the reply`);
    return { status: response.status, inner };
  }

  #log(command: string, attempt: number, startedMs: number, outcome: string, params?: Record<string, string>): void {
    if (this.logger === undefined) return;
    const ms = Math.round(this.clock.now() - startedMs);
    const paramText = params !== undefined && Object.keys(params).length > 0 ? ` params: ${describeParams(params)}` : "";
    this.logger.debug(`cloudstack ${command} attempt ${attempt}/${this.retryPolicy.maxAttempts}: ${outcome} in ${ms} ms${paramText}`);
  }

  /** Redacts the secret key when the client is logged or serialised. */
  toJSON(): Record<string, unknown> {
    return { apiUrl: this.apiUrl, apiKey: this.apiKey };
  }
}

function stringifyParams(params: ApiParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return out;
}

/** `{"<cmd>response": {...}}`; `errorresponse` for unknown commands; or whatever single `*response` key. */
function envelopeOf(parsed: unknown, command: string): Record<string, unknown> | undefined {
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const key =
    [`${command.toLowerCase()}response`, "errorresponse"].find((k) => k in record) ??
    Object.keys(record).find((k) => k.endsWith("response"));
  const inner = key === undefined ? undefined : record[key];
  return typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>) : undefined;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function headerText(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === "" ? undefined : text;
}

function describeFailure(error: unknown): string {
  if (error instanceof CloudStackApiError) {
    return `HTTP ${error.httpStatus}${error.errorCode !== undefined ? ` errorcode ${error.errorCode}` : ""}`;
  }
  if (error instanceof CloudStackTransportError) return `no answer (${error.kind}${error.errno ? ` ${error.errno}` : ""})`;
  return `failed (${(error as Error)?.name ?? "error"})`;
}
