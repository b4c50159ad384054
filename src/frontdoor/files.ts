import { isAbsolute, join } from 'node:path';
import type { Log } from '../log/log';
import { DOTENV_MAX_VARIABLES, dotenvFileSink } from '../present/dotenv';
import { junitFileSink } from '../present/junit';
import { combineSinks, type OutputSink, resultFileSink } from '../present/outputs';
import type { OutputFiles } from './frontdoor';

/**
 * The files every door can write, each relative to `base` (the checkout): the JSON result, the
 * outputs as a dotenv file (GitLab's variable cap by default, the smallest of GitLab's plans),
 * and the test reports as JUnit XML.
 */
export function fileSinks(base: string, files: OutputFiles, log: Log, maxVariables: number = DOTENV_MAX_VARIABLES.selfManaged): OutputSink {
  const at = (file: string) => (isAbsolute(file) ? file : join(base, file));
  return combineSinks(
    files.resultFile ? resultFileSink(at(files.resultFile)) : undefined,
    files.dotenvFile ? dotenvFileSink(at(files.dotenvFile), maxVariables, (m) => log.warning(m)) : undefined,
    files.junitFile ? junitFileSink(at(files.junitFile)) : undefined,
  );
}
