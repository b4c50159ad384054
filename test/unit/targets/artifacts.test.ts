import type { Build } from '@aws-sdk/client-codebuild';
import { parseS3Arn } from '../../../src/domain/artifacts';
import { batchArtifacts } from '../../../src/targets/batch/artifacts';
import { buildArtifacts } from '../../../src/targets/codebuild/artifacts';

const uploaded = [{ phaseType: 'UPLOAD_ARTIFACTS' as const, phaseStatus: 'SUCCEEDED' as const }];
const build = (more: Partial<Build>): Build => ({ id: 'app:1', phases: uploaded, ...more });

describe('artifacts', () => {
  test('an S3 ARN splits at the first slash; keys keep their colons; every partition', () => {
    expect(parseS3Arn('arn:aws:s3:::bucket/path/app-2026-11-26T10:00:00.zip')).toEqual({ bucket: 'bucket', key: 'path/app-2026-11-26T10:00:00.zip' });
    expect(parseS3Arn('arn:aws-cn:s3:::b/k')).toEqual({ bucket: 'b', key: 'k' });
    expect(parseS3Arn('arn:aws:s3:::bucket')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3Arn('s3://bucket/key')).toBeUndefined();
  });

  test('ZIP by the checksums CodeBuild reports only for ZIP; secondaries under their identifier', () => {
    const plan = buildArtifacts(
      build({
        artifacts: { location: 'arn:aws:s3:::out/app.zip', sha256sum: 'abc', md5sum: 'def' },
        secondaryArtifacts: [{ location: 'arn:aws:s3:::out/reports', artifactIdentifier: 'reports' }],
        encryptionKey: 'arn:aws:kms:eu-west-1:123456789012:alias/aws/s3',
      }),
    );
    expect(plan.nothing).toEqual([]);
    expect(plan.fetch).toEqual([
      expect.objectContaining({
        into: '',
        zip: true,
        sha256: 'abc',
        location: { bucket: 'out', key: 'app.zip' },
        encryptionKey: expect.stringContaining('kms'),
      }),
      expect.objectContaining({ into: 'reports', zip: false, location: { bucket: 'out', key: 'reports' } }),
    ]);
  });

  test('nothing to download, said once: NO_ARTIFACTS, CODEPIPELINE, an upload that did not succeed', () => {
    expect(buildArtifacts(build({ artifacts: { location: '' } })).nothing).toEqual(['build app:1 has no artifacts (NO_ARTIFACTS): nothing to download.']);
    expect(buildArtifacts(build({ source: { type: 'CODEPIPELINE' }, artifacts: { location: 'arn:aws:s3:::p/x' } })).nothing[0]).toMatch(/CODEPIPELINE/);
    const failedEarly = build({ artifacts: { location: 'arn:aws:s3:::out/app.zip' }, phases: [{ phaseType: 'PROVISIONING', phaseStatus: 'FAILED' }] });
    expect(buildArtifacts(failedEarly)).toEqual({ fetch: [], nothing: ['build app:1 uploaded no artifacts (its UPLOAD_ARTIFACTS phase did not succeed).'] });
  });

  test('a batch: the combined artifact (combineArtifacts only) into the directory, each child into its identifier', () => {
    const child = { identifier: 'linux', build: build({ artifacts: { location: 'arn:aws:s3:::out/linux.zip', sha256sum: 'y' } }) };
    const separate = batchArtifacts({ id: 'app:b0', artifacts: { location: 'arn:aws:s3:::out/project-location' } }, [child]);
    expect(separate.fetch.map((f) => f.into)).toEqual(['linux']);
    const combinedConfig = { combineArtifacts: true };
    const plan = batchArtifacts({ id: 'app:b1', buildBatchConfig: combinedConfig, artifacts: { location: 'arn:aws:s3:::out/combined.zip', sha256sum: 'x' } }, [
      { identifier: 'linux', build: build({ artifacts: { location: 'arn:aws:s3:::out/linux.zip', sha256sum: 'y' } }) },
    ]);
    expect(plan.fetch.map((f) => [f.into, f.location.key])).toEqual([
      ['', 'combined.zip'],
      ['linux', 'linux.zip'],
    ]);
  });
});
