// The architecture, checked on every `npm test`: each folder of src/ sits in a layer, and no file
// imports from a layer above its own; no import cycle, between files or between folders; only the
// front doors (and index.ts, which hands process.env to them) read the environment.
//
//   domain → config, aws, watch, log, present, source-upload, artifacts → targets → step → frontdoor → main, index
//
// Inside targets/, each kind of run is a folder that never imports another kind's folder: what
// kinds share lives in targets/codebuild/ (the CodeBuild builds every kind may run) and the
// interface in targets/*.ts; only choose-target.ts knows every kind.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const LAYERS = {
  domain: 0,
  config: 1,
  aws: 1,
  watch: 1,
  log: 1,
  present: 1,
  'source-upload': 1,
  artifacts: 1,
  targets: 2,
  step: 3,
  frontdoor: 4,
  '.': 5, // main.ts, index.ts
};
/** Folders under targets/ that every kind may use; every other folder there is one kind of run. */
const SHARED_TARGET_FOLDERS = new Set(['codebuild']);
const CHOOSER = 'targets/choose-target.ts';
/** Files allowed to touch process.env. */
const ENV_READERS = /^(frontdoor\/|index\.ts$)/;

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const folderOf = (rel) => (rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '.');
/** `targets/<kind>/…` → kind; undefined for anything else. */
const kindOf = (rel) => /^targets\/([^/]+)\//.exec(rel)?.[1];

/**
 * Relative imports of a file, resolved to paths relative to src/ (type-only ones included: they
 * couple too): `import … from`, `export … from`, a bare `import '…'`, `import('…')` and
 * `require('…')`; a folder resolves to its index.ts.
 */
function importsOf(file, src) {
  const text = readFileSync(file, 'utf8');
  const patterns = [
    /^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  const specs = patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));
  return [...new Set(specs)]
    .filter((s) => s.startsWith('.'))
    .map((s) => {
      const target = resolve(dirname(file), s);
      const path = existsSync(`${target}.ts`) || !existsSync(target) ? `${target}.ts` : join(target, 'index.ts');
      return relative(src, path).split(sep).join('/');
    });
}

/** Folders that run any kind of run may know only its interface (targets/*.ts), never a kind's or the shared CodeBuild code. */
const INTERFACE_ONLY = new Set(['step', 'present']);
/** Code outside the target choice that branches on what runs: the kinds are the targets' business. */
const KIND_BRANCH = /\.kind\s*[!=]==?\s*'(?:build|batch|attach|pipeline)'|case\s+'(?:build|batch|attach|pipeline)'\s*:/;
const MAY_BRANCH = /^(config\/|targets\/)/;

/** Every problem in the tree under `src`, as lines. */
export function checkLayers(src) {
  const problems = [];
  const graph = new Map();
  const folders = new Map();
  for (const file of sourceFiles(src)) {
    const rel = relative(src, file).split(sep).join('/');
    const from = folderOf(rel);
    if (!(from in LAYERS)) problems.push(`${rel}: folder '${from}' has no layer (add it to scripts/check-layers.mjs)`);
    const deps = importsOf(file, src);
    graph.set(rel, deps);
    for (const dep of deps) {
      const to = folderOf(dep);
      if (LAYERS[to] > LAYERS[from]) problems.push(`${rel} imports ${dep}: '${to}' is a layer above '${from}'`);
      const [mine, theirs] = [kindOf(rel), kindOf(dep)];
      if (theirs && !SHARED_TARGET_FOLDERS.has(theirs) && theirs !== mine && rel !== CHOOSER && !SHARED_TARGET_FOLDERS.has(mine) && !INTERFACE_ONLY.has(from)) {
        problems.push(`${rel} imports ${dep}: one kind of run never imports another (share through targets/codebuild/ or targets/*.ts)`);
      }
      if (mine && SHARED_TARGET_FOLDERS.has(mine) && theirs && !SHARED_TARGET_FOLDERS.has(theirs)) {
        problems.push(`${rel} imports ${dep}: what the kinds share cannot depend on one kind`);
      }
      if (INTERFACE_ONLY.has(from) && theirs) problems.push(`${rel} imports ${dep}: ${from}/ knows a run only by its interface (targets/*.ts)`);
      if (to !== from) folders.set(from, new Set([...(folders.get(from) ?? []), to]));
    }
    if (!MAY_BRANCH.test(rel) && KIND_BRANCH.test(readFileSync(file, 'utf8'))) {
      problems.push(`${rel} branches on the kind of run: only config/ and targets/ know the kinds`);
    }
    if (!ENV_READERS.test(rel) && /process\.env\b/.test(readFileSync(file, 'utf8'))) {
      problems.push(`${rel} reads process.env: only the front doors read the environment`);
    }
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle between files: ${cycle.join(' → ')}`);
  for (const cycle of cycles(new Map([...folders].map(([k, v]) => [k, [...v]])))) problems.push(`import cycle between folders: ${cycle.join(' → ')}`);
  return problems;
}

/** One cycle per strongly connected knot, found by depth-first search. */
function cycles(graph) {
  const found = [];
  const state = new Map(); // 1 = on the path, 2 = done
  const path = [];
  const visit = (node) => {
    state.set(node, 1);
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 2);
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const problems = checkLayers(resolve('src'));
  if (problems.length) {
    console.error(`Layering broken (see scripts/check-layers.mjs):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('layers: no upward imports, no cycles, the environment read only by the front doors');
}
