/**
 * `doctor`: from charon's own logs (router or branch) to a cause and a fix. Pure: callers read the log and the
 * site; the live mode (./live) gathers the same inputs over the push's SSH access.
 */
export { CAUSES, type CauseCode, type Finding, type Side } from "./causes";
export { diagnoseLog, detectSide, type DiagnoseOptions, type Diagnosis } from "./diagnose";
export { formatFindings } from "./format";
export { parseCharonLog, type LogLine } from "./parse";
export { redactText } from "./redact";
