import type { Build } from '@aws-sdk/client-codebuild';
import { failureLine, reportLine, type TestReport } from '../core/test-reports';
import type { Verdict } from '../core/verdict';
import { phaseLine, Redactor } from './format';
import type { PhaseEnd, Reporter, RunReport } from './reporter';

export type Write = (text: string) => void;

const COLORS = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', gray: '\x1b[90m', reset: '\x1b[0m' } as const;

export interface TextStyle {
  /** ANSI colours: always on for Bitbucket, which renders them without a TTY. */
  readonly color: boolean;
  readonly debug: boolean;
}

/**
 * Bitbucket-pipe style lines (`INFO:`, green `✔`, red `✖`), used for the pipe and for
 * `docker run` in any other CI. Never prints a `::` workflow command.
 */
export class TextReporter implements Reporter {
  private readonly redactor = new Redactor();

  constructor(
    private readonly style: TextStyle,
    private readonly write: Write = (t) => void process.stdout.write(t),
  ) {}

  private paint(color: keyof typeof COLORS, text: string): string {
    return this.style.color ? `${COLORS[color]}${text}${COLORS.reset}` : text;
  }

  private line(text: string): void {
    this.write(`${this.redactor.apply(text)}\n`);
  }

  debug(message: string): void {
    if (this.style.debug) this.line(this.paint('gray', `DEBUG: ${message}`));
  }

  info(message: string): void {
    this.line(`INFO: ${message}`);
  }

  warning(message: string): void {
    this.line(this.paint('yellow', `WARNING: ${message}`));
  }

  error(message: string): void {
    this.line(this.paint('red', `✖ ${message}`));
  }

  mask(secret: string): void {
    this.redactor.add(secret);
  }

  logLines(lines: readonly string[]): void {
    this.write(`${this.redactor.apply(lines.join('\n'))}\n`);
  }

  phaseStarted(phase: string): void {
    this.debug(`Phase ${phase} started`);
  }

  phaseEnded(end: PhaseEnd): void {
    const text = phaseLine(end);
    if (end.status === 'SUCCEEDED') this.info(text);
    else this.warning(text);
  }

  testReports(reports: readonly TestReport[]): void {
    for (const r of reports) {
      if (r.failed) this.warning(`Tests ${reportLine(r)}`);
      else this.info(`Tests ${reportLine(r)}`);
      for (const f of r.failures) this.line(this.paint('red', `  ✖ ${failureLine(f)}`));
    }
  }

  verdict(verdict: Verdict, _build?: Build): void {
    if (verdict.ok) this.line(this.paint('green', `✔ ${verdict.summary}`));
    else this.error(verdict.summary);
  }

  async close(_report: RunReport): Promise<void> {}
}
