import type { PhaseEnd } from '../domain/phase';
import { neutralise, sectionEnd, sectionName, sectionStart } from './gitlab-sections';
import { PhaseTail } from './phase-tail';
import { type Color, TextLog, type TextStyle, type Write } from './text-log';

/**
 * GitLab CI: TextLog's lines (colours, masking), with each phase (or pipeline stage) in a
 * collapsible section. GitLab reads `collapsed` at the section's start, before the phase's
 * outcome is known, so every phase starts collapsed; a phase that fails is followed by an open
 * section with its last lines, as GitHub's log repeats them under the group. Build output cannot
 * open or close sections (`neutralise`).
 */
export class GitLabLog extends TextLog {
  private readonly tail = new PhaseTail();
  private open?: string;
  private sections = 0;

  /** Bytes written so far: the runner stops collecting the log at its output_limit. */
  private written = 0;
  private readonly budget: number;
  private leftOut = 0;

  constructor(
    style: TextStyle,
    write: Write = (t) => void process.stdout.write(t),
    /** Section markers carry a time: GitLab shows each section's duration from them. */
    private readonly now: () => number = Date.now,
    /**
     * The runner's job-log limit in KB (output_limit, 4 MiB by default; 0: none). Past it the
     * runner keeps the job running but drops all output, verdict included (gitlab-runner#27601),
     * so build lines stop at 90% of it and the rest stays for what the user must see.
     */
    limitKb = 0,
  ) {
    super(style, (text) => {
      this.written += Buffer.byteLength(text);
      write(text);
    });
    this.budget = limitKb > 0 ? limitKb * 1024 * 0.9 : Number.POSITIVE_INFINITY;
  }

  /** Messages quote the build too (phase reasons, test names, AWS errors). */
  override print(text: string, color?: Color): void {
    super.print(neutralise(text), color);
  }

  override buildLines(lines: readonly string[]): void {
    this.tail.push(lines);
    if (this.written < this.budget) {
      super.buildLines(lines.map(neutralise));
      return;
    }
    if (!this.leftOut)
      this.warning(
        "The build's log nears this job log's limit (log-limit-kb): its further lines are left out here; the CloudWatch log linked above has them all. A failing phase's last lines still follow.",
      );
    this.leftOut += lines.length;
  }

  override error(message: string): void {
    this.closeSection();
    super.error(message);
  }

  override phaseStarted(phase: string): void {
    this.closeSection();
    this.open = sectionName(++this.sections, phase);
    this.write(sectionStart(this.open, phase, this.now(), true));
    this.tail.start(phase);
  }

  override phaseEnded(end: PhaseEnd): void {
    const last = this.tail.end(end.phase, end.status !== 'SUCCEEDED');
    this.closeSection();
    if (last.length) {
      const name = sectionName(++this.sections, `${end.phase}_last_lines`);
      this.write(sectionStart(name, `Last lines of ${end.phase} (${end.status})`, this.now(), false));
      super.buildLines(last.map(neutralise));
      this.write(sectionEnd(name, this.now()));
    }
    super.phaseEnded(end);
  }

  /** Whatever follows (a verdict, test results) belongs outside the last phase's section. */
  closeSection(): void {
    if (this.open) this.write(sectionEnd(this.open, this.now()));
    this.open = undefined;
    this.tail.close();
  }

  /** Said once, at the end: how much of the build's log only CloudWatch has. */
  reportLeftOut(): void {
    if (this.leftOut) this.info(`${this.leftOut} build log lines were left out of this job's log (log-limit-kb); CloudWatch has them.`);
    this.leftOut = 0;
  }
}
