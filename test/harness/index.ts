// Public surface of the provider test harness: serialize a dynamic provider as `pulumi up` would, run it in the
// SDK's own host over gRPC, and drive it with an engine emulation (see README.md in this folder).
export { serializeProvider, SerializeError, type SerializeProviderOptions, type SerializedProvider } from "./serialize";
export {
  startProviderHost,
  namespaceConfig,
  HostCallError,
  type ProviderHost,
  type ProviderHostOptions,
  type ConfigValue,
  type CheckResult,
  type CheckFailure,
  type DiffResult,
  type DiffChanges,
} from "./provider-host";
export { liveHostGroups, isGroupAlive, PROJECT_ROOT } from "./host-process";
export { createEngine, Engine, type EngineOptions, type ResourceState, type UpResult, type PreviewResult, type RefreshResult, type CallRecord } from "./engine";
export { EngineError, CheckFailedError } from "./engine-errors";
export {
  SIG_KEY,
  SECRET_SIG,
  UNKNOWN,
  secret,
  isSecret,
  containsSecrets,
  stripSecrets,
  annotateSecrets,
  markAdditionalSecretOutputs,
  toPropertyMap,
  type PropertyMap,
  type PropertyValue,
} from "./wire";
