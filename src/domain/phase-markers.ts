/**
 * The CodeBuild agent writes phase boundaries into the log itself:
 *   [Container] 2026/11/25 10:00:01.123456 Entering phase BUILD
 *   [Container] 2026/11/25 10:00:09.654321 Phase complete: BUILD State: FAILED
 *   [Container] 2026/11/25 10:00:09.654330 Phase context status code: COMMAND_EXECUTION_ERROR Message: …
 * Reading phases from the log (not from BatchGetBuilds) keeps groups and lines in step.
 */
export type PhaseEvent =
  | { readonly kind: 'start'; readonly phase: string }
  | {
      readonly kind: 'end';
      readonly phase: string;
      readonly status: string;
      readonly durationMs?: number;
      readonly message?: string;
      /** Report after printing the line that closed the phase (its context line), not before. */
      readonly afterLine?: boolean;
    };

const PREFIX = String.raw`^\[Container\] \S+ \S+ `;
const START = new RegExp(`${PREFIX}(?:Entering phase|Phase is) ([A-Z_]+)\\s*$`);
const COMPLETE = new RegExp(`${PREFIX}Phase complete: ([A-Z_]+) State: ([A-Z_]+)`);
const CONTEXT = new RegExp(`${PREFIX}Phase context status code: ?(.*?) Message: ?(.*)$`);

/** The last phase the agent runs; once it completes, the log has nothing more to say. */
export const FINAL_LOGGED_PHASE = 'UPLOAD_ARTIFACTS';
/**
 * Phases whose failure is the agent's last word too: CodeBuild goes from a failed
 * DOWNLOAD_SOURCE, INSTALL or PRE_BUILD straight to FINALIZING (user guide, "build phase
 * transitions"); a failed BUILD or POST_BUILD still runs UPLOAD_ARTIFACTS. A buildspec's
 * `on-failure: CONTINUE` (or RETRY) carries on after a failed phase: the next phase's line then
 * clears `finished`, and the verdict poll it asked for only finds the build still running.
 */
const ENDS_ON_FAILURE: ReadonlySet<string> = new Set(['DOWNLOAD_SOURCE', 'INSTALL', 'PRE_BUILD']);

export class PhaseMarkers {
  private current?: { phase: string; startedAt: number };
  private pending?: { phase: string; status: string; durationMs?: number };
  /** True once the agent logged the completion of the last phase it runs. */
  finished = false;

  /** Feed one line; returns the phase events it marks, in order. */
  feed(line: string, timestamp: number): PhaseEvent[] {
    // The agent writes nothing after its last phase's completion and context lines: any other
    // line after them means that marker came from the build's own output (a nested build's log).
    if (this.finished && !(this.pending && CONTEXT.test(line))) this.finished = false;
    const start = START.exec(line);
    if (start) {
      const out = this.flush();
      this.current = { phase: start[1]!, startedAt: timestamp };
      return [...out, { kind: 'start', phase: start[1]! }];
    }
    const complete = COMPLETE.exec(line);
    if (complete) {
      const out = this.flush();
      const [, phase, status] = complete as unknown as [string, string, string];
      const started = this.current?.phase === phase ? this.current.startedAt : undefined;
      this.pending = { phase, status, durationMs: started === undefined ? undefined : timestamp - started };
      this.current = undefined;
      if (phase === FINAL_LOGGED_PHASE || (ENDS_ON_FAILURE.has(phase) && status !== 'SUCCEEDED')) this.finished = true;
      return out;
    }
    const context = CONTEXT.exec(line);
    if (context && this.pending) {
      const message = [context[1]?.trim(), context[2]?.trim()].filter(Boolean).join(': ');
      const end: PhaseEvent = { kind: 'end', ...this.pending, ...(message && { message }), afterLine: true };
      this.pending = undefined;
      return [end];
    }
    return [];
  }

  /** A completion whose context line has not come (yet), reported as it is. */
  flush(): PhaseEvent[] {
    const p = this.pending;
    this.pending = undefined;
    return p ? [{ kind: 'end', ...p }] : [];
  }
}
