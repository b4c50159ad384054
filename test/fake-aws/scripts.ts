/**
 * Build scripts: what a fake CodeBuild build does, as a timeline relative to StartBuild (ms).
 * Plain data, so tests can write one inline; the builders below add what the real CodeBuild
 * agent writes around the user's output, so the product's log parsing meets realistic text.
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
export type PhaseStatus = FinalStatus | 'CLIENT_ERROR';

/** The phases run inside the build container: the only ones the agent writes log lines for. */
export const CONTAINER_PHASES: ReadonlySet<PhaseName> = new Set<PhaseName>(['DOWNLOAD_SOURCE', 'INSTALL', 'PRE_BUILD', 'BUILD', 'POST_BUILD', 'UPLOAD_ARTIFACTS']);

/**
 * One scripted line. A string is printed as is. The object form can carry an `id` (so a
 * benchmark can find the line again) and `agent: true`, which makes the fake prefix it with
 * `[Container] <date> <time.micros> ` stamped with the moment it is written, as the agent does.
 */
export type LineSpec = string | { readonly text: string; readonly id?: string; readonly agent?: boolean };

export interface PhaseScript {
  readonly name: PhaseName;
  readonly durationMs: number;
  /** Default SUCCEEDED. */
  readonly status?: PhaseStatus;
  /** contexts[].statusCode when the phase did not succeed; defaults from `status`. */
  readonly statusCode?: string;
  /** contexts[].message: where CodeBuild puts the reason a phase failed. */
  readonly message?: string;
  /** Lines printed evenly over the phase (or over its first `activeMs`). */
  readonly lines?: readonly LineSpec[];
  /** Spread `lines` over only this much of the phase; the rest of it is silent. */
  readonly activeMs?: number;
  /** Lines written as the phase starts / ends (the agent's phase markers). */
  readonly head?: readonly LineSpec[];
  readonly tail?: readonly LineSpec[];
}

export interface ExtraLine {
  readonly atMs: number;
  readonly message: string;
  readonly id?: string;
  readonly agent?: boolean;
}

export interface BuildScript {
  readonly phases: readonly PhaseScript[];
  readonly finalStatus: FinalStatus;
  /** A line written at t is readable through GetLogEvents at t + lag. Default 500. */
  readonly ingestionLagMs?: number;
  /** When build.logs names the group/stream. Default: the start of DOWNLOAD_SOURCE. */
  readonly streamDelayMs?: number;
  /** How long after being named the stream starts to exist in CloudWatch Logs. Default 0. */
  readonly streamCreatedLagMs?: number;
  /** logs.cloudWatchLogs.status DISABLED: no group, no stream, ever. */
  readonly logsDisabled?: boolean;
  /** Default `/aws/codebuild/<project>`. */
  readonly logGroup?: string;
  /** Stream name `<prefix>/<uuid>` instead of `<uuid>`. */
  readonly streamPrefix?: string;
  /** Lines at arbitrary times, e.g. after the build's end (late lines). */
  readonly extraLines?: readonly ExtraLine[];
  /** Reported in exportedEnvironmentVariables once the build is complete. */
  readonly exportedVariables?: Readonly<Record<string, string>>;
}

/** A line the agent writes (gets the `[Container] <timestamp>` prefix). */
export function agent(text: string): LineSpec {
  return { text, agent: true };
}

/** The agent's announcement of a buildspec command, as it precedes the command's output. */
export function command(cmd: string): LineSpec {
  return agent(`Running command ${cmd}`);
}

