/**
 * CloudStack's error model: which Java exception a failure is, and how the API layer turns that into an HTTP
 * status, `errorcode` and `cserrorcode` (contract §1.4) — differently for a synchronous reply and inside a job.
 */

/** The Java exception class a CloudStack failure would carry; it decides codes (contract §1.4). */
export type JavaExceptionKind =
  | "InvalidParameterValue"
  | "PermissionDenied"
  | "ResourceUnavailable"
  | "CloudRuntime"
  | "NetworkRuleConflict"
  | "ServerApi"
  | "Unhandled";

/** `CSExceptionErrorCode` values (contract §1.4). */
export const CS_ERROR_CODES: Record<JavaExceptionKind, number> = {
  InvalidParameterValue: 4350,
  CloudRuntime: 4250,
  PermissionDenied: 4365,
  ResourceUnavailable: 4380,
  NetworkRuleConflict: 4360,
  ServerApi: 9999,
  Unhandled: 9999,
};

/** `BaseCmd.USER_ERROR_MESSAGE`: what non-root-admin callers see instead of an internal error's real text. */
export const USER_ERROR_MESSAGE = "Internal error executing command, please contact your system administrator";

export class CloudStackError extends Error {
  constructor(
    readonly kind: JavaExceptionKind,
    message: string,
    /** Only for `ServerApi`: the `ApiErrorCode` it was raised with. */
    readonly serverApiCode?: number,
  ) {
    super(message);
    this.name = "CloudStackError";
  }

  /** HTTP status and `errorcode` when the failure surfaces synchronously (`ApiServer.handleRequest`). */
  get syncErrorCode(): number {
    switch (this.kind) {
      case "InvalidParameterValue":
        return 431;
      case "PermissionDenied":
        return 531;
      case "ResourceUnavailable":
        return 534;
      case "NetworkRuleConflict":
        return 537;
      case "ServerApi":
        return this.serverApiCode ?? 530;
      default:
        return 530;
    }
  }

  /** `jobresultcode` when the failure happens inside an async job (`ApiAsyncJobDispatcher`). */
  get jobErrorCode(): number {
    if (this.kind === "InvalidParameterValue") return 431;
    // The S2S commands rethrow ResourceUnavailableException as ServerApiException(534).
    if (this.kind === "ResourceUnavailable") return 534;
    if (this.kind === "ServerApi") return this.serverApiCode ?? 530;
    return 530;
  }

  get csErrorCode(): number {
    return CS_ERROR_CODES[this.kind];
  }

  /** Internal errors are masked for everyone but the root admin (contract §1.4). */
  syncTextFor(isRootAdmin: boolean): string {
    const masked = this.kind !== "ServerApi" && (this.syncErrorCode === 530 || this.syncErrorCode === 534);
    return masked && !isRootAdmin ? USER_ERROR_MESSAGE : this.message;
  }
}

export const invalidParameterValue = (text: string): CloudStackError => new CloudStackError("InvalidParameterValue", text);
export const permissionDenied = (text: string): CloudStackError => new CloudStackError("PermissionDenied", text);
export const cloudRuntime = (text: string): CloudStackError => new CloudStackError("CloudRuntime", text);
export const serverApi = (code: number, text: string): CloudStackError => new CloudStackError("ServerApi", text, code);
export const unhandled = (text: string): CloudStackError => new CloudStackError("Unhandled", text);

/** `ResourceUnavailableException`'s constructor builds this text from the scope class and id (contract §2.4). */
export function resourceUnavailable(scope: string, id: number, message: string): CloudStackError {
  return new CloudStackError("ResourceUnavailable", `Resource [${scope}:${id}] is unreachable: ${message}`);
}

/** Turns anything thrown by a handler into a CloudStack failure; a JS bug becomes an unhandled 530. */
export function asCloudStackError(error: unknown): CloudStackError {
  if (error instanceof CloudStackError) return error;
  return unhandled(error instanceof Error ? error.message : String(error));
}
