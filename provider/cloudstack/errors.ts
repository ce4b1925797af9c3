/**
 * Every error the CloudStack client throws, with its wording in one place (style.md: one `errors.ts` per layer).
 *
 * The rule for every class here: keep CloudStack's own fields so people can search for them, and never carry a
 * secret — no request body (it holds the PSK), no signature, no secret key, no raw response body of a list
 * command (it holds `ipsecpsk`). Only plain fields are stored, so `JSON.stringify(error)` is safe too.
 */

/** Base class so callers can catch anything the client throws with one `instanceof`. */
export class CloudStackError extends Error {
  /** Stable machine-readable code, alongside the text. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A synchronous API failure: CloudStack answered with an error envelope or a non-2xx HTTP status. */
export class CloudStackApiError extends CloudStackError {
  readonly command: string;
  readonly httpStatus: number;
  /** CloudStack's `errorcode` (an `ApiErrorCode`: 401, 429, 431, 530…), when the body carried one. */
  readonly errorCode?: number;
  /** CloudStack's `cserrorcode` (the exception class: 4350, 4250…), when the body carried one. */
  readonly csErrorCode?: number;
  readonly errorText: string;
  /** Set when the failure came while polling this async job, so a later run can resume it. */
  readonly jobId?: string;
  /** The server's `Retry-After`, in ms, on a 429/503. */
  readonly retryAfterMs?: number;
  constructor(fields: {
    command: string;
    httpStatus: number;
    errorCode?: number;
    csErrorCode?: number;
    errorText: string;
    jobId?: string;
    retryAfterMs?: number;
  }) {
    super("CLOUDSTACK_API_ERROR", apiErrorMessage(fields));
    this.command = fields.command;
    this.httpStatus = fields.httpStatus;
    if (fields.errorCode !== undefined) this.errorCode = fields.errorCode;
    if (fields.csErrorCode !== undefined) this.csErrorCode = fields.csErrorCode;
    this.errorText = fields.errorText;
    if (fields.jobId !== undefined) this.jobId = fields.jobId;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
  }
}

function apiErrorMessage(f: { command: string; httpStatus: number; errorCode?: number; csErrorCode?: number; errorText: string }): string {
  const codes: string[] = [];
  if (f.errorCode !== undefined) codes.push(`errorcode ${f.errorCode}`);
  if (f.csErrorCode !== undefined) codes.push(`cserrorcode ${f.csErrorCode}`);
  if (codes.length === 0 || (f.errorCode !== undefined && f.errorCode !== f.httpStatus)) codes.unshift(`HTTP ${f.httpStatus}`);
  return `cloudstack ${f.command} failed (${codes.join(", ")}): ${f.errorText}`;
}

/** An async job that ended in FAILED (jobstatus 2) or CANCELLED (3). */
export class CloudStackAsyncJobError extends CloudStackError {
  readonly command: string;
  readonly jobId: string;
  /** The id CloudStack returned from a `create*` before the job ran; the row may still exist (e.g. in `Error`). */
  readonly entityId?: string;
  readonly jobStatus: number;
  readonly jobResultCode: number;
  /** `jobresult.errorcode` (usually equal to `jobResultCode`). */
  readonly errorCode?: number;
  readonly errorText: string;
  readonly elapsedMs: number;
  constructor(fields: {
    command: string;
    jobId: string;
    entityId?: string;
    jobStatus: number;
    jobResultCode: number;
    errorCode?: number;
    errorText: string;
    elapsedMs: number;
  }) {
    super(
      "CLOUDSTACK_ASYNC_JOB_FAILED",
      `cloudstack async job ${fields.jobId} (${fields.command}) failed after ${formatSeconds(fields.elapsedMs)}` +
        ` (jobresultcode ${fields.jobResultCode}${fields.jobStatus === 3 ? ", cancelled" : ""}): ${fields.errorText}`,
    );
    this.command = fields.command;
    this.jobId = fields.jobId;
    if (fields.entityId !== undefined) this.entityId = fields.entityId;
    this.jobStatus = fields.jobStatus;
    this.jobResultCode = fields.jobResultCode;
    if (fields.errorCode !== undefined) this.errorCode = fields.errorCode;
    this.errorText = fields.errorText;
    this.elapsedMs = fields.elapsedMs;
  }
}

/**
 * The job was still running at the deadline. It is NOT cancelled: it keeps running in CloudStack, so the caller
 * must resume with `waitForAsyncJob(client, error.jobId)` rather than submit the command again.
 */
export class CloudStackJobTimeoutError extends CloudStackError {
  readonly command: string;
  readonly jobId: string;
  readonly entityId?: string;
  readonly waitedMs: number;
  constructor(fields: { command: string; jobId: string; entityId?: string; waitedMs: number }) {
    super(
      "CLOUDSTACK_JOB_TIMEOUT",
      `cloudstack async job ${fields.jobId} (${fields.command}${fields.entityId ? ` of ${fields.entityId}` : ""}) ` +
        `still running after ${formatSeconds(fields.waitedMs)}; it was not cancelled: resume with ` +
        `waitForAsyncJob(client, "${fields.jobId}") instead of sending ${fields.command} again, or raise \`jobTimeoutMs\``,
    );
    this.command = fields.command;
    this.jobId = fields.jobId;
    if (fields.entityId !== undefined) this.entityId = fields.entityId;
    this.waitedMs = fields.waitedMs;
  }
}

/** Reasons a request got no HTTP answer. `refused` ones never reached CloudStack; the rest may have. */
export type TransportFailureKind = "refused" | "reset" | "timeout" | "network";

/** No HTTP answer: connection refused/reset, socket hang up, DNS, TLS, or our own request timeout. */
export class CloudStackTransportError extends CloudStackError {
  readonly command: string;
  readonly kind: TransportFailureKind;
  /** The node error code (ECONNRESET, ECONNREFUSED, ETIMEDOUT, CERT_HAS_EXPIRED…), when there was one. */
  readonly errno?: string;
  constructor(fields: { command: string; kind: TransportFailureKind; errno?: string; detail: string; apiHost: string }) {
    super(
      "CLOUDSTACK_TRANSPORT_ERROR",
      `cloudstack ${fields.command} to ${fields.apiHost} got no answer (${fields.kind}${fields.errno ? ` ${fields.errno}` : ""}): ${fields.detail}`,
    );
    this.command = fields.command;
    this.kind = fields.kind;
    if (fields.errno !== undefined) this.errno = fields.errno;
  }
}

/** CloudStack answered 2xx but the body is not what the contract says (missing field, wrong type, not JSON). */
export class CloudStackResponseError extends CloudStackError {
  readonly command: string;
  constructor(command: string, problem: string) {
    super("CLOUDSTACK_BAD_RESPONSE", `cloudstack ${command} returned an unexpected response: ${problem}`);
    this.command = command;
  }
}

/** Bad client options (missing credentials, invalid URL, unreadable CA bundle). */
export class CloudStackConfigError extends CloudStackError {
  constructor(message: string) {
    super("CLOUDSTACK_CONFIG_ERROR", message);
  }
}

export const missingCredential = (option: string, envVar: string): string =>
  `\`${option}\` is not set and the environment variable ${envVar} is empty; pass \`${option}\` to the CloudStack ` +
  `client or export ${envVar}`;

export const invalidApiUrl = (value: string, reason: string): string =>
  `\`apiUrl\` ${JSON.stringify(value)} ${reason}; use the API endpoint URL, e.g. https://cloud.example.com/client/api`;

export const unreadableCaBundle = (path: string, reason: string): string =>
  `\`caBundle\` ${JSON.stringify(path)} cannot be read (${reason}); pass a readable PEM file path or the PEM text itself`;

export const ambiguousCreateWithoutKey = (command: string): string =>
  `cannot safely retry ${command}: it may have been applied, and without a unique key (name) it cannot be looked up`;

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}
