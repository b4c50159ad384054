import { INPUTS, type InputKey } from './inputs';
import { InvalidValue, parseBoolean } from './parse';
import type { RawValue, SettingSource } from './sources';

/**
 * Reads settings off one source, recording every bad value as a problem that names the setting.
 * Defaults come from the input table alone. A platform may pass them itself (GitHub's runner sets
 * every declared input, defaulted; a repository pipe applies pipe.yml's), so a value equal to its
 * default is indistinguishable from no value: the combination rules ask `chosen`, never `raw`.
 */
export class Reader {
  readonly problems: string[] = [];
  /** Each defaulted setting's parser, so `chosen` compares values as the loader reads them. */
  private readonly parsers = new Map<InputKey, (text: string) => unknown>();
  constructor(readonly source: SettingSource) {}

  /** What the platform passed, if anything (a default it filled in included). */
  raw(key: InputKey): RawValue | undefined {
    return this.source.read(INPUTS[key]);
  }

  named(key: InputKey): string {
    return this.source.describe(INPUTS[key]);
  }

  /**
   * Set to something other than what leaving it out means, as the setting's own parser reads it
   * (`01` is the default `1`; `TRUE` is `true`). A value that does not parse counts as chosen:
   * its problem is recorded already.
   */
  chosen(key: InputKey): boolean {
    const value = this.raw(key);
    const fallback = INPUTS[key].default;
    if (!value || fallback === undefined) return !!value;
    const parse = this.parsers.get(key) ?? ((t: string) => t.trim().toLowerCase());
    const read = (text: string) => {
      try {
        return JSON.stringify(parse(text));
      } catch {
        return undefined;
      }
    };
    const given = read(value.value);
    return given === undefined || given !== read(fallback);
  }

  /** The value in effect: the platform's, or the table's default. */
  get<T>(key: InputKey, parse: (text: string, items?: readonly string[]) => T): T | undefined {
    const value = this.raw(key) ?? defaultOf(key);
    if (!value) return undefined;
    try {
      return parse(value.value, value.items);
    } catch (e) {
      if (!(e instanceof InvalidValue)) throw e;
      this.problems.push(`${value.from} ${e.message}`);
      return undefined;
    }
  }

  text(key: InputKey): string | undefined {
    return this.raw(key)?.value || undefined;
  }

  /** A setting the table gives a default: always a value (after a bad one, recorded, the default). */
  withDefault<T>(key: InputKey, parse: (text: string) => T): T {
    const fallback = INPUTS[key].default;
    if (fallback === undefined) throw new Error(`${key} has no default in the input table`);
    this.parsers.set(key, parse);
    return this.get(key, parse) ?? parse(fallback);
  }

  bool(key: InputKey): boolean {
    return this.withDefault(key, parseBoolean);
  }
}

function defaultOf(key: InputKey): RawValue | undefined {
  const value = INPUTS[key].default;
  return value === undefined ? undefined : { value, from: `the default of ${key}` };
}
