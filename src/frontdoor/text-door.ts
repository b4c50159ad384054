import { isAbsolute, join } from 'node:path';
import { TextLog } from '../log/text-log';
import { combineSinks, type OutputSink, resultFileSink } from '../present/outputs';
import { TextPresenter } from '../present/text-presenter';
import type { FrontDoor, Surroundings } from './frontdoor';

export const RESULT_FILE = 'codebuild-result.json';

/** The pieces the Bitbucket pipe and `docker run` share: text lines, and a result file beside the user's files. */
export function textDoorParts(s: Surroundings, base: string, color: boolean): Pick<FrontDoor, 'console' | 'outputs' | 'defaults'> {
  return {
    defaults: { resultFile: RESULT_FILE },
    console(debug) {
      const log = new TextLog({ color, debug }, s.write);
      return { log, presenter: new TextPresenter(log) };
    },
    outputs: (resultFile): OutputSink => combineSinks(resultFile ? resultFileSink(isAbsolute(resultFile) ? resultFile : join(base, resultFile)) : undefined),
  };
}
