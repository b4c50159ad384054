import type { InputSpec } from '../config/inputs';
import type { RawValue, SettingSource } from '../config/sources';
import type { Env } from './frontdoor';

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

function readOne(raw: string | undefined, spec: InputSpec, from: string): RawValue | undefined {
  if (present(raw)) return { value: raw.trim(), from };
  if (raw !== undefined && spec.emptyDisables) return { value: '', from };
  return undefined;
}

/** GitHub Actions inputs: `INPUT_<NAME>` with spaces as `_`, hyphens kept, as the runner sets them. */
export function githubInputs(env: Env): SettingSource {
  const describe = (spec: InputSpec) => `input '${spec.input}'`;
  return {
    describe,
    read: (spec) => readOne(env[`INPUT_${spec.input.replace(/ /g, '_').toUpperCase()}`], spec, describe(spec)),
  };
}

/** Environment variables, as a Bitbucket pipe or `docker run -e` delivers them. */
export function envVariables(env: Env): SettingSource {
  const describe = (spec: InputSpec) => spec.env.join(' or ');
  return {
    describe,
    read(spec) {
      for (const name of spec.componentEnv ? [spec.componentEnv, ...spec.env] : spec.env) {
        const value = readOne(env[name], spec, name);
        if (value) return value;
        if (spec.list) {
          const items = listVariable(env, name);
          if (items) return { value: items.join('\n'), from: `${name}_0…`, items };
        }
      }
      return undefined;
    },
  };
}

/** A YAML list in a pipe's variables arrives as NAME_COUNT, NAME_0, NAME_1 … */
function listVariable(env: Env, name: string): string[] | undefined {
  const count = Number(env[`${name}_COUNT`]);
  if (!Number.isInteger(count) || count <= 0) return undefined;
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    const item = env[`${name}_${i}`];
    if (present(item)) items.push(item);
  }
  return items;
}
