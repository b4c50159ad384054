import type { Build } from '@aws-sdk/client-codebuild';
import type { Outputs } from '../../domain/outputs';
import type { TargetDeps } from '../target';
import { buildConsoleUrl } from './links';

export interface Announced {
  readonly id?: string;
  readonly arn?: string;
  readonly number?: number;
  readonly status?: string;
  readonly url: string;
}

/** The five build-* outputs, for a build of ours or of a pipeline's CodeBuild action. */
export function buildOutputs(run: Announced): Outputs {
  return {
    'build-id': run.id,
    'build-arn': run.arn,
    'build-number': run.number === undefined ? undefined : String(run.number),
    'build-url': run.url,
    'build-status': run.status ?? 'IN_PROGRESS',
  };
}

/** A build's announcement: its id, ARN, number, status and console link. */
export function announcedBuild(build: Build, region: string): Announced {
  const url = buildConsoleUrl({ id: build.id ?? '', arn: build.arn, region });
  return { id: build.id, arn: build.arn, number: build.buildNumber, status: build.buildStatus, url };
}

/**
 * The moment a run is known: its outputs (so cleanup steps have the id even if the wait fails),
 * the line that names it, and the console link.
 */
export function announceRun(deps: Pick<TargetDeps, 'log' | 'outputs'>, run: Announced, line: string, extra: Outputs = {}): void {
  deps.outputs.set({ ...extra, ...buildOutputs(run) });
  deps.log.info(line);
  deps.log.info(`Console: ${run.url}`);
}
