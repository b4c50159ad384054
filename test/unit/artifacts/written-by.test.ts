import { accessProblem } from '../../../src/artifacts/access-hints';
import { CLOCK_SLACK_MS, namedByRun, someKeys, writtenIn } from '../../../src/artifacts/written-by';
import type { ArtifactToFetch } from '../../../src/domain/artifacts';

const T = 1_700_000_000_500; // the phase starts half a second into a second
const window = { from: T, to: T + 3_000, phase: 'UPLOAD_ARTIFACTS phase' };
const obj = (key: string, ms?: number) => ({ key, ...(ms !== undefined && { lastModified: new Date(ms) }) });

describe('which objects a run wrote', () => {
  test("by LastModified: S3's whole seconds and the clocks' slack count as inside; earlier and later builds' do not", () => {
    const floor = Math.floor(T / 1000) * 1000;
    const objects = [
      obj('p/in', T + 1_000),
      obj('p/listed-to-the-second', floor),
      obj('p/slack', floor - CLOCK_SLACK_MS),
      obj('p/earlier', floor - CLOCK_SLACK_MS - 1),
      obj('p/later', T + 3_000 + CLOCK_SLACK_MS + 1),
    ];
    const sorted = writtenIn(objects, window);
    expect(sorted).toEqual({ kept: [objects[0], objects[1], objects[2]], before: [objects[3]], after: [objects[4]] });
  });

  test('it cannot be told without the phase times, or without dates', () => {
    expect(writtenIn([obj('p/a', T)], undefined)).toEqual({ unknown: expect.stringContaining('no start and end') });
    expect(writtenIn([obj('p/a')], window)).toEqual({ unknown: expect.stringContaining('without a LastModified') });
  });

  test('overrideArtifactName: the one name the run wrote beside the location, an object or a folder; else why not', () => {
    expect(namedByRun([obj('out/app-1.2.zip', T)], 'out')).toEqual({ key: 'out/app-1.2.zip', objects: [obj('out/app-1.2.zip', T)], single: true });
    expect(namedByRun([obj('site-2/a', T), obj('site-2/b/c', T)], '')).toEqual(expect.objectContaining({ key: 'site-2', single: false }));
    expect(namedByRun([obj('out/a.zip', T), obj('out/b.zip', T)], 'out')).toEqual({ problem: expect.stringContaining('2 names there (a.zip, b.zip)') });
    expect(namedByRun([], 'out')).toEqual({ problem: 'it wrote nothing there' });
  });

  test('some keys, relative to the prefix', () => {
    expect(someKeys([obj('p/a'), obj('p/b')], 'p/')).toBe('a, b');
    expect(
      someKeys(
        ['1', '2', '3', '4', '5', '6', '7'].map((k) => obj(`p/${k}`)),
        'p/',
      ),
    ).toBe('1, 2, 3, 4, 5 and 2 more');
  });
});

describe('a refusal, with its documented causes', () => {
  const artifact: ArtifactToFetch = { label: 'the primary artifact of build app:1', into: '', location: { bucket: 'b', key: 'k' }, zip: true };
  const refusal = {
    message: 'Could not download s3://b/k: access denied (Access Denied)',
    permission: 's3:GetObject on arn:aws:s3:::b/k',
    denied: true,
    kms: false,
  };
  const what = 'Could not download the primary artifact of build app:1';

  test('the permission, then Requester Pays; bucketOwnerAccess only for a build that left it NONE', () => {
    const plain = accessProblem(what, artifact, refusal);
    expect(plain).toMatch(
      /\(Access Denied\)\. The credentials need s3:GetObject on arn:aws:s3:::b\/k\. S3 does not say why it refused; also possible: the object is not there .*; the bucket is another account's and Requester Pays/,
    );
    expect(plain).not.toContain('bucketOwnerAccess');
    expect(accessProblem(what, { ...artifact, bucketOwnerAccess: 'NONE' }, refusal)).toContain('bucketOwnerAccess NONE (the default)');
  });

  test('a refused listing is not a missing object: that hint is for GetObject only', () => {
    const listing = { ...refusal, permission: 's3:ListBucket on arn:aws:s3:::b' };
    expect(accessProblem(what, artifact, listing)).not.toContain('the object is not there');
  });

  test('a customer managed key is named (not aws/s3); a KMS refusal puts it first', () => {
    const cmk = { ...artifact, encryptionKey: 'arn:aws:kms:eu-west-1:123456789012:key/k1' };
    expect(accessProblem(what, cmk, refusal)).toContain('; it is encrypted with arn:aws:kms:eu-west-1:123456789012:key/k1: also kms:Decrypt on that key');
    expect(accessProblem(what, cmk, { ...refusal, kms: true })).toContain(
      'The credentials need kms:Decrypt on arn:aws:kms:eu-west-1:123456789012:key/k1 (and s3:GetObject',
    );
    expect(accessProblem(what, { ...artifact, encryptionKey: 'arn:aws:kms:eu-west-1:123456789012:alias/aws/s3' }, refusal)).not.toContain('kms:Decrypt');
  });

  test('a missing bucket is no 403: no guessing', () => {
    expect(accessProblem(what, artifact, { ...refusal, denied: false })).toMatch(/on arn:aws:s3:::b\/k\.$/);
  });
});
