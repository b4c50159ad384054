import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import type { Attempt, PhaseRow, Subject } from './outcome';
import { phaseContext } from './phase';

type AnyPhase = { phaseType?: string; phaseStatus?: string; durationInSeconds?: number; contexts?: { statusCode?: string; message?: string }[] };

function phaseRows(phases: readonly AnyPhase[] | undefined): PhaseRow[] {
  return (phases ?? [])
    .filter((p) => p.phaseType && p.phaseType !== 'COMPLETED')
    .map((p) => {
      const detail = phaseContext(p);
      return {
        name: p.phaseType!,
        status: p.phaseStatus ?? 'IN_PROGRESS',
        ...(p.durationInSeconds !== undefined && { durationSeconds: p.durationInSeconds }),
        ...(detail && { detail }),
      };
    });
}

export function buildSubject(build: Build): Subject {
  return {
    kind: 'build',
    id: build.id,
    arn: build.arn,
    project: build.projectName,
    number: build.buildNumber,
    status: build.buildStatus ?? 'IN_PROGRESS',
    sourceVersion: build.sourceVersion,
    resolvedSourceVersion: build.resolvedSourceVersion,
    phases: phaseRows(build.phases),
    exportedVariables: (build.exportedEnvironmentVariables ?? []).map((v) => ({ name: v.name ?? '', value: v.value ?? '' })),
  };
}

export function batchSubject(batch: BuildBatch): Subject {
  return {
    kind: 'batch',
    id: batch.id,
    arn: batch.arn,
    project: batch.projectName,
    number: batch.buildBatchNumber,
    status: batch.buildBatchStatus ?? 'IN_PROGRESS',
    sourceVersion: batch.sourceVersion,
    resolvedSourceVersion: batch.resolvedSourceVersion,
    phases: phaseRows(batch.phases),
    exportedVariables: [],
  };
}

export function attemptOf(build: Build): Attempt {
  return { id: build.id ?? '', number: build.buildNumber, status: build.buildStatus ?? 'IN_PROGRESS' };
}
