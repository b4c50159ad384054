import type { ScriptedAction, ScriptedPipeline } from './fake-execution';

/** An S3 source action; PollForSourceChanges false unless said (an event rule, or nothing, starts executions). */
export const s3Source = (bucket = 'src-bucket', key = 'app/source.zip', poll = 'false'): ScriptedAction => ({
  name: 'Source',
  category: 'Source',
  provider: 'S3',
  durationMs: 300,
  configuration: { S3Bucket: bucket, S3ObjectKey: key, PollForSourceChanges: poll },
});

export const codeBuildAction = (name: string, project: string, runOrder = 1): ScriptedAction => ({
  name,
  category: 'Build',
  provider: 'CodeBuild',
  project,
  runOrder,
});

/** Source, then a CodeBuild action building `project`, then any more stages. */
export const sourceAndBuild = (name: string, project: string, ...more: ScriptedPipeline['stages']): ScriptedPipeline => ({
  name,
  stages: [{ name: 'Source', actions: [s3Source()] }, { name: 'Build', actions: [codeBuildAction('CodeBuild', project)] }, ...more],
});
