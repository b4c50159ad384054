import { TextLog } from '../log/text-log';
import { TextPresenter } from '../present/text-presenter';
import { fileSinks } from './files';
import type { FrontDoor, Surroundings } from './frontdoor';

export const RESULT_FILE = 'codebuild-result.json';

/** The pieces the Bitbucket pipe and `docker run` share: text lines, and a result file beside the user's files. */
export function textDoorParts(s: Surroundings, base: string, color: boolean): Pick<FrontDoor, 'console' | 'outputs' | 'defaults'> {
  return {
    defaults: { resultFile: RESULT_FILE },
    console({ debug }) {
      const log = new TextLog({ color, debug }, s.write);
      return { log, presenter: new TextPresenter(log) };
    },
    outputs: (files, log) => fileSinks(base, files, log),
  };
}
