import { arnOf, DEFAULT_PLACE, type Json, type Place } from './aws-error';
import type { BuildScript, ScriptedReport } from './build-script';
import { COMBINE_MS, combinedView, type ScriptedArtifact, uploadArtifact } from './fake-artifacts';
import type { FakeBuild } from './fake-build';
import type { FakeS3 } from './fake-s3';

/** One group of a batch's build list, graph or matrix. */
export interface BatchChild {
  readonly identifier: string;
  /** The child's build; a function gets the attempt (1, 2 … after RetryBuildBatch). */
  readonly script: BuildScript | ((attempt: number) => BuildScript);
  readonly ignoreFailure?: boolean;
  readonly dependsOn?: readonly string[];
}

export interface BatchOptions {
  /** The source download fails with this message; no child runs. */
  readonly downloadSourceFails?: string;
  /** Reports merged from the children's, listed in the batch's reportArns. */
  readonly reports?: readonly ScriptedReport[];
  /** Every BuildBatch member is optional in the API model; this batch comes without an ARN. */
  readonly noArn?: boolean;
  /** combineArtifacts: what the batch uploads as its own (primary, then secondaries with an identifier) once every build succeeded. */
  readonly combined?: readonly ScriptedArtifact[];
}

interface Group {
  readonly child: BatchChild;
  current?: FakeBuild;
  readonly prior: FakeBuild[];
  attempt: number;
}

export type StartChild = (script: BuildScript, at: number) => FakeBuild;

/**
 * A batch build as BatchGetBuildBatches returns it: a DOWNLOAD_SOURCE group first (the source
 * download, not a buildspec child: the CLI reference's batch-get-build-batches and
 * start-build-batch examples), then the buildspec's groups with identifier, dependsOn and
 * ignoreFailure ("if this build task fails, the batch build can still succeed", batch buildspec
 * reference), which start once the source is downloaded and what they depend on succeeded.
 */
export class FakeBatch {
  stoppedAt?: number;
  place: Place = DEFAULT_PLACE;
  readonly downloadSource: FakeBuild;
  private readonly groups: Group[];
  /** When RetryBuildBatch last ran; phases restart from there. */
  private retriedAt?: number;
  readonly retries: string[] = [];
  private combinedUploaded = false;

  constructor(
    readonly id: string,
    readonly number: number,
    readonly project: string,
    readonly startedAt: number,
    children: readonly BatchChild[],
    readonly options: BatchOptions,
    private readonly startChild: StartChild,
    downloadSource: BuildScript,
  ) {
    this.downloadSource = startChild(downloadSource, startedAt);
    this.groups = children.map((child) => ({ child, prior: [], attempt: 1 }));
  }

  get arn(): string {
    return arnOf(this.place, 'codebuild', `build-batch/${this.id}`);
  }

  get children(): { identifier: string; build: FakeBuild; ignoreFailure: boolean }[] {
    return this.groups.filter((g) => g.current).map((g) => ({ identifier: g.child.identifier, build: g.current!, ignoreFailure: !!g.child.ignoreFailure }));
  }

  /** Start the groups whose turn has come (source downloaded, dependencies succeeded). */
  settle(now: number): void {
    if (this.stoppedAt !== undefined || !this.downloadSource.done(now) || this.downloadSource.status !== 'SUCCEEDED') return;
    for (const g of this.groups) {
      if (g.current) continue;
      const deps = (g.child.dependsOn ?? []).map((d) => this.groups.find((x) => x.child.identifier === d)?.current);
      if (deps.some((d) => !d?.done(now) || d.status !== 'SUCCEEDED')) continue;
      const at = Math.max(this.downloadSource.endAt, ...deps.map((d) => d!.endAt));
      g.current = this.startChild(this.scriptOf(g), at);
    }
  }

  private scriptOf(g: Group): BuildScript {
    return typeof g.child.script === 'function' ? g.child.script(g.attempt) : g.child.script;
  }

  /** RetryBuildBatch: "Only batch builds that have failed can be retried"; same id, same number. */
  retry(now: number, retryType: string): void {
    this.retries.push(retryType);
    this.retriedAt = now;
    for (const g of this.groups) {
      if (!g.current || (retryType === 'RETRY_FAILED_BUILDS' && g.current.status === 'SUCCEEDED')) continue;
      g.prior.push(g.current);
      g.attempt++;
      g.current = this.startChild(this.scriptOf(g), now);
    }
  }

