/**
 * The Prometheus text exposition format (version 0.0.4). Written here rather than with prom-client
 * because edgeq keeps no in-process counters: every scrape renders values read from the rollups.
 */
export type Labels = Record<string, string>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  samples: (Sample & { suffix?: "_bucket" | "_sum" | "_count" })[];
}

const escape = (v: string) => v.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? "" : `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(",")}}`;
}

function formatValue(v: number): string {
  if (v === Infinity) return "+Inf";
  if (Number.isNaN(v)) return "NaN";
  return String(v);
}

export function render(families: Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n")}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) lines.push(`${f.name}${s.suffix ?? ""}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A cumulative histogram's samples from per-bucket counts with upper edges in seconds. */
export function histogramSamples(labels: Labels, counts: readonly number[], upperEdgesSeconds: readonly number[], sumSeconds: number): Family["samples"] {
  const samples: Family["samples"] = [];
  let cumulative = 0;
  upperEdgesSeconds.forEach((le, i) => {
    cumulative += counts[i] ?? 0;
    samples.push({ suffix: "_bucket", labels: { ...labels, le: String(le) }, value: cumulative });
  });
  const count = counts.reduce((a, b) => a + b, 0);
  samples.push({ suffix: "_bucket", labels: { ...labels, le: "+Inf" }, value: count });
  samples.push({ suffix: "_sum", labels, value: sumSeconds }, { suffix: "_count", labels, value: count });
  return samples;
}
