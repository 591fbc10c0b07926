/**
 * Splits a child's output stream into lines and keeps the last few, so a crash can be explained with what
 * the trainer printed just before it.
 */
export class OutputLines {
  private partial = '';
  private readonly last: string[] = [];

  constructor(
    private readonly keep: number,
    private readonly onLine: (line: string) => void = () => {},
  ) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.add(line);
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.partial) this.add(this.partial);
    this.partial = '';
  }

  tail(): string[] {
    return [...this.last];
  }

  private add(line: string): void {
    this.onLine(line);
    if (!line.trim()) return;
    this.last.push(line);
    if (this.last.length > this.keep) this.last.shift();
  }
}
