import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Outputs } from '../domain/outputs';
import type { Log } from '../log/log';

/** Where results go as soon as they are known: GitHub outputs, a result file, or both. */
export interface OutputSink {
  set(values: Outputs): void;
}

/** The JSON result file; rewritten whole on each update so a killed run still leaves the build id. */
export function resultFileSink(path: string): OutputSink & { readonly values: Outputs } {
  const values: Outputs = {};
  return {
    values,
    set(update) {
      Object.assign(values, update);
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(values, null, 2)}\n`);
      renameSync(tmp, path);
    },
  };
}

export function combineSinks(...sinks: readonly (OutputSink | undefined)[]): OutputSink {
  const present = sinks.filter((s): s is OutputSink => !!s);
  return {
    set(values) {
      for (const sink of present) sink.set(values);
    },
  };
}

/** Writing outputs must never fail the step or leave a started build unwatched: one warning, at most. */
export function guardedSink(sink: OutputSink, log: Log): OutputSink {
  let warned = false;
  return {
    set(values) {
      try {
        sink.set(values);
      } catch (error) {
        if (!warned) log.warning(`Could not write the outputs/result: ${(error as Error).message}`);
        warned = true;
      }
    },
  };
}
