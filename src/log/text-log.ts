import type { PhaseEnd } from '../domain/phase';
import { phaseLine, Redactor } from './format';
import type { Log } from './log';
import { PrefixedLog } from './prefixed-log';

export type Write = (text: string) => void;

const COLORS = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', gray: '\x1b[90m', reset: '\x1b[0m' } as const;
export type Color = keyof typeof COLORS;

export interface TextStyle {
  /** ANSI colours: always on for Bitbucket, which renders them without a TTY. */
  readonly color: boolean;
  readonly debug: boolean;
}

/**
 * Bitbucket-pipe style lines (`INFO:`, yellow `WARNING:`, red `✖`), for the pipe and for
 * `docker run` in any other CI. Never prints a `::` workflow command; masks secrets itself.
 */
export class TextLog implements Log {
  protected readonly redactor = new Redactor();

  constructor(
    private readonly style: TextStyle,
    protected readonly write: Write = (t) => void process.stdout.write(t),
  ) {}

  /** One line, coloured where colour is on, with every registered secret masked. */
  print(text: string, color?: Color): void {
    const painted = color && this.style.color ? `${COLORS[color]}${text}${COLORS.reset}` : text;
    this.write(`${this.redactor.apply(painted)}\n`);
  }

  debug(message: string): void {
    if (this.style.debug) this.print(`DEBUG: ${message}`, 'gray');
  }

  info(message: string): void {
    this.print(`INFO: ${message}`);
  }

  warning(message: string): void {
    this.print(`WARNING: ${message}`, 'yellow');
  }

  error(message: string): void {
    this.print(`✖ ${message}`, 'red');
  }

  mask(secret: string): void {
    this.redactor.add(secret);
  }

  buildLines(lines: readonly string[]): void {
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

  withPrefix(prefix: string): Log {
    return new PrefixedLog(this, prefix);
  }
}