/** `count` numbered lines, each with a unique id in its text and in `FakeLine.id`. */
export function taggedLines(prefix: string, count: number): LineSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${i + 1}`;
    return { text: `${prefix} line ${i + 1} of ${count} [${id}]`, id };
  });
}

/** A phase that lasts `ms` and prints nothing of its own: a docker push, a slow test. */
export function silentPhase(name: PhaseName, ms: number): PhaseScript {
  return { name, durationMs: ms };
}

const SRC_DIR = '/codebuild/output/src1436148592/src';

/** What the agent writes before DOWNLOAD_SOURCE's own output. */
const DOWNLOAD_SOURCE_HEAD: readonly LineSpec[] = [
  'Running on CodeBuild On-demand',
  'Waiting for agent ping',
  'Waiting for DOWNLOAD_SOURCE',
  'Phase is DOWNLOAD_SOURCE',
  `CODEBUILD_SRC_DIR=${SRC_DIR}`,
  'YAML location is /codebuild/readonly/buildspec.yml',
  'Processing environment variables',
  `Moving to directory ${SRC_DIR}`,
].map(agent);

const DEFAULT_STATUS_CODE: Record<PhaseStatus, string> = {
  SUCCEEDED: '',
  FAILED: 'COMMAND_EXECUTION_ERROR',
  FAULT: 'CLIENT_ERROR',
  CLIENT_ERROR: 'CLIENT_ERROR',
  TIMED_OUT: 'BUILD_TIMED_OUT',
  STOPPED: 'BUILD_STOPPED',
};

/** contexts[0] of a finished phase, as BatchGetBuilds reports it. */
export function phaseContext(phase: PhaseScript): { statusCode: string; message: string } {
  const status = phase.status ?? 'SUCCEEDED';
  return { statusCode: phase.statusCode ?? DEFAULT_STATUS_CODE[status], message: phase.message ?? '' };
}

function headOf(phase: PhaseScript): readonly LineSpec[] {
  if (phase.name === 'DOWNLOAD_SOURCE') return DOWNLOAD_SOURCE_HEAD;
  return [agent(`Entering phase ${phase.name}`)];
}

function tailOf(phase: PhaseScript): readonly LineSpec[] {
  const { statusCode, message } = phaseContext(phase);
  // CodeBuild's wording for a failed command, echoed by the agent just before the phase ends.
  const failed = /^Error while executing command: (.*)\. Reason: (.*)$/.exec(message);
  return [
    ...(failed ? [agent(`Command did not exit successfully ${failed[1]} ${failed[2]}`)] : []),
    agent(`Phase complete: ${phase.name} State: ${phase.status ?? 'SUCCEEDED'}`),
    agent(`Phase context status code: ${statusCode} Message: ${message}`),
  ];
}

/**
 * The script with the agent's markers around every container phase, as in a real CodeBuild log:
 * `Phase is DOWNLOAD_SOURCE` / `Entering phase X`, the phase's lines, `Phase complete: X State: S`
 * and `Phase context status code: C Message: M`. Phases that already have a head/tail keep them.
 */
export function codebuildScript(script: BuildScript): BuildScript {
  return {
    ...script,
    phases: script.phases.map((p) => (CONTAINER_PHASES.has(p.name) ? { ...p, head: p.head ?? headOf(p), tail: p.tail ?? tailOf(p) } : p)),
  };
}

const OUTSIDE_CONTAINER: readonly PhaseScript[] = [
  { name: 'SUBMITTED', durationMs: 50 },
  { name: 'QUEUED', durationMs: 100 },
  { name: 'PROVISIONING', durationMs: 300 },
];

export interface SuccessOptions {
  /** BUILD's output, after `Running command npm test`. */
  readonly lines?: readonly LineSpec[];
  /** BUILD lasts lines × interval (default 20 ms), unless `buildMs` says otherwise. */
  readonly lineIntervalMs?: number;
  readonly buildMs?: number;
  /** A POST_BUILD this long that prints one command and then nothing (a silent stretch). */
  readonly silentMs?: number;
  readonly ingestionLagMs?: number;
  /** Lines written this long after the end, e.g. `[{ afterEndMs: 300, message: 'late' }]`. */
  readonly lateLines?: readonly { readonly afterEndMs: number; readonly message: string }[];
  readonly exportedVariables?: Readonly<Record<string, string>>;
}

const DEFAULT_TEST_OUTPUT = ['> app@1.0.0 test', '> jest', 'PASS test/app.test.js', 'Tests: 3 passed, 3 total'];

function totalMs(phases: readonly PhaseScript[]): number {
  return phases.reduce((t, p) => t + p.durationMs, 0);
}

/** A short, complete, successful build (about half a second plus BUILD) with realistic markers. */
export function successScript(opts: SuccessOptions = {}): BuildScript {
  const lines = opts.lines ?? DEFAULT_TEST_OUTPUT;
  const buildMs = opts.buildMs ?? Math.max(50, (lines.length + 1) * (opts.lineIntervalMs ?? 20));
  const phases: PhaseScript[] = [
    ...OUTSIDE_CONTAINER,
    { name: 'DOWNLOAD_SOURCE', durationMs: 100 },
    { name: 'INSTALL', durationMs: 100, lines: [command('npm ci'), 'added 312 packages in 2s'] },
    { name: 'PRE_BUILD', durationMs: 50 },
    { name: 'BUILD', durationMs: buildMs, lines: [command('npm test'), ...lines] },
    opts.silentMs
      ? { name: 'POST_BUILD', durationMs: opts.silentMs, lines: [command('docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:latest')] }
      : { name: 'POST_BUILD', durationMs: 50 },
    { name: 'UPLOAD_ARTIFACTS', durationMs: 50 },
    { name: 'FINALIZING', durationMs: 50 },
  ];
  const end = totalMs(phases);
  return codebuildScript({
    phases,
    finalStatus: 'SUCCEEDED',
    ...(opts.ingestionLagMs !== undefined && { ingestionLagMs: opts.ingestionLagMs }),
    ...(opts.lateLines && { extraLines: opts.lateLines.map((l) => ({ atMs: end + l.afterEndMs, message: l.message })) }),
    ...(opts.exportedVariables && { exportedVariables: opts.exportedVariables }),
  });
}

/** CodeBuild's context message for a command that exited non-zero. */
export function commandFailure(cmd: string, exitStatus = 1): string {
  return `Error while executing command: ${cmd}. Reason: exit status ${exitStatus}`;
}

/**
 * A build ending `status` because `phase` did. Phases after it still run when CodeBuild would
 * run them (POST_BUILD and UPLOAD_ARTIFACTS after a failed BUILD); an INSTALL or PRE_BUILD
 * failure skips straight to FINALIZING, as CodeBuild does.
 */
export function failingScript(
  status: Exclude<FinalStatus, 'SUCCEEDED'> = 'FAILED',
  phase: PhaseName = 'BUILD',
  message: string = commandFailure('npm test'),
  opts: SuccessOptions = {},
): BuildScript {
  const base = successScript({ lines: ['> app@1.0.0 test', '> jest', 'FAIL test/app.test.js', '  ● adds numbers', 'Tests: 1 failed, 2 passed, 3 total'], ...opts });
  const phaseStatus: PhaseStatus = status === 'STOPPED' ? 'STOPPED' : status;
  const failedAt = base.phases.findIndex((p) => p.name === phase);
  const skipsToEnd = phase === 'INSTALL' || phase === 'PRE_BUILD' || phase === 'DOWNLOAD_SOURCE';
  const phases = base.phases
    .filter((p, i) => !(skipsToEnd && i > failedAt && p.name !== 'FINALIZING'))
    .map((p) => (p.name === phase ? { ...p, status: phaseStatus, message, head: undefined, tail: undefined } : p));
  return codebuildScript({ ...base, phases, finalStatus: status });
}
