// Bundles src/ into one self-contained dist/index.js (every dependency inside), as the
// Action, the pipe and the image run it, and writes dist/licenses.txt beside it: the licence and
// notice files of every package bundled (scripts/licenses.mjs). `--check` fails when either
// committed file is not what this build makes.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { licencesFor } from './licenses.mjs';

// The Node the Action, the image and the tests run: package.json's engines minimum.
const node = /(\d+)/.exec(JSON.parse(readFileSync('package.json', 'utf8')).engines.node)[1];

const check = process.argv.includes('--check');
const result = await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  platform: 'node',
  target: `node${node}`,
  format: 'cjs',
  minify: true,
  // The bundled packages' licences go, whole, into dist/licenses.txt rather than as comments here.
  legalComments: 'none',
  metafile: true,
  write: false,
  logLevel: 'warning',
});
const outputs = [
  ['dist/index.js', Buffer.from(result.outputFiles[0].contents)],
  ['dist/licenses.txt', Buffer.from(licencesFor(result.metafile))],
];
const kib = (b) => `${(b.length / 1024).toFixed(0)} KiB`;
if (check) {
  const stale = outputs.filter(([target, content]) => {
    try {
      return !readFileSync(target).equals(content);
    } catch {
      return true;
    }
  });
  for (const [target] of stale) console.error(`${target} is out of date with src/ and node_modules/: run 'npm run build' and commit dist/.`);
  if (stale.length) process.exit(1);
  console.log(outputs.map(([target, content]) => `${target} is up to date (${kib(content)}).`).join('\n'));
} else {
  mkdirSync('dist', { recursive: true });
  for (const [target, content] of outputs) writeFileSync(target, content);
  console.log(`wrote ${outputs.map(([target, content]) => `${target} (${kib(content)})`).join(', ')}`);
}
