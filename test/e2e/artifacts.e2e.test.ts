import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { type BuildScript, successScript } from '../fake/build-script';
import { leftover, type ScriptedArtifact } from '../fake/fake-artifacts';
import { rawZip } from '../fake/raw-zip';
import { useFake } from './helpers';
import { readJson, runBundle } from './run-bundle';

/** A ZIP as CodeBuild writes one (yazl: a well-formed writer). */
async function zipOf(files: Record<string, { body: string; mode?: number }>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, f] of Object.entries(files)) zip.addBuffer(Buffer.from(f.body), name, { mode: f.mode ?? 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const withArtifacts = (artifacts: ScriptedArtifact[]): BuildScript => ({ ...successScript(), artifacts });
const IMAGE_DEFINITIONS = '[{"name":"web","imageUri":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v1.2.3"}]';

// Projects are added below, once their archives are made.
const aws = useFake(() => undefined, {
  s3: {
    listPageSize: 2,
    deny: [
      { op: 'GetObject', prefix: 'locked/' },
      { op: 'GetObject', prefix: 'kms-bucket/', kms: true },
    ],
  },
});

let zipped: Buffer;
beforeAll(async () => {
  zipped = await zipOf({ 'imagedefinitions.json': { body: IMAGE_DEFINITIONS }, 'bin/deploy.sh': { body: '#!/bin/sh\necho deploy\n', mode: 0o100755 } });
  const reports = { 'junit/a.xml': '<testsuite name="a"/>', 'junit/b.xml': '<testsuite name="b"/>', 'coverage.txt': '93%', 'index.html': '<html/>' };
  aws.fake.addProject(
    'art',
    withArtifacts([
      { bucket: 'out-bucket', key: 'art/build-1/app.zip', zip: zipped },
      { identifier: 'reports', bucket: 'out-bucket', key: 'art/build-1/reports', files: reports },
    ]),
  );
  // What an earlier build (namespaceType NONE) left under the same prefix: not this build's.
  leftover(aws.fake.s3, 'out-bucket/art/build-1/reports/stale.xml', '<old/>', Date.now() - 86_400_000);
  aws.fake.addProject('plain', successScript());
  aws.fake.addProject(
    'slip',
    withArtifacts([
      {
        bucket: 'out-bucket',
        key: 'slip/app.zip',
        zip: rawZip([
          { name: 'ok.txt', data: 'fine' },
          { name: '../../escaped.txt', data: 'pwned' },
        ]),
      },
    ]),
  );
  aws.fake.addProject('locked', withArtifacts([{ bucket: 'locked', key: 'app.zip', zip: zipped }]));
  aws.fake.addProject('kms', withArtifacts([{ bucket: 'kms-bucket', key: 'app.zip', zip: zipped }]));
  aws.fake.addProject('moved', withArtifacts([{ bucket: 'out-bucket', key: 'moved/app.zip', zip: zipped }]));
  aws.fake.addBatchProject('fan', [
    { identifier: 'linux', script: withArtifacts([{ bucket: 'out-bucket', key: 'fan/linux.zip', zip: zipped }]) },
    { identifier: 'windows', script: withArtifacts([{ bucket: 'out-bucket', key: 'fan/windows', files: { 'app.exe': 'MZ' } }]) },
  ]);
});

const workspace = () => mkdtempSync(join(tmpdir(), 'cbr-ws-'));
const run = (project: string, dir: string, more: Record<string, string> = {}) =>
  runBundle({ ...aws.env, PROJECT_NAME: project, DOWNLOAD_ARTIFACTS: 'build-output', GITLAB_CI: 'true', ...more }, { cwd: dir });

describe('download-artifacts: the build output, back in the workspace', () => {
  test.concurrent('a zipped primary is extracted into the directory (modes kept), a NONE secondary copied into <dir>/<identifier>', async () => {
    const dir = workspace();
    const r = await run('art', dir);
    expect(r.code).toBe(0);
    const out = join(dir, 'build-output');
    expect(readFileSync(join(out, 'imagedefinitions.json'), 'utf8')).toBe(IMAGE_DEFINITIONS);
    expect(statSync(join(out, 'bin/deploy.sh')).mode & 0o777).toBe(0o755);
    expect(readdirSync(join(out, 'reports'), { recursive: true }).sort()).toEqual(['coverage.txt', 'index.html', 'junit', 'junit/a.xml', 'junit/b.xml']);
    // Five objects, two a page: the listing was followed to its end; the earlier build's left out, and said.
    expect(aws.fake.s3.calls.filter((c) => c.op === 'ListObjectsV2' && c.key === 'out-bucket/art/build-1/reports/').length).toBe(3);
    expect(r.stdout).toMatch(
      /INFO: Left out 1 objects under s3:\/\/out-bucket\/art\/build-1\/reports\/ written before its UPLOAD_ARTIFACTS phase .*: stale\.xml/,
    );
    const result = readJson(join(dir, 'codebuild-result.json'))!;
    expect(result['artifacts-dir']).toBe(out);
    expect(JSON.parse(result.artifacts!).sort()).toEqual(
      ['bin/deploy.sh', 'imagedefinitions.json', 'reports/coverage.txt', 'reports/index.html', 'reports/junit/a.xml', 'reports/junit/b.xml'].map(
        (f) => `build-output/${f}`,
      ),
    );
    expect(r.stdout).toMatch(/INFO: Downloading the primary artifact of build art:\S+ from s3:\/\/out-bucket\/art\/build-1\/app\.zip/);
    expect(r.stdout).toMatch(/INFO: Downloaded 6 files \(0\.0 MB\) to /);
  });

  test.concurrent('a batch: each child into <dir>/<identifier>', async () => {
    const dir = workspace();
    const r = await run('fan', dir, { BATCH: 'true' });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'build-output/linux/imagedefinitions.json'), 'utf8')).toBe(IMAGE_DEFINITIONS);
    expect(readFileSync(join(dir, 'build-output/windows/app.exe'), 'utf8')).toBe('MZ');
  });

  test.concurrent('a zip-slip archive is refused: the step fails, nothing is written outside (or inside)', async () => {
    const dir = workspace();
    const r = await run('slip', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SUCCEEDED/);
    expect(r.stdout).toMatch(
      /Could not download the primary artifact of build slip:\S+ \(s3:\/\/out-bucket\/slip\/app\.zip\): refused: invalid relative path: \.\.\/\.\.\/escaped\.txt\. Nothing was written outside the directory\./,
    );
    // Only the step's own files (on GitLab the result and the dotenv report), nothing of the archive.
    expect(readdirSync(dir).sort()).toEqual(['codebuild-result.json', 'codebuild.env']);
    expect(readdirSync(join(dir, '..')).filter((f) => f === 'escaped.txt')).toEqual([]);
  });

  test.concurrent('access denied fails a green build with the permission named, then the other documented causes; the verdict stays SUCCEEDED', async () => {
    const dir = workspace();
    const r = await run('locked', dir);
    expect(r.code).toBe(1);
    expect(readJson(join(dir, 'codebuild-result.json'))!['build-status']).toBe('SUCCEEDED');
    expect(r.stdout).toMatch(
      /Could not download the primary artifact of build locked:\S+: Could not download s3:\/\/locked\/app\.zip: access denied \(Access Denied\)\. The credentials need s3:GetObject on arn:aws:s3:::locked\/app\.zip\. S3 does not say why it refused; also possible: .*bucketOwnerAccess NONE.*; the object is not there .*; the bucket is another account's and Requester Pays/,
    );
    const kms = await run('kms', workspace());
    expect(kms.code).toBe(1);
    expect(kms.stdout).toMatch(/The credentials need kms:Decrypt on the artifacts' KMS key \(and s3:GetObject on arn:aws:s3:::kms-bucket\/app\.zip\)/);
  });

  test.concurrent('artifactsOverride in start-build-overrides: downloaded from where the build put them', async () => {
    const dir = workspace();
    const overrides = { artifactsOverride: { type: 'S3', location: 'elsewhere', path: 'ci', name: 'custom.zip', packaging: 'ZIP' } };
    const r = await run('moved', dir, { START_BUILD_OVERRIDES: JSON.stringify(overrides) });
    expect(r.code).toBe(0);
    expect(aws.fake.s3.calls.some((c) => c.op === 'GetObject' && c.key === 'elsewhere/ci/custom.zip')).toBe(true);
    expect(readFileSync(join(dir, 'build-output/imagedefinitions.json'), 'utf8')).toBe(IMAGE_DEFINITIONS);
  });

  test.concurrent('a build without artifacts says so in one line and passes', async () => {
    const dir = workspace();
    const r = await run('plain', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/INFO: build plain:\S+ has no artifacts \(NO_ARTIFACTS\): nothing to download\./);
    expect(readJson(join(dir, 'codebuild-result.json'))!.artifacts).toBe('[]');
  });
});
