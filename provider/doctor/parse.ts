/**
 * Reads charon log lines in the three shapes operators have: charon's own filelog (`[time ]NN[IKE] text`), syslog
 * (`Dec  2 11:47:07 vr charon: NN[IKE] text`, also rsyslog ISO stamps) and the journal (`… charon[123]: NN[IKE] …`).
 * Lines that are not charon's are skipped, so a whole /var/log/syslog or daemon.log can be given as it is.
 */
export interface LogLine {
  /** 1-based line number in the input. */
  n: number;
  /** The line as written (trimmed of the line break); quoted as evidence after redaction. */
  raw: string;
  /** What precedes the thread number (time stamp, host, ident), possibly empty. */
  stamp: string;
  /** charon worker thread: lines of one job share it. */
  thread: number;
  /** Log group: IKE, CFG, NET, ENC, KNL, DMN, … */
  group: string;
  /** `<name|N>` prefix when charon logs with ike_name = yes. */
  conn?: string;
  ikeSaId?: number;
  text: string;
}

// `05[IKE] <conn|12> text` or `05[IKE] <12> text`, preceded by the start of the line, a blank or the ident's colon.
const CHARON = /(?:^|[\s:])(\d{2,3})\[([A-Z]{3})\]\s(?:<(?:([^|>]*)\|)?(\d+)>\s)?(.*)$/;
// A syslog/journal line from another program must not be read as charon's even if it contains NN[XXX].
const IDENT = /(?:^|\s)([A-Za-z][\w.-]*?)(?:\[\d+\])?:(?=\s|$)/g;
const CHARON_IDENTS = /^(charon|charon-systemd|charon-cmd|ipsec|ipsec_starter|strongswan|starter)$/;

export function parseCharonLog(text: string): LogLine[] {
  const out: LogLine[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const m = CHARON.exec(raw);
    if (!m) return;
    const stamp = raw.slice(0, m.index + (m[0].startsWith(m[1]!) ? 0 : 1)).trim();
    // The last `program:` / `program[pid]:` token of a syslog or journal prefix names the writer.
    const ident = [...stamp.matchAll(IDENT)].pop()?.[1];
    if (ident !== undefined && !CHARON_IDENTS.test(ident)) return;
    const line: LogLine = { n: i + 1, raw, stamp, thread: Number(m[1]), group: m[2]!, text: m[5]!.trimEnd() };
    if (m[4] !== undefined) {
      line.ikeSaId = Number(m[4]);
      if (m[3]) line.conn = m[3];
    }
    out.push(line);
  });
  return out;
}
