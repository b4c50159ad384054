import type { Build } from '@aws-sdk/client-codebuild';
import type { Attempt, PhaseRow, Subject } from '../../domain/outcome';
import { phaseContext } from '../../domain/phase';
import { asNormal } from '../../domain/run-status';

type AnyPhase = { phaseType?: string; phaseStatus?: string; durationInSeconds?: number; contexts?: { statusCode?: string; message?: string }[] };

/** A build's or batch's phases as summary rows (COMPLETED is no phase a user ran). */
export function phaseRows(phases: readonly AnyPhase[] | undefined): PhaseRow[] {
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

/** CodeBuild's words are the vocabulary already. */
export const codeBuildStatus = (word: string | undefined) => ({ word: word ?? 'IN_PROGRESS', normal: asNormal(word ?? 'IN_PROGRESS') });

export function buildSubject(build: Build): Subject {
  return {
    id: build.id ?? '',
    arn: build.arn,
    number: build.buildNumber,
    status: codeBuildStatus(build.buildStatus),
    sourceVersion: build.sourceVersion,
    resolvedSourceVersion: build.resolvedSourceVersion,
    phases: phaseRows(build.phases),
    exportedVariables: (build.exportedEnvironmentVariables ?? []).map((v) => ({ name: v.name ?? '', value: v.value ?? '' })),
  };
}

export function attemptOf(build: Build): Attempt {
  return { id: build.id ?? '', number: build.buildNumber, status: build.buildStatus ?? 'IN_PROGRESS' };
}
