import type { PhaseEnd } from '../domain/phase';

/**
 * What the user reads while the step runs, in the idiom of their CI: messages, the build's own
 * log lines (verbatim, made harmless), and its phases (GitHub groups, or plain lines).
 */
export interface Log {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Register a value that must never appear in the log. Call before anything is printed. */
  mask(secret: string): void;
  /** Build log lines, verbatim. */
  buildLines(lines: readonly string[]): void;
  phaseStarted(phase: string): void;
  phaseEnded(end: PhaseEnd): void;
  /** The same log for one of several builds running at once: every line carries `[prefix]`. */
  withPrefix(prefix: string): Log;
}
