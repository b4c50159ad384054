import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { systemClock } from '../../../src/domain/clock';
import { type BuildScript, successScript } from '../../fake/build-script';
import { leftover, type ScriptedArtifact, storeBucket } from '../../fake/fake-artifacts';
import type { ScriptedPipeline } from '../../fake/fake-execution';
import { inProcessAws } from '../../fake/in-process';
import { codeBuildAction, s3Source } from '../../fake/pipeline-fixtures';
import { runInProcess } from './harness';

/**
 * download-artifacts against what S3 and CodeBuild really hold: shared keys, shared prefixes,
 * names decided at build time, the bucket's root, combined batches, refusals and their causes.
 */
async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, body] of Object.entries(files)) zip.addBuffer(Buffer.from(body), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const withArtifacts = (artifacts: ScriptedArtifact[]): BuildScript => ({ ...successScript(), artifacts });
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const DAY = 86_400_000;
/** The download directory: absolute, so the test can read it. */
const outDir = () => join(mkdtempSync(join(tmpdir(), 'cbr-art-')), 'out');
const files = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : []);

describe('download-artifacts: what S3 holds is not always what the build left', () => {
  test('a ZIP whose checksum differs (a later build wrote the key) fails, naming both hashes and the cause; nothing is extracted', async () => {
    const mine = await zipOf({ 'app.txt': 'mine' });
    const theirs = await zipOf({ 'app.txt': 'theirs' });
    const out = outDir();
    const r = await runInProcess({ PROJECT_NAME: 'app', DOWNLOAD_ARTIFACTS: out }, (f, clock) => {
      f.addProject('app', withArtifacts([{ bucket: 'out-bucket', key: 'app/app.zip', zip: mine }]));
      // Another build of the project (namespaceType NONE: the same key) started a moment later.
      f.codebuild.newBuild('app', withArtifacts([{ bucket: 'out-bucket', key: 'app/app.zip', zip: theirs }]), {}, clock.now() + 300);
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Build app #\d+ SUCCEEDED/);
    expect(r.out).toContain(`its SHA-256 is ${sha256(theirs)}, the build reported ${sha256(mine)}`);
    expect(r.out).toMatch(/Most likely a later build wrote the same key .*namespaceType to BUILD_ID/);
    expect(files(out)).toEqual([]);
  });

  test('NONE packaging: only the objects this build wrote arrive; what earlier builds left under the prefix is named and left out', async () => {
    const out = outDir();
    const r = await runInProcess({ PROJECT_NAME: 'site', DOWNLOAD_ARTIFACTS: out }, (f, clock) => {
      f.addProject('site', withArtifacts([{ bucket: 'out-bucket', key: 'site', files: { 'index.html': '<new/>', 'css/app.css': 'body{}' } }]));
      leftover(f.s3, 'out-bucket/site/old-page.html', '<old/>', clock.now() - DAY);
      leftover(f.s3, 'out-bucket/site/index.html', '<older/>', clock.now() - DAY);
    });
    expect(r.code).toBe(0);
    expect(files(out)).toEqual(['css', 'css/app.css', 'index.html']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('<new/>');
    expect(r.out).toMatch(/Left out 1 objects under s3:\/\/out-bucket\/site\/ written before its UPLOAD_ARTIFACTS phase .*: old-page\.html/);
  });

  test("overrideArtifactName: the object the buildspec named, not the stale one at the project's name", async () => {
    const fresh = await zipOf({ 'version.txt': '1.2.3' });
    const stale = await zipOf({ 'version.txt': '0.9.0' });
    const out = outDir();
    const r = await runInProcess({ PROJECT_NAME: 'named', DOWNLOAD_ARTIFACTS: out }, (f, clock) => {
      f.addProject(
        'named',
        withArtifacts([
          { bucket: 'out-bucket', key: 'named/app.zip', buildspecName: 'app-1.2.3.zip', zip: fresh },
          // Written beside it in the same upload: a secondary's, not a second name of the primary.
          { identifier: 'reports', bucket: 'out-bucket', key: 'named/reports', files: { 'r.xml': '<r/>' } },
        ]),
      );
      leftover(f.s3, 'out-bucket/named/app.zip', stale, clock.now() - DAY);
      leftover(f.s3, 'out-bucket/named/app-0.9.0.zip', stale, clock.now() - DAY);
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'version.txt'), 'utf8')).toBe('1.2.3');
    expect(files(out)).toEqual(['reports', 'reports/r.xml', 'version.txt']);
    expect(r.out).toContain('is named by its buildspec (overrideArtifactName): s3://out-bucket/named/app-1.2.3.zip');
  });

  test("overrideArtifactName with a nested name, beside another writer in the same seconds: the object with the build's checksum", async () => {
    const fresh = await zipOf({ 'version.txt': '1.2.3' });
    const other = await zipOf({ 'version.txt': 'another project' });
    const out = outDir();
    const r = await runInProcess({ PROJECT_NAME: 'nested', DOWNLOAD_ARTIFACTS: out }, (f, clock) => {
      // The build-spec reference's own example: name: builds/$CODEBUILD_BUILD_NUMBER/my-artifacts.
      f.addProject('nested', withArtifacts([{ bucket: 'shared', key: 'nested', buildspecName: 'builds/12/my-artifacts.zip', zip: fresh }]));
      // Another project writing to the bucket's root in the same seconds (ProjectName at the root, as plugin#77 shows).
      clock.after(1_900, () => leftover(f.s3, 'shared/other-project', other, clock.now()));
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'version.txt'), 'utf8')).toBe('1.2.3');
    expect(r.out).toContain('is named by its buildspec (overrideArtifactName): s3://shared/builds/12/my-artifacts.zip');
  });

  test('name "/" with no path: the bucket root, listed whole, only this build\'s objects, a secondary inside it once; never an empty key', async () => {
    const out = outDir();
    const r = await runInProcess({ PROJECT_NAME: 'root', DOWNLOAD_ARTIFACTS: out }, (f, clock) => {
      f.addProject(
        'root',
        withArtifacts([
          { bucket: 'site-bucket', key: '', files: { 'index.html': '<new/>' } },
          { identifier: 'reports', bucket: 'site-bucket', key: 'reports', files: { 'a.xml': '<a/>' } },
        ]),
      );
      leftover(f.s3, 'site-bucket/robots.txt', 'old', clock.now() - DAY);
    });
    expect(r.code).toBe(0);
    expect(files(out)).toEqual(['index.html', 'reports', 'reports/a.xml']);
    expect(r.out).toMatch(/Left out 1 objects under s3:\/\/site-bucket\/ written before .*: robots\.txt/);
    expect(r.fake.s3.calls.filter((c) => c.op === 'GetObject').map((c) => c.key)).toEqual(['site-bucket/index.html', 'site-bucket/reports/a.xml']);
  });

  test("a batch that combines its builds' artifacts: the batch's own (primary and secondaries), the builds' not again", async () => {
    const combined = await zipOf({ 'linux/app': 'elf', 'windows/app.exe': 'MZ' });
    const out = outDir();
    const r = await runInProcess({ PROJECT_NAME: 'fan', BATCH: 'true', DOWNLOAD_ARTIFACTS: out }, (f) =>
      f.addBatchProject(
        'fan',
        [
          { identifier: 'linux', script: withArtifacts([{ bucket: 'out-bucket', key: 'fan/linux.zip', zip: combined }]) },
          { identifier: 'windows', script: withArtifacts([{ bucket: 'out-bucket', key: 'fan/windows.zip', zip: combined }]) },
        ],
        {
          combined: [
            { bucket: 'out-bucket', key: 'fan/all.zip', zip: combined },
            { identifier: 'reports', bucket: 'out-bucket', key: 'fan/reports', files: { 'junit.xml': '<t/>' } },
          ],
        },
      ),
    );
    expect(r.code).toBe(0);
    expect(files(out)).toEqual(['linux', 'linux/app', 'reports', 'reports/junit.xml', 'windows', 'windows/app.exe']);
    const got = r.fake.s3.calls.filter((c) => c.op === 'GetObject').map((c) => c.key);
    expect(got.sort()).toEqual(['out-bucket/fan/all.zip', 'out-bucket/fan/reports/junit.xml']);
    expect(r.out).toContain('are combined into its artifacts (combineArtifacts): not downloaded one by one.');
  });
});

describe('download-artifacts: a refusal names its documented causes', () => {
  const zipped = zipOf({ 'app.txt': 'ok' });

  test('a Requester Pays bucket', async () => {
    const zip = await zipped;
    const r = await runInProcess(
      { PROJECT_NAME: 'rp', DOWNLOAD_ARTIFACTS: outDir() },
      (f) => f.addProject('rp', withArtifacts([{ bucket: 'rp-bucket', key: 'app.zip', zip }])),
      { fake: { s3: { requesterPays: ['rp-bucket'] } } },
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /The credentials need s3:GetObject on arn:aws:s3:::rp-bucket\/app\.zip\. .*the object is not there.*S3 answers a missing key with 403.*the bucket is another account's and Requester Pays/,
    );
  });

  test("another account's build with bucketOwnerAccess NONE; READ_ONLY reads", async () => {
    const zip = await zipped;
    const denied = await runInProcess({ PROJECT_NAME: 'xacct', DOWNLOAD_ARTIFACTS: outDir() }, (f) =>
      f.addProject('xacct', withArtifacts([{ bucket: 'shared-bucket', key: 'app.zip', zip, otherAccount: true }])),
    );
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(/bucketOwnerAccess NONE \(the default\).*set it to READ_ONLY or FULL/);
    const granted = await runInProcess({ PROJECT_NAME: 'xacct', DOWNLOAD_ARTIFACTS: outDir() }, (f) =>
      f.addProject('xacct', withArtifacts([{ bucket: 'shared-bucket', key: 'app.zip', zip, otherAccount: true, bucketOwnerAccess: 'READ_ONLY' }])),
    );
    expect(granted.code).toBe(0);
  });
});

describe('download-artifacts: an answer that is not from S3', () => {
  test("a proxy's HTML page on GetObject: the status and first bytes are said, not the SDK's UnknownError", async () => {
    const zip = await zipOf({ 'app.txt': 'ok' });
    const r = await runInProcess({ PROJECT_NAME: 'app', DOWNLOAD_ARTIFACTS: outDir() }, (f) => {
      f.addProject('app', withArtifacts([{ bucket: 'out-bucket', key: 'app/app.zip', zip }]));
      f.faults.set({ ratesByOp: { GetObject: { html502: 1 } } });
    });
    expect(r.code).toBe(1);
    const problem = r.lines.find((l) => l.includes('Could not download'));
    expect(problem).toContain('HTTP 502');
    expect(problem).toContain('<!doctype html>');
    expect(r.out).not.toContain('UnknownError');
  });
});

describe('download-artifacts: a pipeline whose actions run in other regions', () => {
  const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const pipeline = (output: Buffer, region?: string, key?: string): ScriptedPipeline => ({
    name: 'deploy',
    ...(key && { artifactStoreKey: key }),
    stages: [
      { name: 'Source', actions: [s3Source()] },
      { name: 'Build', actions: [{ ...codeBuildAction('CodeBuild', 'app'), outputs: { BuildOutput: output }, ...(region && { region }) }] },
    ],
  });

  test("a cross-region action's artifact comes from its region's store, asked there first", async () => {
    const zip = await zipOf({ 'app.txt': 'built in us-east-1' });
    const out = outDir();
    const r = await runInProcess({ PIPELINE_NAME: 'deploy', DOWNLOAD_ARTIFACTS: out }, (f) => {
      f.addProject('app', successScript());
      f.addPipeline(pipeline(zip, 'us-east-1'));
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'BuildOutput/app.txt'), 'utf8')).toBe('built in us-east-1');
    expect(r.out).toContain(`from s3://${storeBucket('us-east-1')}/`);
    expect(r.fake.s3.calls.filter((c) => c.op === 'Refused')).toEqual([]);
  });

  test("S3 refuses a store: the store's encryptionKey is named", async () => {
    const zip = await zipOf({ 'app.txt': 'x' });
    const r = await runInProcess(
      { PIPELINE_NAME: 'deploy', DOWNLOAD_ARTIFACTS: outDir() },
      (f) => {
        f.addProject('app', successScript());
        f.addPipeline(pipeline(zip, undefined, KEY));
      },
      { fake: { s3: { deny: [{ op: 'GetObject', prefix: `${storeBucket('eu-west-1')}/`, kms: true }] } } },
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain(`The credentials need kms:Decrypt on ${KEY} (and s3:GetObject on arn:aws:s3:::${storeBucket('eu-west-1')}/`);
  });
});

describe('the artifact store: a bucket in another region than the client', () => {
  const regions = { 'east-bucket': 'us-east-1', 'cape-bucket': 'af-south-1', 'paying-east': 'us-east-1' };
  const store = () => {
    const { fake, services } = inProcessAws(systemClock, { s3: { regions, requesterPays: ['paying-east'] } });
    for (const bucket of Object.keys(regions)) leftover(fake.s3, `${bucket}/a.txt`, 'A', 0);
    return { fake, artifacts: services.artifacts, path: join(mkdtempSync(join(tmpdir(), 'cbr-store-')), 'a.txt') };
  };

  test('a 301 PermanentRedirect is followed to the region S3 names, which is then asked first', async () => {
    const { fake, artifacts, path } = store();
    expect((await artifacts.download('east-bucket', 'a.txt', path))?.bytes).toBe(1);
    expect((await artifacts.download('east-bucket', 'a.txt', path))?.bytes).toBe(1);
    const listed = [];
    for await (const o of artifacts.list('east-bucket', '')) listed.push(o.key);
    expect(listed).toEqual(['a.txt']);
    expect(fake.s3.calls.map((c) => c.op)).toEqual(['Refused', 'GetObject', 'GetObject', 'ListObjectsV2']);
  });

  test('a region opened since 2019 answers 400 IllegalLocationConstraintException: followed too', async () => {
    const { artifacts, path } = store();
    expect((await artifacts.download('cape-bucket', 'a.txt', path))?.bytes).toBe(1);
  });

  test('a refusal in the region S3 named says which region', async () => {
    const { artifacts, path } = store();
    await expect(artifacts.download('paying-east', 'a.txt', path)).rejects.toThrow(
      /^Could not download s3:\/\/paying-east\/a\.txt in us-east-1: access denied/,
    );
  });
});
