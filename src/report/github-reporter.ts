import * as core from '@actions/core';
import type { Build } from '@aws-sdk/client-codebuild';
import { randomUUID } from 'node:crypto';
import { failureLine, reportLine, type TestReport } from '../core/test-reports';
import type { Verdict } from '../core/verdict';
import { phaseLine } from './format';
import type { OutputSink } from './outputs';
import type { PhaseEnd, Reporter, RunReport } from './reporter';
import { writeJobSummary } from './job-summary';

/**
 * Text the runner could take for a workflow command. It accepts `##[cmd]` anywhere in a line,
 * and trims characters JS does not call space before `::`, so any occurrence counts.
 */
const mayHoldCommand = (text: string) => text.includes('::') || text.includes('##[');
/** Lines of a failed phase repeated outside its (collapsed) group, so the cause is in view. */
const FAILED_PHASE_TAIL = 30;
const MAX_TEST_ANNOTATIONS = 10;

/**
 * GitHub Actions: each phase's lines in a collapsible group, failures as annotations,
 * outputs and a job summary through @actions/core.
 */
export class GitHubReporter implements Reporter {
  private openGroup?: string;
  private tail: string[] = [];

  constructor(
    private readonly debugOn: boolean,
    private readonly write: (text: string) => void = (t) => void process.stdout.write(t),
  ) {}

  debug(message: string): void {
    if (this.debugOn) core.info(`DEBUG: ${message}`);
    else core.debug(message);
  }

  info(message: string): void {
    core.info(message);
  }

  warning(message: string): void {
    core.warning(message);
  }

  error(message: string): void {
    this.closeGroup();
    core.error(message, { title: 'CodeBuild' });
  }

  mask(secret: string): void {
    core.setSecret(secret);
  }

  logLines(lines: readonly string[]): void {
    const text = lines.join('\n');
    if (this.openGroup) {
      this.tail.push(...lines);
      if (this.tail.length > FAILED_PHASE_TAIL * 2) this.tail = this.tail.slice(-FAILED_PHASE_TAIL);
    }
    if (mayHoldCommand(text)) {
      // The build log is untrusted: pause command processing so it cannot set outputs or masks.
      const token = randomUUID();
      this.write(`::stop-commands::${token}\n${text}\n::${token}::\n`);
    } else this.write(`${text}\n`);
  }

  phaseStarted(phase: string): void {
    this.closeGroup();
    core.startGroup(phase);
    this.openGroup = phase;
    this.tail = [];
  }

  phaseEnded(end: PhaseEnd): void {
    const wasGrouped = this.openGroup === end.phase;
    this.closeGroup();
    const failed = end.status !== 'SUCCEEDED';
    if (failed && wasGrouped && this.tail.length) {
      core.info(`Last lines of ${end.phase}:`);
      this.logLines(this.tail.slice(-FAILED_PHASE_TAIL));
    }
    if (failed) core.warning(phaseLine(end), { title: `Phase ${end.phase} ${end.status}` });
    else core.info(phaseLine(end));
  }

  private closeGroup(): void {
    if (this.openGroup) core.endGroup();
    this.openGroup = undefined;
  }

  testReports(reports: readonly TestReport[]): void {
    this.closeGroup();
    let annotated = 0;
    for (const r of reports) {
      core.info(`Tests ${reportLine(r)}`);
      for (const f of r.failures) {
        // GitHub shows a handful of annotations per step; the rest stay in the log and summary.
        if (annotated++ < MAX_TEST_ANNOTATIONS) core.error(f.message ?? f.name, { title: `Test failed: ${f.name}`.slice(0, 250) });
        else core.info(`  ✖ ${failureLine(f)}`);
      }
    }
  }

  verdict(verdict: Verdict, _build?: Build): void {
    this.closeGroup();
    if (verdict.ok) core.info(`✔ ${verdict.summary}`);
    else core.error(verdict.summary, { title: `CodeBuild ${verdict.status}` });
  }

  async close(report: RunReport): Promise<void> {
    this.closeGroup();
    if (process.env.GITHUB_STEP_SUMMARY) await writeJobSummary(report);
  }
}

/** GitHub step outputs, each written the moment it is known. */
export const githubOutputs: OutputSink = {
  set(values) {
    for (const [name, value] of Object.entries(values)) if (value !== undefined) core.setOutput(name, value);
  },
};
