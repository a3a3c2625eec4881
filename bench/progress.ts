/** One line per phase on stderr, redrawn as work completes (plain lines when not a terminal). */
export class Progress {
  private name = '';
  private total = 0;
  private done = 0;
  private started = 0;
  private last = 0;

  constructor(
    private readonly quiet = false,
    private readonly tty = !!process.stderr.isTTY,
  ) {}

  phase(name: string, total: number): void {
    this.end();
    this.name = name;
    this.total = total;
    this.done = 0;
    this.started = performance.now();
    this.draw(true);
  }

  tick = (): void => {
    this.done++;
    this.draw(false);
  };

  end(): void {
    if (!this.name) return;
    this.draw(true, true);
    this.name = '';
  }

  private draw(force: boolean, final = false): void {
    if (this.quiet) return;
    const now = performance.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    const secs = ((now - this.started) / 1000).toFixed(1);
    const line = `  ${this.name}: ${this.done}/${this.total} (${secs} s)`;
    if (this.tty) process.stderr.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (final) process.stderr.write(`${line}\n`);
  }
}
