import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetProjectsCommand, CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { CodePipelineClient, ListPipelinesCommand } from '@aws-sdk/client-codepipeline';
import { DeleteObjectCommand, GetBucketVersioningCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { successScript } from '../../fake/build-script';
import { FakeAws } from '../../fake/fake-aws';
import { s3OperationOf } from '../../fake/fake-iam';

// The fake endpoint holds the README's policy: an operation src/aws/permissions.ts does not list is
// refused the way AWS refuses it, so an e2e test of a new call fails until the table (and with it
// the README) grants it. Driven with the real SDK clients, as the bundle talks to it.

describe('the fake AWS endpoint enforces the IAM policy', () => {
  const fake = new FakeAws().addProject('app', successScript({ lines: ['hello'] }));
  const config = { region: 'eu-west-1', credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' }, maxAttempts: 1 };
  let endpoint = '';
  beforeAll(async () => {
    endpoint = await fake.start();
  });
  afterAll(() => fake.stop());

  const error = async (send: Promise<unknown>) => {
    const e = (await send.then(
      () => undefined,
      (err: unknown) => err,
    )) as (Error & { $metadata: { httpStatusCode?: number } }) | undefined;
    if (!e) throw new Error('the call was allowed');
    return { name: e.name, status: e.$metadata.httpStatusCode, message: e.message };
  };

  test('a JSON 1.1 operation the policy does not list: 400 AccessDeniedException naming the action', async () => {
    const codebuild = new CodeBuildClient({ ...config, endpoint });
    expect(await error(codebuild.send(new BatchGetProjectsCommand({ names: ['app'] })))).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message:
        'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: codebuild:BatchGetProjects because no identity-based policy allows the codebuild:BatchGetProjects action',
    });
    const logs = new CloudWatchLogsClient({ ...config, endpoint });
    expect(await error(logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/codebuild/app' })))).toMatchObject({
      name: 'AccessDeniedException',
      status: 400,
      message: expect.stringContaining(
        'not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/app',
      ),
    });
    const pipeline = new CodePipelineClient({ ...config, endpoint });
    expect(await error(pipeline.send(new ListPipelinesCommand({})))).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    expect(fake.calls.filter((c) => c.errorType === 'AccessDeniedException').map((c) => c.op)).toEqual([
      'BatchGetProjects',
      'FilterLogEvents',
      'ListPipelines',
    ]);
  });

  test('an S3 operation the policy does not list: 403 AccessDenied', async () => {
    const s3 = new S3Client({ ...config, endpoint, forcePathStyle: true });
    expect(await error(s3.send(new GetBucketVersioningCommand({ Bucket: 'ci-sources' })))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: s3:GetBucketVersioning on resource: "arn:aws:s3:::ci-sources" because no identity-based policy allows the s3:GetBucketVersioning action',
    });
    // HeadObject needs s3:GetObject, which the policy grants; the fake still refuses an operation
    // the table does not name (a HEAD answer has no body, so the SDK names it by its status).
    expect(await error(s3.send(new HeadObjectCommand({ Bucket: 'ci-sources', Key: 'a.zip' })))).toMatchObject({ status: 403 });
    expect(fake.iam.denied.map((r) => `${r.service}.${r.operation}`)).toContain('s3.HeadObject');
  });

  test('listed operations are served as before, and the fake names them as FakeS3 serves them', async () => {
    const codebuild = new CodeBuildClient({ ...config, endpoint });
    expect((await codebuild.send(new StartBuildCommand({ projectName: 'app' }))).build?.id).toMatch(/^app:/);
    const s3 = new S3Client({ ...config, endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const before = { iam: fake.iam.requests.length, s3: fake.s3.calls.length };
    const body = Buffer.alloc(11 * 1024 * 1024, 7);
    await new Upload({ client: s3, params: { Bucket: 'ci-sources', Key: 'app/src.zip', Body: body }, partSize: 5 * 1024 * 1024 }).done();
    expect((await s3.send(new GetObjectCommand({ Bucket: 'ci-sources', Key: 'app/src.zip' }))).ContentLength).toBe(body.length);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'ci-sources', Prefix: 'app/' }))).KeyCount).toBe(1);
    await s3.send(new DeleteObjectCommand({ Bucket: 'ci-sources', Key: 'app/src.zip' }));
    const named = fake.iam.requests.slice(before.iam).map((r) => r.operation);
    expect(named).toEqual(fake.s3.calls.slice(before.s3).map((c) => c.op));
    expect(named).toEqual([
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPart',
      'UploadPart',
      'CompleteMultipartUpload',
      'GetObject',
      'ListObjectsV2',
      'DeleteObject',
    ]);
    expect(fake.iam.requests.slice(before.iam).every((r) => r.allowed)).toBe(true);
  });

  test('S3 requests are named by method and sub-resource', () => {
    const op = (method: string, path: string, headers = {}) => s3OperationOf(method, new URL(path, 'http://s3'), headers);
    expect(op('PUT', '/b/k?x-id=PutObject')).toBe('PutObject');
    expect(op('PUT', '/b/k?partNumber=1&uploadId=u')).toBe('UploadPart');
    expect(op('PUT', '/b/k', { 'x-amz-copy-source': '/b/j' })).toBe('CopyObject');
    expect(op('PUT', '/b/k?tagging')).toBe('PutObjectTagging');
    expect(op('POST', '/b/k?uploads')).toBe('CreateMultipartUpload');
    expect(op('POST', '/b/k?uploadId=u')).toBe('CompleteMultipartUpload');
    expect(op('DELETE', '/b/k?uploadId=u')).toBe('AbortMultipartUpload');
    expect(op('DELETE', '/b/k')).toBe('DeleteObject');
    expect(op('GET', '/b?list-type=2&prefix=p')).toBe('ListObjectsV2');
    expect(op('GET', '/b/?location')).toBe('GetBucketLocation');
    expect(op('GET', '/b/k')).toBe('GetObject');
    expect(op('HEAD', '/b/k')).toBe('HeadObject');
  });
});
