import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import type { PhaseEnd } from '../domain/phase';
import { phaseLine } from './format';
import type { Log } from './log';
import { PhaseTail } from './phase-tail';
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

/** GitHub Actions: each phase's lines in a collapsible group, warnings and errors as annotations. */
export class GitHubLog implements Log {
  private readonly tail = new PhaseTail();

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
    this.tail.push(lines);
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
    this.tail.start(phase);
  }

  phaseEnded(end: PhaseEnd): void {
    const failed = end.status !== 'SUCCEEDED';
    const grouped = !!this.tail.phase;
    const last = this.tail.end(end.phase, failed);
    if (grouped) core.endGroup();
    if (last.length) {
      core.info(`Last lines of ${end.phase}:`);
      this.untrusted(last.join('\n'));
    }
    if (failed) core.warning(defang(phaseLine(end)), { title: `Phase ${end.phase} ${end.status}` });
    else this.info(phaseLine(end));
  }

  /** Whatever follows (a verdict, test results) belongs outside the last phase's group. */
  closeGroup(): void {
    if (this.tail.phase) core.endGroup();
    this.tail.close();
  }

  withPrefix(prefix: string): Log {
    return new PrefixedLog(this, prefix);
  }
}
