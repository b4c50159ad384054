import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Outputs } from '../domain/outputs';
import type { TestReport } from '../domain/test-reports';
import type { Log } from '../log/log';

/** Where results go as soon as they are known: GitHub outputs, a result file, a dotenv file… */
export interface OutputSink {
  set(values: Outputs): void;
  /** The run's test reports, once read (a JUnit file takes them). */
  tests?(reports: readonly TestReport[]): void;
}

/** The JSON result file; rewritten whole on each update so a killed run still leaves the build id. */
export function resultFileSink(path: string): OutputSink & { readonly values: Outputs } {
  const values: Outputs = {};
  return {
    values,
    set(update) {
      Object.assign(values, update);
      writeWhole(path, `${JSON.stringify(values, null, 2)}\n`);
    },
  };
}

export function combineSinks(...sinks: readonly (OutputSink | undefined)[]): OutputSink {
  const present = sinks.filter((s): s is OutputSink => !!s);
  return {
    set(values) {
      for (const sink of present) sink.set(values);
    },
    tests(reports) {
      for (const sink of present) sink.tests?.(reports);
    },
  };
}

/** Writing outputs must never fail the step or leave a started build unwatched: one warning, at most. */
export function guardedSink(sink: OutputSink, log: Log): OutputSink {
  let warned = false;
  const guarded = (write: () => void) => {
    try {
      write();
    } catch (error) {
      if (!warned) log.warning(`Could not write the outputs/result: ${(error as Error).message}`);
      warned = true;
    }
  };
  return {
    set: (values) => guarded(() => sink.set(values)),
    tests: (reports) => guarded(() => sink.tests?.(reports)),
  };
}

/** Writes a file whole, through a temporary one: a reader (or a killed job) never sees half of it. */
export function writeWhole(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
