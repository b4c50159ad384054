// Bundles src/ into one self-contained dist/index.js (every dependency inside), as the
// Action, the pipe and the image run it. `--check` fails when the committed bundle is stale.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

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
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
});
const code = result.outputFiles[0].contents;
const target = 'dist/index.js';
if (check) {
  let committed;
  try {
    committed = readFileSync(target);
  } catch {
    committed = Buffer.alloc(0);
  }
  if (!committed.equals(Buffer.from(code))) {
    console.error(`${target} is out of date with src/: run 'npm run build' and commit dist/.`);
    process.exit(1);
  }
  console.log(`${target} is up to date (${(code.length / 1024).toFixed(0)} KiB).`);
} else {
  mkdirSync('dist', { recursive: true });
  writeFileSync(target, code);
  console.log(`wrote ${target} (${(code.length / 1024).toFixed(0)} KiB)`);
}
