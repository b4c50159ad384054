import { resolve } from 'node:path';
// @ts-expect-error: a plain .mjs script without types
import { checkLayers } from '../../../scripts/check-layers.mjs';
import { tree } from '../tree';

describe('the layer check', () => {
  test('this project keeps its layers', () => {
    expect(checkLayers(resolve(__dirname, '../../../src'))).toEqual([]);
  });

  test('an import from a layer above is named', () => {
    const src = tree({ 'domain/a.ts': "import { b } from '../step/b';\n", 'step/b.ts': 'export const b = 1;\n' });
    expect(checkLayers(src)).toEqual(["domain/a.ts imports step/b.ts: 'step' is a layer above 'domain'"]);
  });

  test('cycles between files and between folders of one layer are named', () => {
    const src = tree({
      'aws/a.ts': "import type { B } from '../log/b';\n",
      'log/b.ts': "import { a } from '../aws/a';\nexport type B = 1;\n",
    });
    const problems: string[] = checkLayers(src);
    expect(problems).toContain('import cycle between files: aws/a.ts → log/b.ts → aws/a.ts');
    expect(problems).toContain('import cycle between folders: aws → log → aws');
  });

  test('reading the environment outside the front doors is named', () => {
    const src = tree({ 'present/x.ts': 'export const x = process.env.HOME;\n', 'frontdoor/y.ts': 'export const y = process.env.HOME;\n' });
    expect(checkLayers(src)).toEqual(['present/x.ts reads process.env: only the front doors read the environment']);
  });

  test('one kind of run never imports another; what they share depends on none; only the choice knows them all', () => {
    const src = tree({
      'targets/target.ts': 'export interface Target {}\n',
      'targets/codebuild/links.ts': "import { p } from '../pipeline/run';\nexport const l = 1;\n",
      'targets/build/run.ts': "import { l } from '../codebuild/links';\nimport { b } from '../batch/run';\n",
      'targets/batch/run.ts': "import type { Target } from '../target';\nexport const b = 1;\n",
      'targets/pipeline/run.ts': 'export const p = 1;\n',
      'targets/choose-target.ts': "import { b } from './batch/run';\nimport { p } from './pipeline/run';\n",
    });
    expect(checkLayers(src).sort()).toEqual([
      'targets/build/run.ts imports targets/batch/run.ts: one kind of run never imports another (share through targets/codebuild/ or targets/*.ts)',
      'targets/codebuild/links.ts imports targets/pipeline/run.ts: what the kinds share cannot depend on one kind',
    ]);
  });

  test('no way around it: dynamic imports, require, folder imports; step/ and present/ see only the interface; no kind branches elsewhere', () => {
    const src = tree({
      'targets/target.ts': 'export interface Target {}\n',
      'targets/build/index.ts': 'export const b = 1;\n',
      'targets/batch/run.ts': "export const r = () => import('../build/run');\n",
      'targets/build/run.ts': "const x = require('../batch/other');\n",
      'targets/batch/other.ts': 'export const o = 1;\n',
      'targets/codebuild/links.ts': 'export const l = 1;\n',
      'step/a.ts': "import '../targets/build';\nimport { l } from '../targets/codebuild/links';\nimport type { Target } from '../targets/target';\n",
      'present/p.ts': "export const p = (run: { kind: string }) => run.kind === 'pipeline';\n",
    });
    expect(checkLayers(src).sort()).toEqual([
      'present/p.ts branches on the kind of run: only config/ and targets/ know the kinds',
      'step/a.ts imports targets/build/index.ts: step/ knows a run only by its interface (targets/*.ts)',
      'step/a.ts imports targets/codebuild/links.ts: step/ knows a run only by its interface (targets/*.ts)',
      'targets/batch/run.ts imports targets/build/run.ts: one kind of run never imports another (share through targets/codebuild/ or targets/*.ts)',
      'targets/build/run.ts imports targets/batch/other.ts: one kind of run never imports another (share through targets/codebuild/ or targets/*.ts)',
    ]);
  });
});
