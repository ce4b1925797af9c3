import { fingerprintOf, keyTypeOf, parseHostKeyPin, type HostKeyPin } from "../model/host-key-pin";

// The pin grammar is validation (model/); the push re-exports it next to the mismatch error it raises.
export { fingerprintOf, keyTypeOf, parseHostKeyPin, type HostKeyPin };

/** Thrown when the presented key differs from the pin (or is missing). Carries fingerprints only. */
export class HostKeyMismatchError extends Error {
  readonly code = "host-key-mismatch";
  constructor(
    readonly target: string,
    readonly field: string,
    readonly expected: string,
    readonly presented: string,
    readonly presentedType: string,
    /** Why an opt-in did not apply (appended to the message). */
    readonly note?: string,
  ) {
    super(
      `ssh ${target}: host key refused: \`${field}\` pins ${expected}, the server presented ${presented} (${presentedType}). ${note ? `${note}. ` : ""}` +
        "Nothing was sent. If the gateway was rebuilt or its key rotated, confirm the new fingerprint out of band " +
        `(on the gateway: \`ssh-keygen -lf /etc/ssh/ssh_host_${presentedType.replace(/^ssh-/, "")}_key.pub\`) and set \`${field}\` to ${presented}; otherwise treat this as an interception attempt`,
    );
    this.name = "HostKeyMismatchError";
  }
}
