import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import type { PhaseEnd } from '../domain/phase';
import { phaseLine } from './format';
import type { Log } from './log';
import { PrefixedLog } from './prefixed-log';

/**
 * Text the runner could take for a workflow command. It accepts `##[cmd]` anywhere in a line,
 * and trims characters JS does not call space before `::`, so any occurrence counts.
 */
export const mayHoldCommand = (text: string) => text.includes('::') || text.includes('##[');
/** Lines of a failed phase repeated outside its (collapsed) group, so the cause is in view. */
const FAILED_PHASE_TAIL = 30;

/** GitHub Actions: each phase's lines in a collapsible group, warnings and errors as annotations. */
export class GitHubLog implements Log {
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

  buildLines(lines: readonly string[]): void {
    if (this.openGroup) {
      this.tail.push(...lines);
      if (this.tail.length > FAILED_PHASE_TAIL * 2) this.tail = this.tail.slice(-FAILED_PHASE_TAIL);
    }
    this.untrusted(lines.join('\n'));
  }

  /** Text from the build (log lines, test names): commands in it are paused, so it cannot set outputs or masks. */
  untrusted(text: string): void {
    if (mayHoldCommand(text)) {
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
      this.buildLines(this.tail.slice(-FAILED_PHASE_TAIL));
    }
    if (failed) core.warning(phaseLine(end), { title: `Phase ${end.phase} ${end.status}` });
    else core.info(phaseLine(end));
  }

  /** Whatever follows (a verdict, test results) belongs outside the last phase's group. */
  closeGroup(): void {
    if (this.openGroup) core.endGroup();
    this.openGroup = undefined;
  }

  withPrefix(prefix: string): Log {
    return new PrefixedLog(this, prefix);
  }
}
