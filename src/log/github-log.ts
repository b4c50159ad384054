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
/**
 * For annotation text, which cannot be fenced (a fence would stop the annotation too): the runner
 * still finds `##[` anywhere in the line, so break it with an invisible word joiner.
 * (@actions/core already escapes newlines, so a `::` inside cannot start a line.)
 */
export const defang = (text: string) => text.replaceAll('##[', '##\u2060[');

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
    if (this.debugOn) this.info(`DEBUG: ${message}`);
    else core.debug(defang(message));
  }

  /** Messages quote the build (phase reasons, AWS errors): fenced like build lines when they could hold a command. */
  info(message: string): void {
    this.untrusted(message);
  }

  warning(message: string): void {
    core.warning(defang(message));
  }

  error(message: string): void {
    this.closeGroup();
    core.error(defang(message), { title: 'CodeBuild' });
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
    if (failed) core.warning(defang(phaseLine(end)), { title: `Phase ${end.phase} ${end.status}` });
    else this.info(phaseLine(end));
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
