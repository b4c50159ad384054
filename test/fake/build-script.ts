import type { ScriptedArtifact } from './fake-artifacts';

/**
 * Scripted CodeBuild builds for the fake endpoint: a timeline of phases, the log lines the
 * agent would write (with its real phase markers), and when CloudWatch makes each line readable.
 */
export type PhaseName =
  | 'SUBMITTED'
  | 'QUEUED'
  | 'PROVISIONING'
  | 'DOWNLOAD_SOURCE'
  | 'INSTALL'
  | 'PRE_BUILD'
  | 'BUILD'
  | 'POST_BUILD'
  | 'UPLOAD_ARTIFACTS'
  | 'FINALIZING';
export type FinalStatus = 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED';

export interface PhaseScript {
  readonly name: PhaseName;
  readonly durationMs: number;
  readonly status?: FinalStatus | 'CLIENT_ERROR';
  readonly statusCode?: string;
  readonly message?: string;
  /** User lines, spread evenly over the phase (container phases only). */
  readonly lines?: readonly string[];
}

export interface BuildScript {
  readonly phases: readonly PhaseScript[];
  readonly finalStatus: FinalStatus;
  /** A line written at t is readable at t + lag. Default 500 ms. */
  readonly ingestionLagMs?: number;
  /** When the named stream starts to exist in CloudWatch. Default: as soon as it is named (DOWNLOAD_SOURCE). */
  readonly streamDelayMs?: number;
  readonly logsDisabled?: boolean;
  /**
   * CodeBuild names the stream, but nothing is ever written there: a service role without
   * logs:CreateLogStream and logs:PutLogEvents (CodeBuild user guide, "service role" policy), or
   * a LogsConfig the record does not reflect. Every GetLogEvents then answers
   * ResourceNotFoundException.
   */
  readonly logsNeverWritten?: boolean;
  readonly logGroup?: string;
  readonly streamPrefix?: string;
  /** Arbitrary lines at arbitrary times, e.g. after the end. */
  readonly extraLines?: readonly { atMs: number; message: string }[];
  readonly exportedVariables?: Readonly<Record<string, string>>;
  /** Artifacts it uploads (UPLOAD_ARTIFACTS): the primary, then secondaries with an identifier. */
  readonly artifacts?: readonly ScriptedArtifact[];
  /** Test reports the build produces (JUnit and the like), listed in reportArns once it ends. */
  readonly reports?: readonly ScriptedReport[];
}

/**
 * A report a build publishes: TEST (testSummary, test cases) or CODE_COVERAGE
 * (codeCoverageSummary only), as BatchGetReports and DescribeTestCases return them.
 */
export interface ScriptedReport {
  readonly group: string;
  readonly type?: 'TEST' | 'CODE_COVERAGE';
  readonly passed?: number;
  readonly failed?: readonly ScriptedCase[];
  /** CODE_COVERAGE: covered and missed lines and branches. */
  readonly coverage?: { readonly lines: readonly [number, number]; readonly branches: readonly [number, number] };
  /** BatchGetReports answers GENERATING this many times before the final status. */
  readonly generatingReads?: number;
  /** The report's final status; SUCCEEDED or FAILED by its cases when unset. */
  readonly status?: 'INCOMPLETE' | 'FAILED' | 'SUCCEEDED';
  /** CodeBuild kept only part of the cases. */
  readonly truncated?: boolean;
}

export interface ScriptedCase {
  readonly prefix?: string;
  readonly name: string;
  readonly message: string;
  /** FAILED unless ERROR. */
  readonly status?: 'FAILED' | 'ERROR';
}

export const CONTAINER_PHASES: ReadonlySet<PhaseName> = new Set(['DOWNLOAD_SOURCE', 'INSTALL', 'PRE_BUILD', 'BUILD', 'POST_BUILD', 'UPLOAD_ARTIFACTS']);

export interface ScriptedLine {
  readonly atMs: number;
  readonly message: string;
}

