import { INPUTS, type InputKey } from './inputs';
import { InvalidValue, parseBoolean } from './parse';
import type { SettingSource } from './sources';

/** Reads settings off one source, recording every bad value as a problem that names the setting. */
export class Reader {
  readonly problems: string[] = [];
  constructor(readonly source: SettingSource) {}

  raw(key: InputKey) {
    return this.source.read(INPUTS[key]);
  }

  named(key: InputKey): string {
    return this.source.describe(INPUTS[key]);
  }

  get<T>(key: InputKey, parse: (text: string, items?: readonly string[]) => T): T | undefined {
    const value = this.raw(key);
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

  bool(key: InputKey, fallback: boolean): boolean {
    return this.get(key, parseBoolean) ?? fallback;
  }
}
