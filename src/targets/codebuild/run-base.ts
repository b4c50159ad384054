import type { CallOptions } from '../../aws/codebuild';
import type { Attempt, Links, RunDescription, RunReport } from '../../domain/outcome';
import type { Outputs } from '../../domain/outputs';
import type { RunStatus } from '../../domain/run-status';
import type { UploadedSource } from '../../domain/source';
import type { StartSettings } from '../../domain/start-request';
import type { Verdict } from '../../domain/verdict';
import type { StartedRun, Target, TargetDeps } from '../target';
import { announceRun } from './announce';
import { codeBuildDescription } from './describe';
import { projectOf } from './links';
import { stopRun } from './stop';
import { codeBuildStatus } from './subject';

/** What a build and a batch record both say of themselves. */
export interface RecordFacts {
  readonly id: string;
  readonly arn?: string;
  readonly number?: number;
  readonly status?: string;
  readonly project: string;
}

/**
 * What a started build and a started batch share: the record as last seen, its link, the
 * attempts, the announcement, the stop and the getters. Each kind says how to read its record.
 */
export abstract class CodeBuildRun<R> implements Omit<StartedRun, 'watch' | 'verdict' | 'report'> {
  protected links: Links = {};
  protected readonly attempts: Attempt[] = [];

  constructor(
    protected record: R,
    protected readonly deps: TargetDeps,
    protected readonly noun: 'build' | 'batch build',
  ) {}

  protected abstract facts(record: R): RecordFacts;
  protected abstract consoleUrl(record: R): string;
  /** StopBuild, StopBuildBatch: the record after the stop, when the service returns one. */
  protected abstract sendStop(id: string, options: CallOptions): Promise<R | undefined>;

  get id(): string {
    return this.facts(this.record).id;
  }

  get name(): string {
    return `${this.noun} ${this.id}`;
  }

  get status(): RunStatus {
    return codeBuildStatus(this.facts(this.record).status);
  }

  abstract watch(signal: AbortSignal): Promise<void>;
  abstract verdict(): Verdict;
  abstract report(): RunReport;

  protected description(): RunDescription {
    const { project, number } = this.facts(this.record);
    return codeBuildDescription(this.noun, project, number);
  }

  /** The link and the early outputs, for a run we start, attach to or retry. */
  protected announce(record: R, verb: string, extra: Outputs = {}): void {
    this.record = record;
    const facts = this.facts(record);
    const url = this.consoleUrl(record);
    this.links = { console: url };
    announceRun(this.deps, { ...facts, url }, `${verb} ${this.noun} ${facts.id} (#${facts.number ?? '?'}) of project ${facts.project}`, extra);
  }

  stop(options: CallOptions): Promise<string> {
    return stopRun(this.deps, { name: this.name, status: this.facts(this.record).status }, async () => {
      const stopped = await this.sendStop(this.id, options);
      if (stopped) this.record = stopped;
    });
  }
}

/** What a build or batch target was asked for: start one from the settings, or attach to a running one. */
export type StartOrAttach = { readonly start: StartSettings } | { readonly buildId: string };

/** The record, and the verb that announces it. */
export async function startOrAttach<R>(
  how: StartOrAttach,
  attach: (id: string) => Promise<R>,
  start: (settings: StartSettings) => Promise<R>,
): Promise<[R, string]> {
  return 'buildId' in how ? [await attach(how.buildId), 'Attached to'] : [await start(how.start), 'Started'];
}

/** The project asked for, before anything is known of the run. */
export function requestedProject(how: StartOrAttach): string {
  return 'buildId' in how ? projectOf(how.buildId) : (how.start.projectName ?? '');
}

/** How a kind of CodeBuild run attaches, starts and wraps its record. */
export interface CodeBuildKind<R> {
  readonly noun: 'build' | 'batch build';
  attach(id: string, signal: AbortSignal): Promise<R>;
  /** `signal` stops its retries; a start in flight may still finish, so what it started can be stopped. */
  start(settings: StartSettings, source: UploadedSource | undefined, signal: AbortSignal): Promise<R>;
  started(record: R, verb: string): StartedRun;
}

/** A build or batch target: start one from the settings, or attach to `buildId`. */
export function codeBuildTarget<R>(how: StartOrAttach, kind: CodeBuildKind<R>): Target {
  const project = requestedProject(how);
  return {
    // The one error the run's own settings explain: what it names does not exist.
    failureHints: (name) =>
      name !== 'ResourceNotFoundException'
        ? undefined
        : 'buildId' in how
          ? 'check build-id and the region'
          : `check that project '${project}' exists in this account and region`,
    requested: () => ({ description: codeBuildDescription(kind.noun, requestedProject(how)), links: {}, attempts: [] }),
    async start(source, signal) {
      const [record, verb] = await startOrAttach(
        how,
        (id) => kind.attach(id, signal),
        (settings) => kind.start(settings, source, signal),
      );
      return kind.started(record, verb);
    },
  };
}