function agentLine(start: number, atMs: number, text: string): string {
  const d = new Date(start + atMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
  return `[Container] ${stamp} ${text}\n`;
}

/** Every line the build writes, in time order: agent markers around each container phase's lines. */
export function scriptLines(script: BuildScript, start: number): ScriptedLine[] {
  const out: ScriptedLine[] = [];
  let t = 0;
  for (const phase of script.phases) {
    if (CONTAINER_PHASES.has(phase.name)) {
      const user = phase.lines ?? [];
      const opener = phase.name === 'DOWNLOAD_SOURCE' ? `Phase is ${phase.name}` : `Entering phase ${phase.name}`;
      out.push({ atMs: t + 1, message: agentLine(start, t + 1, opener) });
      const span = Math.max(1, phase.durationMs - 4);
      user.forEach((line, i) => {
        const at = t + 2 + Math.floor((span * i) / Math.max(1, user.length));
        out.push({ atMs: at, message: `${line}\n` });
      });
      const end = t + phase.durationMs - 1;
      const status = phase.status ?? 'SUCCEEDED';
      out.push({ atMs: end, message: agentLine(start, end, `Phase complete: ${phase.name} State: ${status}`) });
      const context =
        status === 'SUCCEEDED'
          ? 'Phase context status code:  Message: '
          : `Phase context status code: ${phase.statusCode ?? 'COMMAND_EXECUTION_ERROR'} Message: ${phase.message ?? ''}`;
      out.push({ atMs: end, message: agentLine(start, end, context) });
    }
    t += phase.durationMs;
  }
  for (const extra of script.extraLines ?? []) out.push({ atMs: extra.atMs, message: extra.message.endsWith('\n') ? extra.message : `${extra.message}\n` });
  return out.sort((a, b) => a.atMs - b.atMs);
}

const OUTSIDE: PhaseScript[] = [
  { name: 'SUBMITTED', durationMs: 100 },
  { name: 'QUEUED', durationMs: 100 },
  { name: 'PROVISIONING', durationMs: 600 },
];

/** A successful build: `lines` spread over BUILD, which lasts `buildMs`. */
export function successScript(opts: { lines?: readonly string[]; buildMs?: number; lagMs?: number; silentMs?: number } = {}): BuildScript {
  return {
    finalStatus: 'SUCCEEDED',
    ingestionLagMs: opts.lagMs,
    phases: [
      ...OUTSIDE,
      { name: 'DOWNLOAD_SOURCE', durationMs: 300, lines: ['CODEBUILD_SRC_DIR=/codebuild/output/src1/src'] },
      { name: 'INSTALL', durationMs: 300, lines: ['Running command npm ci'] },
      { name: 'BUILD', durationMs: opts.buildMs ?? 2_000, lines: opts.lines ?? ['Running command npm test', 'ok 1', 'ok 2'] },
      ...(opts.silentMs ? [{ name: 'POST_BUILD' as const, durationMs: opts.silentMs, lines: [] }] : []),
      { name: 'UPLOAD_ARTIFACTS', durationMs: 100 },
      { name: 'FINALIZING', durationMs: 200 },
    ],
    exportedVariables: { IMAGE_TAG: 'v1.2.3' },
  };
}

/**
 * Phases after which a failure ends the build at once: CodeBuild's "build phase transitions"
 * (user guide) go from a failed DOWNLOAD_SOURCE, INSTALL or PRE_BUILD straight to FINALIZING, so
 * their "Phase complete … State: FAILED" and context lines are the log's last; a failed
 * PROVISIONING (an image that cannot be pulled, a VPC without a route) ends before the
 * container runs, and leaves no log at all. A failed BUILD or POST_BUILD still uploads artifacts.
 */
const ENDS_THE_BUILD: ReadonlySet<PhaseName> = new Set(['PROVISIONING', 'DOWNLOAD_SOURCE', 'INSTALL', 'PRE_BUILD']);

/** A build that ends `status`, with `phase` failing for `message` (CodeBuild's own wording). */
export function failingScript(
  status: Exclude<FinalStatus, 'SUCCEEDED'>,
  phase: PhaseName = 'BUILD',
  message = 'Error while executing command: npm test. Reason: exit status 1',
): BuildScript {
  const base = successScript({ lines: ['Running command npm test', 'not ok 1 - adds numbers'] });
  const statusCode = status === 'FAILED' ? 'COMMAND_EXECUTION_ERROR' : status === 'TIMED_OUT' ? 'BUILD_TIMED_OUT' : 'CLIENT_ERROR';
  const phaseStatus = status === 'FAULT' ? 'FAULT' : status;
  // A phase the base build does not run (PRE_BUILD) is added where it runs, before BUILD.
  const build = base.phases.findIndex((p) => p.name === 'BUILD');
  const all = base.phases.some((p) => p.name === phase)
    ? base.phases
    : [...base.phases.slice(0, build), { name: phase, durationMs: 300 }, ...base.phases.slice(build)];
  const failed: PhaseScript[] = all.map((p) => (p.name === phase ? { ...p, status: phaseStatus, statusCode, message } : p));
  const at = failed.findIndex((p) => p.name === phase);
  const phases = ENDS_THE_BUILD.has(phase) ? [...failed.slice(0, at + 1), { name: 'FINALIZING' as const, durationMs: 200 }] : failed;
  return { ...base, finalStatus: status, phases };
}
