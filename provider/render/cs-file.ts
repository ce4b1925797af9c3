/**
 * A pure, in-memory model of CloudStack's `CsFile` line editor (systemvm/debian/opt/cloud/bin/cs/CsFile.py), as far
 * as `CsSite2SiteVpn.configure_ipsec` uses it. The VR builds its files through these operations, and their quirks
 * are part of the output (a `search` regex can replace an earlier line instead of appending; "changed" compares
 * line *sets*), so rendering through the same operations is what keeps the text byte-identical in every case.
 *
 * Lines carry their trailing "\n" exactly as CsFile keeps them. The patterns CloudStack passes (`" left="`,
 * `"conn "`, `"conn vpn-.*-2"`, `"<ip> "`) mean the same in Python `re.search` and a JavaScript RegExp.
 */
export class CsFileModel {
  /** `new_config` of CsFile. */
  private lines: string[];
  /** `config` of CsFile: the file as loaded. */
  private readonly loaded: readonly string[];

  constructor(existing?: string) {
    this.loaded = existing === undefined ? [] : splitKeepingNewlines(existing);
    this.lines = [...this.loaded];
  }

  /** `repopulate()`: start the new content from nothing (the loaded lines still count for `isChanged`). */
  repopulate(): void {
    this.lines = [];
  }

  /** `add(string, where)`: insert the line unless a line equal to it after `strip()` exists. */
  add(text: string, where = -1): boolean {
    if (this.lines.some((line) => line.trim() === text)) return false;
    if (where === -1) this.lines.push(`${text}\n`);
    else this.lines.splice(where, 0, `${text}\n`);
    return true;
  }

  /** `append(string)`: always appends (an empty string gives an empty line). */
  append(text: string): void {
    this.lines.push(`${text}\n`);
  }

  /**
   * `search(regex, replace)`: every non-comment line matching the regex is replaced by `replace` (unless it already
   * contains it); when none matched, `replace` is appended.
   */
  search(pattern: string, replace: string): void {
    const re = new RegExp(pattern);
    let found = false;
    this.lines = this.lines.map((line) => {
      if (line.trimStart().startsWith("#") || !re.test(line)) return line;
      found = true;
      return line.includes(replace) ? line : `${replace}\n`;
    });
    if (!found) this.lines.push(`${replace}\n`);
  }

  /** `addeq(" key=value")`: `search` on the token up to and including the first `=`. */
  addeq(text: string): void {
    this.search(`${text.split("=")[0]}=`, text);
  }

  /** `is_changed()`: the loaded and the new content differ as *sets* of lines (order and repeats ignored). */
  isChanged(): boolean {
    return !sameSet(this.loaded, this.lines);
  }

  /** What `commit()` would write. */
  text(): string {
    return this.lines.join("");
  }
}

/** Two file texts hold the same set of lines (CsFile's notion of "unchanged"). */
export function sameLineSet(a: string, b: string): boolean {
  return sameSet(splitKeepingNewlines(a), splitKeepingNewlines(b));
}

function sameSet(x: readonly string[], y: readonly string[]): boolean {
  const a = new Set(x);
  const b = new Set(y);
  return a.size === b.size && [...a].every((line) => b.has(line));
}

function splitKeepingNewlines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
