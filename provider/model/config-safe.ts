/**
 * Every value that lands in a strongSwan or firewall file must stay one token: a character that ends a value,
 * opens a comment, quotes, escapes, nests a section or expands a macro could change what the file means.
 */
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;

export interface SafetyOptions {
  /** DN IKE IDs are quoted in the files, so they may contain spaces. */
  allowSpaces?: boolean;
}

/** Names the first character that could change a config file's meaning, or returns undefined when safe. */
export function configUnsafeReason(value: string, options: SafetyOptions = {}): string | undefined {
  const control = CONTROL.exec(value);
  if (control) return `contains a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}, e.g. a newline)`;
  if (value.includes('"')) return 'contains a double quote (")';
  if (value.includes("'")) return "contains a single quote (')";
  if (value.includes("#")) return "contains # (starts a comment in strongSwan files)";
  if (value.includes("\\")) return "contains a backslash";
  if (/[{}]/.test(value)) return "contains { or } (opens or closes a swanctl section)";
  if (value.startsWith("%")) return "starts with % (strongSwan reads %… as a keyword such as %any)";
  if (!options.allowSpaces && /\s/.test(value)) return "contains white space";
  if (options.allowSpaces && (/^\s|\s$/.test(value) || /\s{2,}/.test(value))) return "has leading, trailing or repeated white space";
  return undefined;
}
