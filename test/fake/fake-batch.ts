import { ACCOUNT, type Json, REGION } from './aws-error';
import type { FakeBuild } from './fake-build';

/** A batch build: its children run at once; it ends when the last one does. */
export class FakeBatch {
  stoppedAt?: number;
  constructor(
    readonly id: string,
    readonly number: number,
    readonly project: string,
    readonly startedAt: number,
    readonly children: readonly { identifier: string; build: FakeBuild }[],
  ) {}

  get arn(): string {
    return `arn:aws:codebuild:${REGION}:${ACCOUNT}:build-batch/${this.id}`;
  }

  view(now: number): Json {
    const ends = this.children.map((c) => c.build.startedAt + c.build.endMs);
    const endAt = Math.max(...ends) + 500;
    const done = now >= endAt;
    const statuses = this.children.map((c) => c.build.status);
    const status = this.stoppedAt !== undefined ? 'STOPPED' : statuses.every((s) => s === 'SUCCEEDED') ? 'SUCCEEDED' : 'FAILED';
    return {
      id: this.id,
      arn: this.arn,
      buildBatchNumber: this.number,
      projectName: this.project,
      startTime: this.startedAt / 1000,
      ...(done && { endTime: endAt / 1000 }),
      buildBatchStatus: done ? status : 'IN_PROGRESS',
      currentPhase: done ? 'SUCCEEDED' : 'IN_PROGRESS',
      complete: done,
      phases: [{ phaseType: 'SUBMITTED', phaseStatus: 'SUCCEEDED', durationInSeconds: 0 }],
      buildGroups: this.children.map((c) => ({
        identifier: c.identifier,
        currentBuildSummary: { arn: c.build.arn, buildStatus: now >= c.build.startedAt + c.build.endMs ? c.build.status : 'IN_PROGRESS' },
      })),
    };
  }
}
