/** Parsers for raw setting text. Each throws a message naming what is allowed. */

export class InvalidValue extends Error {}

export function parseBoolean(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(t)) return true;
  if (['false', 'no', '0', 'off'].includes(t)) return false;
  throw new InvalidValue(`must be true or false, got '${text}'`);
}

export function parseInteger(text: string, min: number, max: number): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new InvalidValue(`must be a whole number from ${min} to ${max}, got '${text}'`);
  const n = Number(t);
  if (n < min || n > max) throw new InvalidValue(`must be from ${min} to ${max}, got ${n}`);
  return n;
}

export function parseJsonObject(text: string): Record<string, unknown> {
  const value = parseJson(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidValue('must be a JSON object ({…})');
  }
  return value as Record<string, unknown>;
}

/** The engine's message quotes the input, which may hold secrets: keep only the position. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new InvalidValue(`is not valid JSON${at ? ` (error at character ${Number(at) + 1})` : ''}`);
  }
}

export function oneOf<T extends string>(text: string, allowed: readonly T[]): T {
  const t = text.trim().toUpperCase();
  const found = allowed.find((a) => a.toUpperCase() === t);
  if (!found) throw new InvalidValue(`must be one of ${allowed.join(', ')}, got '${text}'`);
  return found;
}
