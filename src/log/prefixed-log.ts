import type { PhaseEnd } from '../domain/phase';
import { phaseLine } from './format';
import type { Log } from './log';

/**
 * A batch child's log: its lines interleave with its siblings', so each carries `[prefix]`, and
 * phases are plain lines rather than (GitHub) groups, which cannot interleave.
 */
export class PrefixedLog implements Log {
  constructor(
    private readonly parent: Log,
    private readonly prefix: string,
  ) {}

  private tag(message: string): string {
    return `[${this.prefix}] ${message}`;
  }

  debug(message: string): void {
    this.parent.debug(this.tag(message));
  }

  info(message: string): void {
    this.parent.info(this.tag(message));
  }

  warning(message: string): void {
    this.parent.warning(this.tag(message));
  }

  error(message: string): void {
    this.parent.error(this.tag(message));
  }

  mask(secret: string): void {
    this.parent.mask(secret);
  }

  buildLines(lines: readonly string[]): void {
    this.parent.buildLines(lines.map((l) => this.tag(l)));
  }

  phaseStarted(phase: string): void {
    this.debug(`Phase ${phase} started`);
  }

  phaseEnded(end: PhaseEnd): void {
    if (end.status === 'SUCCEEDED') this.info(phaseLine(end));
    else this.warning(phaseLine(end));
  }

  withPrefix(prefix: string): Log {
    return new PrefixedLog(this, prefix);
  }
}
