import { InvalidValue, oneOf, parseBoolean } from './parse';
import type { Reader } from './reader';
import { type PipelineConfig, SOURCE_REVISION_TYPES, type SourceRevisionType } from './types';
import { parseS3Location } from './value-parsers';

/** StartPipelineExecution's limits (API reference): names, values, at most 50 of each list. */
const VARIABLE_NAME = /^[A-Za-z0-9@\-_]{1,128}$/;
const MAX_ITEMS = 50;

const lines = (text: string, items?: readonly string[]) => (items ?? text.split(/\r?\n/)).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

/** `NAME=value` lines (or Bitbucket list items). Errors name the line, never the value. */
export function parsePipelineVariables(text: string, items?: readonly string[]): PipelineConfig['variables'] {
  const list = lines(text, items).map((line, i) => {
    const at = line.indexOf('=');
    const name = at < 0 ? '' : line.slice(0, at).trim();
    const value = at < 0 ? '' : line.slice(at + 1);
    if (!VARIABLE_NAME.test(name)) throw new InvalidValue(`line ${i + 1} must be NAME=value, NAME of letters, digits, @, - and _ (at most 128)`);
    if (!value || value.length > 1000) throw new InvalidValue(`line ${i + 1} (${name}) needs a value of 1 to 1000 characters`);
    return { name, value };
  });
  if (list.length > MAX_ITEMS) throw new InvalidValue(`has ${list.length} variables; a pipeline execution takes at most ${MAX_ITEMS}`);
  return list;
}

/** `ActionName=TYPE:value` lines, e.g. `Source=COMMIT_ID:3f2a9c1`. */
export function parseSourceRevisions(text: string, items?: readonly string[]): PipelineConfig['sourceRevisions'] {
  const list = lines(text, items).map((line, i) => {
    // SourceRevisionOverride: actionName [A-Za-z0-9.@\-_]{1,100}, revisionValue 1 to 1500 characters.
    const m = /^\s*([A-Za-z0-9.@\-_]{1,100})\s*=\s*([A-Za-z0-9_]+):\s*(\S.{0,1499})$/.exec(line);
    if (!m)
      throw new InvalidValue(
        `line ${i + 1} must be ActionName=TYPE:value (ActionName of letters, digits, . @ - _; TYPE one of ${SOURCE_REVISION_TYPES.join(', ')}; a value of 1 to 1500 characters)`,
      );
    let revisionType: SourceRevisionType;
    try {
      revisionType = oneOf(m[2]!, SOURCE_REVISION_TYPES);
    } catch {
      throw new InvalidValue(`line ${i + 1}: the type must be one of ${SOURCE_REVISION_TYPES.join(', ')}, got '${m[2]}'`);
    }
    return { actionName: m[1]!.trim(), revisionType, revisionValue: m[3]!.trim() };
  });
  if (list.length > MAX_ITEMS) throw new InvalidValue(`has ${list.length} revisions; at most ${MAX_ITEMS}`);
  return list;
}

export function pipelineConfig(r: Reader): PipelineConfig | undefined {
  const name = r.get('pipelineName', (t) => {
    if (!/^[A-Za-z0-9.@\-_]{1,100}$/.test(t.trim())) throw new InvalidValue(`must be a pipeline name (letters, digits, . @ - _; at most 100), got '${t}'`);
    return t.trim();
  });
  const variables = r.get('pipelineVariables', parsePipelineVariables) ?? [];
  const sourceRevisions = r.get('sourceRevisions', parseSourceRevisions) ?? [];
  const executionId = r.text('pipelineExecutionId')?.trim();
  const stopMode = r.withDefault('stopMode', (t) => oneOf(t.toLowerCase(), ['finish', 'abandon'] as const));
  if (!name) {
    const orphans = (['pipelineVariables', 'sourceRevisions', 'pipelineExecutionId'] as const).filter((k) => r.chosen(k));
    if (orphans.length) r.problems.push(`${orphans.map((k) => r.named(k)).join(', ')} need${orphans.length > 1 ? '' : 's'} ${r.named('pipelineName')}`);
    return undefined;
  }
  return { name, variables, sourceRevisions, stopMode, ...(executionId && { executionId }) };
}

/** The build settings a pipeline cannot take: "a pipeline cannot take overrides" of StartBuild. */
const BUILD_ONLY = [
  'projectName',
  'batch',
  'buildId',
  'sourceVersion',
  'environmentVariables',
  'buildspecOverride',
  'computeTypeOverride',
  'imageOverride',
  'timeoutInMinutesOverride',
  'startBuildOverrides',
  'privilegedMode',
  'retryOn',
  'maxRetries',
] as const;

export function pipelineConflicts(r: Reader, pipeline: PipelineConfig, upload: boolean): string[] {
  const problems: string[] = [];
  const set = BUILD_ONLY.filter((k) => r.chosen(k));
  if (set.length) {
    problems.push(
      `${r.named('pipelineName')} cannot be combined with ${set.map((k) => r.named(k)).join(', ')}: a pipeline runs its own actions' settings (use ${r.named('pipelineVariables')} and ${r.named('sourceRevisions')})`,
    );
  }
  if (pipeline.executionId && (pipeline.variables.length || pipeline.sourceRevisions.length || upload)) {
    problems.push(
      `${r.named('pipelineExecutionId')} follows a running execution: it cannot take ${r.named('pipelineVariables')}, ${r.named('sourceRevisions')} or ${r.named('uploadSource')}`,
    );
  }
  return problems;
}

/** upload-source with a pipeline: `true` (the S3 source action's object) or that very location. */
export function pipelineUpload(text: string): { bucket: string; prefix: string } | undefined {
  if (!text.trim().startsWith('s3://')) return parseBoolean(text) ? { bucket: '', prefix: '' } : undefined;
  return parseS3Location(text);
}
