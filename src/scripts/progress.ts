import { performance } from 'node:perf_hooks';

/**
 * A progress bar on stderr for the command-line scripts: `[####------] done/total unit, rate/s`,
 * redrawn in place on a terminal and one line per call otherwise (logs, CI). The rate counts
 * from the bar's creation. Call it with (done, total); write a newline when the work is over.
 */
export function progressBar(unit: string): (done: number, total: number) => void {
  const started = performance.now();
  const number = (n: number) => n.toLocaleString('en-GB');
  return (done, total) => {
    const width = 30;
    const filled = total ? Math.min(width, Math.round((done / total) * width)) : width;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? `, ${number(Math.round(done / seconds))}/s` : '';
    const text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${number(done)}/${number(total)} ${unit}${rate}`;
    process.stderr.write(process.stderr.isTTY ? `\r${text}\x1b[K` : `${text}\n`);
  };
}
