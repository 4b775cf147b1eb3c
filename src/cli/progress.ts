import { SingleBar, Presets } from "cli-progress";

/** A progress bar on stderr for bulk work; silent when stderr is not a terminal or output is JSON. */
export function progressBar(label: string, total: number, quiet: boolean) {
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, stream: process.stderr, hideCursor: true, noTTYOutput: false }, Presets.shades_classic);
  const show = !quiet && process.stderr.isTTY === true;
  if (show) bar.start(total, 0);
  return {
    increment: (n: number) => show && bar.increment(n),
    setTotal: (n: number) => show && bar.setTotal(n),
    stop: () => show && bar.stop(),
  };
}