  /** The batch's end, once every started build ended and no other can start. */
  endAt(now: number): number | undefined {
    if (!this.downloadSource.done(now)) return undefined;
    for (const g of this.groups) {
      if (g.current ? !g.current.done(now) : !this.neverStarts(g, now)) return undefined;
    }
    const started = this.groups.flatMap((g) => (g.current ? [g.current] : []));
    return Math.max(this.downloadSource.endAt, ...started.map((b) => b.endAt)) + 500;
  }

  /** A group that cannot start any more: stopped, no source, or something it depends on did not succeed. */
  private neverStarts(g: Group, now: number): boolean {
    if (this.stoppedAt !== undefined || this.downloadSource.status !== 'SUCCEEDED') return true;
    return (g.child.dependsOn ?? []).some((d) => {
      const dep = this.groups.find((x) => x.child.identifier === d);
      if (!dep) return true;
      return dep.current ? dep.current.done(now) && dep.current.status !== 'SUCCEEDED' : this.neverStarts(dep, now);
    });
  }

  status(now: number): string {
    if (this.endAt(now) === undefined) return 'IN_PROGRESS';
    if (this.stoppedAt !== undefined) return 'STOPPED';
    if (this.downloadSource.status !== 'SUCCEEDED') return 'FAILED';
    const failed = this.groups.some((g) => !g.child.ignoreFailure && g.current?.status !== 'SUCCEEDED');
    return failed ? 'FAILED' : 'SUCCEEDED';
  }

  /** A combining batch's artifacts are in S3 once its COMBINE_ARTIFACTS phase is over. */
  uploadArtifacts(s3: FakeS3, now: number): void {
    const end = this.endAt(now);
    if (!this.options.combined || this.combinedUploaded || end === undefined || now < end || this.status(now) !== 'SUCCEEDED') return;
    for (const a of this.options.combined) uploadArtifact(s3, a, end - COMBINE_MS + 1);
    this.combinedUploaded = true;
  }

  reportArn(index: number): string {
    return arnOf(
      this.place,
      'codebuild',
      `report/${this.project}-${this.options.reports![index]!.group}:${this.id.slice(this.id.indexOf(':') + 1)}-batch-${index}`,
    );
  }

  view(now: number): Json {
    const end = this.endAt(now);
    const status = this.status(now);
    const summary = (b: FakeBuild) => ({ arn: b.arn, requestedOn: b.startedAt / 1000, buildStatus: b.done(now) ? b.status : 'IN_PROGRESS' });
    const phaseStart = this.retriedAt ?? this.startedAt;
    const { combinePhases, ...combined } = this.options.combined ? combinedView(this.options.combined, end, status === 'SUCCEEDED') : { combinePhases: [] };
    return {
      ...combined,
      id: this.id,
      ...(!this.options.noArn && { arn: this.arn }),
      buildBatchNumber: this.number,
      projectName: this.project,
      startTime: this.startedAt / 1000,
      ...(end !== undefined && { endTime: end / 1000 }),
      buildBatchStatus: status,
      currentPhase: end !== undefined ? status : 'IN_PROGRESS',
      complete: end !== undefined,
      phases: [
        { phaseType: 'SUBMITTED', phaseStatus: 'SUCCEEDED', startTime: phaseStart / 1000, durationInSeconds: 0 },
        { phaseType: 'DOWNLOAD_BATCHSPEC', phaseStatus: 'SUCCEEDED', durationInSeconds: 0 },
        { phaseType: 'IN_PROGRESS', ...(end !== undefined && { phaseStatus: status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED' }) },
        ...combinePhases,
      ],
      buildGroups: [
        {
          identifier: 'DOWNLOAD_SOURCE',
          ignoreFailure: false,
          currentBuildSummary: { ...summary(this.downloadSource), primaryArtifact: { type: 'no_artifacts', identifier: 'DOWNLOAD_SOURCE' } },
        },
        ...this.groups.map((g) => ({
          identifier: g.child.identifier,
          ...(g.child.dependsOn && { dependsOn: g.child.dependsOn }),
          ignoreFailure: !!g.child.ignoreFailure,
          ...(g.current && { currentBuildSummary: summary(g.current) }),
          ...(g.prior.length && { priorBuildSummaryList: g.prior.map(summary) }),
        })),
      ],
      ...(end !== undefined && this.options.reports && { reportArns: this.options.reports.map((_, i) => this.reportArn(i)) }),
    };
  }
}
