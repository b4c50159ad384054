import { ENV_VAR_TYPES, type EnvironmentVariable, type EnvVarType } from '../domain/start-request';
import { InvalidValue, oneOf, parseJson } from './parse';

const MAX_VALUE_LENGTH = 4096;

/**
 * `NAME=value` lines (PLAINTEXT), or a JSON array of {name, value, type}.
 * `items` are Bitbucket list entries, each a `NAME=value` line or one JSON object.
 */
export function parseEnvironmentVariables(text: string, items?: readonly string[]): EnvironmentVariable[] {
  const vars = items ? items.flatMap(parseItem) : parseText(text);
  const seen = new Set<string>();
  for (const v of vars) {
    if (seen.has(v.name)) throw new InvalidValue(`names '${v.name}' twice`);
    seen.add(v.name);
  }
  return vars;
}

function parseText(text: string): EnvironmentVariable[] {
  const t = text.trim();
  if (t.startsWith('[')) {
    const list = parseJson(t);
    if (!Array.isArray(list)) throw new InvalidValue('must be a JSON array of {"name","value","type"} objects');
    return list.map((entry, i) => fromObject(entry, `entry ${i + 1}`));
  }
  return t
    .split(/\r?\n/)
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim() !== '' && !line.trim().startsWith('#'))
    .map(({ line, i }) => fromLine(line, i));
}

function parseItem(item: string, index: number): EnvironmentVariable[] {
  const t = item.trim();
  return t.startsWith('{') ? [fromObject(parseJson(t), `item ${index + 1}`)] : [fromLine(t, index)];
}

/** Errors name the line by number only: the value may be a secret. */
function fromLine(line: string, index: number): EnvironmentVariable {
  const eq = line.indexOf('=');
  if (eq <= 0) throw new InvalidValue(`line ${index + 1} is not NAME=value`);
  return checked({ name: line.slice(0, eq).trim(), value: line.slice(eq + 1), type: 'PLAINTEXT' });
}

function fromObject(entry: unknown, where: string): EnvironmentVariable {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new InvalidValue(`${where} must be an object {"name","value","type"}`);
  }
  const { name, value, type } = entry as Record<string, unknown>;
  if (typeof name !== 'string') throw new InvalidValue(`${where} needs a string "name"`);
  if (typeof value !== 'string') throw new InvalidValue(`${where} ('${name}') needs a string "value"`);
  if (type !== undefined && typeof type !== 'string') throw new InvalidValue(`${where} ('${name}') "type" must be a string`);
  let parsedType: EnvVarType;
  try {
    parsedType = type === undefined ? 'PLAINTEXT' : oneOf(type, ENV_VAR_TYPES);
  } catch (e) {
    throw new InvalidValue(`'${name}' type ${(e as Error).message}`);
  }
  return checked({ name: name.trim(), value, type: parsedType });
}

function checked(v: EnvironmentVariable): EnvironmentVariable {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(v.name)) {
    throw new InvalidValue(`name '${v.name}' must start with a letter or _ and hold only letters, digits, _ . -`);
  }
  // CodeBuild rejects overrides of its own reserved variables.
  if (v.name.toUpperCase().startsWith('CODEBUILD_')) throw new InvalidValue(`name '${v.name}' may not start with CODEBUILD_`);
  if (v.value.length > MAX_VALUE_LENGTH) {
    throw new InvalidValue(`'${v.name}' value is ${v.value.length} characters; at most ${MAX_VALUE_LENGTH} are allowed`);
  }
  return v;
}
