/**
 * A one-line progress bar on stderr, in place of the cli-progress package (#15 item 19: the
 * CLI should not add runtime dependencies). On a terminal the line is redrawn in place at
 * most every 100 ms; elsewhere (a pipe, a log file, CI) a new line is written at most once a
 * second, and a last one when the bar stops, so logs stay short and still end at 100 %.
 */
const WIDTH = 40;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export class ProgressLine {
  private total = 1;
  private value = 0;
  private payload: Record<string, string> = {};
  private lastDraw = -Infinity;
  private running = false;

  /** `format` uses {bar}, {percentage}, {value}, {total} and the payload's keys, e.g. 'reading |{bar}| {percentage}%'. */
  constructor(
    private readonly format: string,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(total: number, value = 0, payload: Record<string, string> = {}): void {
    this.total = total;
    this.running = true;
    this.update(value, payload);
  }

  update(value: number, payload: Record<string, string> = {}): void {
    if (!this.running) return;
    this.value = value;
    this.payload = { ...this.payload, ...payload };
    if (this.now() - this.lastDraw >= (this.stream.isTTY ? 100 : 1000)) this.draw();
  }

  /** Draws the final state and ends the line. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.draw();
    if (this.stream.isTTY) this.stream.write('\n');
  }

  /** The line for the current state (without cursor movement). */
  render(): string {
    const fraction = this.total > 0 ? Math.min(Math.max(this.value / this.total, 0), 1) : 1;
    const filled = Math.round(fraction * WIDTH);
    const fields: Record<string, string> = {
      ...this.payload,
      bar: '\u2588'.repeat(filled) + '\u2591'.repeat(WIDTH - filled),
      percentage: String(Math.floor(fraction * 100)),
      value: String(this.value),
      total: String(this.total),
    };
    return this.format.replace(/\{(\w+)\}/g, (whole, key: string) => fields[key] ?? whole);
  }

  private draw(): void {
    this.lastDraw = this.now();
    // On a terminal: back to the line's start, redraw, erase what a longer previous line left.
    this.stream.write(this.stream.isTTY ? `\r${this.render()}\x1b[K` : `${this.render()}\n`);
  }
}
