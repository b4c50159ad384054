import type { Build, BuildBatch } from '@aws-sdk/client-codebuild';
import { parseS3Arn } from '../../../src/domain/artifacts';
import { batchArtifacts } from '../../../src/targets/batch/artifacts';
import { buildArtifacts } from '../../../src/targets/codebuild/artifacts';
import { pipelineArtifacts } from '../../../src/targets/pipeline/artifacts';
import type { PipelineActionRow } from '../../../src/targets/pipeline/rows';

const at = (s: number) => new Date(1_700_000_000_000 + s * 1000);
const uploaded = [{ phaseType: 'UPLOAD_ARTIFACTS' as const, phaseStatus: 'SUCCEEDED' as const, startTime: at(10), endTime: at(12) }];
const build = (more: Partial<Build>): Build => ({ id: 'app:1', phases: uploaded, ...more });

describe('artifacts', () => {
  test('an S3 ARN splits at the first slash; keys keep their colons; every partition; the root is an empty key', () => {
    expect(parseS3Arn('arn:aws:s3:::bucket/path/app-2026-11-26T10:00:00.zip')).toEqual({ bucket: 'bucket', key: 'path/app-2026-11-26T10:00:00.zip' });
    expect(parseS3Arn('arn:aws-cn:s3:::b/k')).toEqual({ bucket: 'b', key: 'k' });
    expect(parseS3Arn('arn:aws:s3:::bucket')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3Arn('arn:aws:s3:::bucket/')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3Arn('s3://bucket/key')).toBeUndefined();
  });

  test('ZIP by the checksums CodeBuild reports only for ZIP (both kept); secondaries under their identifier; the upload phase as the window', () => {
    const plan = buildArtifacts(
      build({
        artifacts: { location: 'arn:aws:s3:::out/app.zip', sha256sum: 'abc', md5sum: 'def' },
        secondaryArtifacts: [{ location: 'arn:aws:s3:::out/reports', artifactIdentifier: 'reports', bucketOwnerAccess: 'FULL' }],
        encryptionKey: 'arn:aws:kms:eu-west-1:123456789012:alias/aws/s3',
      }),
    );
    expect(plan.nothing).toEqual([]);
    const written = { from: at(10).getTime(), to: at(12).getTime(), phase: 'UPLOAD_ARTIFACTS phase' };
    expect(plan.fetch).toEqual([
      expect.objectContaining({
        into: '',
        zip: true,
        sha256: 'abc',
        md5: 'def',
        location: { bucket: 'out', key: 'app.zip' },
        written,
        bucketOwnerAccess: 'NONE',
      }),
      expect.objectContaining({ into: 'reports', zip: false, location: { bucket: 'out', key: 'reports' }, written, bucketOwnerAccess: 'FULL' }),
    ]);
    expect(plan.fetch[0]).toEqual(expect.objectContaining({ encryptionKey: expect.stringContaining('kms') }));
  });

  test('overrideArtifactName marks a name the buildspec chose; a phase without times gives no window', () => {
    const plan = buildArtifacts(
      build({
        artifacts: { location: 'arn:aws:s3:::out/app', overrideArtifactName: true },
        phases: [{ phaseType: 'UPLOAD_ARTIFACTS', phaseStatus: 'SUCCEEDED' }],
      }),
    );
    expect(plan.fetch[0]?.nameFromBuildspec).toBe(true);
    expect(plan.fetch[0]?.written).toBeUndefined();
  });

  test('nothing to download, said once: NO_ARTIFACTS, CODEPIPELINE, an upload that did not succeed', () => {
    expect(buildArtifacts(build({ artifacts: { location: '' } })).nothing).toEqual(['build app:1 has no artifacts (NO_ARTIFACTS): nothing to download.']);
    expect(buildArtifacts(build({ source: { type: 'CODEPIPELINE' }, artifacts: { location: 'arn:aws:s3:::p/x' } })).nothing[0]).toMatch(/CODEPIPELINE/);
    const failedEarly = build({ artifacts: { location: 'arn:aws:s3:::out/app.zip' }, phases: [{ phaseType: 'PROVISIONING', phaseStatus: 'FAILED' }] });
    expect(buildArtifacts(failedEarly)).toEqual({ fetch: [], nothing: ['build app:1 uploaded no artifacts (its UPLOAD_ARTIFACTS phase did not succeed).'] });
  });

  describe('a batch', () => {
    const child = { identifier: 'linux', build: build({ artifacts: { location: 'arn:aws:s3:::out/linux.zip', sha256sum: 'y' } }) };
    const combining = (more: Partial<BuildBatch>): BuildBatch => ({
      id: 'app:b1',
      buildBatchConfig: { combineArtifacts: true },
      artifacts: { location: 'arn:aws:s3:::out/combined.zip', sha256sum: 'x' },
      secondaryArtifacts: [{ location: 'arn:aws:s3:::out/reports', artifactIdentifier: 'reports' }],
      phases: [{ phaseType: 'COMBINE_ARTIFACTS', phaseStatus: 'SUCCEEDED', startTime: at(20), endTime: at(21) }],
      ...more,
    });

    test('separate artifacts: each child into its identifier; the project location the batch reports is not fetched', () => {
      const plan = batchArtifacts({ id: 'app:b0', artifacts: { location: 'arn:aws:s3:::out/project-location' } }, [child]);
      expect(plan.fetch.map((f) => f.into)).toEqual(['linux']);
    });

    test("combined: the batch's primary and secondaries, in its COMBINE_ARTIFACTS window; its builds' not again", () => {
      const plan = batchArtifacts(combining({}), [child]);
      expect(plan.fetch.map((f) => [f.into, f.location.key, f.written?.phase])).toEqual([
        ['', 'combined.zip', 'COMBINE_ARTIFACTS phase'],
        ['reports', 'reports', 'COMBINE_ARTIFACTS phase'],
      ]);
      expect(plan.nothing).toEqual(['The 1 builds of batch build app:b1 are combined into its artifacts (combineArtifacts): not downloaded one by one.']);
    });

    test("combined, but the combining did not succeed: each build's own, said", () => {
      const plan = batchArtifacts(combining({ phases: [{ phaseType: 'COMBINE_ARTIFACTS', phaseStatus: 'FAILED' }] }), [child]);
      expect(plan.fetch.map((f) => f.into)).toEqual(['linux']);
      expect(plan.nothing[0]).toBe("batch build app:b1 combined no artifacts (no COMBINE_ARTIFACTS phase succeeded): each build's own are downloaded.");
    });
  });

  test("a pipeline: each store by its bucket, with its region (artifactStores) and key; the home store's too", () => {
    const row = (bucket: string): PipelineActionRow => ({
      stage: 'Build',
      action: bucket,
      provider: 'CodeBuild',
      category: 'Build',
      status: 'Succeeded',
      artifacts: [{ name: 'Out', bucket, key: 'p/Out/abc' }],
    });
    const kms = { id: 'alias/pipeline', type: 'KMS' as const };
    const stores = { 'eu-west-1': { type: 'S3' as const, location: 'home' }, 'us-east-1': { type: 'S3' as const, location: 'east', encryptionKey: kms } };
    const plan = pipelineArtifacts([row('home'), row('east'), row('unknown')], { name: 'p', roleArn: 'r', stages: [], artifactStores: stores });
    expect(plan.fetch.map((f) => [f.location, f.encryptionKey])).toEqual([
      [{ bucket: 'home', key: 'p/Out/abc', region: 'eu-west-1' }, undefined],
      [{ bucket: 'east', key: 'p/Out/abc', region: 'us-east-1' }, 'alias/pipeline'],
      [{ bucket: 'unknown', key: 'p/Out/abc' }, undefined],
    ]);
    const single = pipelineArtifacts([row('home')], {
      name: 'p',
      roleArn: 'r',
      stages: [],
      artifactStore: { type: 'S3', location: 'home', encryptionKey: kms },
    });
    expect(single.fetch[0]).toEqual(expect.objectContaining({ location: { bucket: 'home', key: 'p/Out/abc' }, encryptionKey: 'alias/pipeline', zip: true }));
  });
});
