import Table from "cli-table3";

/** Prints command results: JSON for scripts (`--json`), tables and `key: value` lines for people. */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}

  /** A result: as JSON, or by `human`. */
  result(value: unknown, human: () => void): void {
    if (this.json) this.write(`${JSON.stringify(value, null, 2)}\n`);
    else human();
  }

  line(text: string): void {
    this.write(`${text}\n`);
  }

  /** Rows as an aligned table (no borders, so it pastes and greps well). */
  table(head: string[], rows: unknown[][]): void {
    const table = new Table({
      head,
      style: { head: [], border: [], compact: true, "padding-left": 0, "padding-right": 0 },
      chars: { top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "", left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  " },
    });
    for (const row of rows) table.push(row.map(cell));
    this.write(`${table.toString().replaceAll(/ +$/gm, "")}\n`);
  }

  /** An object's fields, one per line. */
  fields(entries: Record<string, unknown>): void {
    const width = Math.max(...Object.keys(entries).map((k) => k.length));
    for (const [k, v] of Object.entries(entries)) this.write(`${k.padEnd(width)}  ${cell(v)}\n`);
  }
}

/** A value as one table cell. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return "-";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** "3s ago" / "in 5m" for a timestamp, relative to `now`. */
export function relative(iso: string | null, now = Date.now()): string {
  if (!iso) return "-";
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  const text = abs < 60_000 ? `${Math.round(abs / 1000)}s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)}m` : abs < 86_400_000 ? `${Math.round(abs / 3_600_000)}h` : `${Math.round(abs / 86_400_000)}d`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
