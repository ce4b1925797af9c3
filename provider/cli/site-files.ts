import { readFile } from "node:fs/promises";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { makeIssue, type Issue } from "../model/issues";
import { parseSite, type SiteSpec } from "../model/site";

export interface LoadedSite {
  file: string;
  site?: SiteSpec;
  issues: Issue[];
}

/** Reads a YAML or JSON document (JSON is YAML); problems come back as issues naming the file and line. */
export async function readDocument(file: string): Promise<{ value?: unknown; issues: Issue[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return { issues: [makeIssue(file, "unreadable", `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)] };
  }
  try {
    return { value: parseYaml(text, { prettyErrors: true, uniqueKeys: true }), issues: [] };
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : "";
    // Only the first line: prettyErrors appends the offending source line, which may hold a literal PSK. The yaml
    // library ends that line with its own " at line L, column C:", already given in `where`.
    const reason = error instanceof YAMLParseError ? (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "") : String(error);
    return { issues: [makeIssue(file, "unparsable", `is not valid YAML/JSON${where}: ${reason}`)] };
  }
}

export async function loadSiteFile(file: string): Promise<LoadedSite> {
  const doc = await readDocument(file);
  if (doc.issues.length > 0) return { file, issues: doc.issues };
  const { site, issues } = parseSite(doc.value);
  return { file, ...(site ? { site } : {}), issues };
}
