/**
 * What the CI's credentials must be allowed, one row per feature: every AWS operation the adapters
 * in this folder send, the IAM action that authorises it, and on which resource. The README's
 * policy is generated from this table (`npm run metadata`); a test fails when the code sends an
 * operation no row lists, or a row lists one the code no longer sends; the fake AWS endpoint
 * refuses any operation missing here, as AWS would with that policy.
 *
 * Operation → action, from the Service Authorization Reference ("Actions, resources, and condition
 * keys for AWS CodeBuild / Amazon CloudWatch Logs / AWS CodePipeline / Amazon S3"): CodeBuild,
 * CloudWatch Logs and CodePipeline name each action after its operation. S3 does not:
 * ListObjectsV2 is s3:ListBucket (on the bucket), and CreateMultipartUpload, UploadPart and
 * CompleteMultipartUpload are all s3:PutObject (S3 User Guide, "Multipart upload API and
 * permissions"); lib-storage's Upload sends PutObject, or those three (and AbortMultipartUpload
 * when it fails). The web-identity exchange (STS AssumeRoleWithWebIdentity, Bitbucket OIDC) is
 * authorised by the role's trust policy, not by an identity policy, so it has no row.
 *
 * Resources are templates: REGION, ACCOUNT, PROJECT, BUCKET, PREFIX, PIPELINE and KEY_ID stand for
 * the user's values.
 */

/** The SDK client whose operations a row lists. */
export type AwsService = 'codebuild' | 'logs' | 'codepipeline' | 's3';

export interface Permission {
  /** The feature, as the docs and tests name it. */
  readonly id: string;
  /** The policy statement's Sid. */
  readonly sid: string;
  readonly title: string;
  /** Which settings need the statement (README's table). */
  readonly needs: string;
  readonly service: AwsService;
  /** SDK operation (the command's name without "Command") → the IAM action it needs. */
  readonly operations: Readonly<Record<string, string>>;
  readonly resources: readonly string[];
}

export const PERMISSIONS: readonly Permission[] = [
  {
    id: 'build',
    sid: 'Build',
    title: 'Start, follow, stop and retry builds',
    needs:
      "Every run: StartBuild unless `build-id` or `pipeline-name` is given, BatchGetBuilds to follow; StopBuild on cancel, `wait-timeout-minutes` and `stop-mode: abandon`; RetryBuild with `retry-on`. With `pipeline-name`, on the CodeBuild actions' projects. A `serviceRoleOverride` in `start-build-overrides` passes a role to CodeBuild: add iam:PassRole on that role.",
    service: 'codebuild',
    operations: {
      StartBuild: 'codebuild:StartBuild',
      BatchGetBuilds: 'codebuild:BatchGetBuilds',
      StopBuild: 'codebuild:StopBuild',
      RetryBuild: 'codebuild:RetryBuild',
    },
    resources: ['arn:aws:codebuild:REGION:ACCOUNT:project/PROJECT'],
  },
  {
    id: 'logs',
    sid: 'BuildLogs',
    title: "Tail the build's CloudWatch log",
    needs:
      "`tail-logs: true` (the default). Without it the step warns once and still waits for the verdict. A project with its own log group needs that group's ARN.",
    service: 'logs',
    operations: { GetLogEvents: 'logs:GetLogEvents' },
    resources: ['arn:aws:logs:REGION:ACCOUNT:log-group:/aws/codebuild/PROJECT:*'],
  },
  {
    id: 'batch',
    sid: 'BatchBuilds',
    title: 'Run, follow, stop and retry batch builds',
    needs: '`batch: true` (RetryBuildBatch with `retry-on`; StopBuildBatch on cancel or `wait-timeout-minutes`), with `Build` for the children.',
    service: 'codebuild',
    operations: {
      StartBuildBatch: 'codebuild:StartBuildBatch',
      BatchGetBuildBatches: 'codebuild:BatchGetBuildBatches',
      StopBuildBatch: 'codebuild:StopBuildBatch',
      RetryBuildBatch: 'codebuild:RetryBuildBatch',
    },
    resources: ['arn:aws:codebuild:REGION:ACCOUNT:project/PROJECT'],
  },
  {
    id: 'test-reports',
    sid: 'TestReports',
    title: "Read the build's test and coverage reports",
    needs:
      'A build that publishes report groups (`reports:` in the buildspec; their groups are named `PROJECT-<name>`; a buildspec that names an existing report group by its ARN needs that ARN). Without it the step warns once and the verdict is unchanged.',
    service: 'codebuild',
    operations: {
      BatchGetReports: 'codebuild:BatchGetReports',
      DescribeTestCases: 'codebuild:DescribeTestCases',
    },
    resources: ['arn:aws:codebuild:REGION:ACCOUNT:report-group/PROJECT-*'],
  },
  {
    id: 'upload-source',
    sid: 'UploadSource',
    title: 'Upload the checkout to S3, and remove it after the build',
    needs:
      "`upload-source` (DeleteObject unless `keep-source: true` or `wait: false`). With `pipeline-name`, on the S3 source action's object (its exact key, not a prefix). The project's service role needs s3:GetObject there.",
    service: 's3',
    operations: {
      PutObject: 's3:PutObject',
      CreateMultipartUpload: 's3:PutObject',
      UploadPart: 's3:PutObject',
      CompleteMultipartUpload: 's3:PutObject',
      AbortMultipartUpload: 's3:AbortMultipartUpload',
      DeleteObject: 's3:DeleteObject',
    },
    resources: ['arn:aws:s3:::BUCKET/PREFIX/*'],
  },
  {
    id: 'download-artifacts',
    sid: 'DownloadArtifacts',
    title: "Download the build's artifacts",
    needs:
      '`download-artifacts`, on the artifacts bucket (with `pipeline-name`, the artifact store of each region with a CodeBuild action). s3:ListBucket lists NONE-packaged artifacts, and makes a missing object read as missing rather than denied.',
    service: 's3',
    operations: {
      GetObject: 's3:GetObject',
      ListObjectsV2: 's3:ListBucket',
    },
    resources: ['arn:aws:s3:::BUCKET', 'arn:aws:s3:::BUCKET/*'],
  },
  {
    id: 'codepipeline',
    sid: 'CodePipeline',
    title: 'Start, follow and stop a pipeline execution',
    needs:
      "`pipeline-name`, with `Build` and `BuildLogs` (and `TestReports`) on the CodeBuild actions' projects; `BatchBuilds` (StopBuildBatch) to stop a batch-enabled CodeBuild action's batch with `stop-mode: abandon`.",
    service: 'codepipeline',
    operations: {
      GetPipeline: 'codepipeline:GetPipeline',
      StartPipelineExecution: 'codepipeline:StartPipelineExecution',
      GetPipelineExecution: 'codepipeline:GetPipelineExecution',
      ListActionExecutions: 'codepipeline:ListActionExecutions',
      GetPipelineState: 'codepipeline:GetPipelineState',
      ListPipelineExecutions: 'codepipeline:ListPipelineExecutions',
      StopPipelineExecution: 'codepipeline:StopPipelineExecution',
    },
    resources: ['arn:aws:codepipeline:REGION:ACCOUNT:PIPELINE'],
  },
  {
    // S3 API reference, GetObject, PutObject, CreateMultipartUpload and UploadPart, "Permissions":
    // reading an SSE-KMS object needs kms:Decrypt; writing one kms:GenerateDataKey; a multipart
    // upload kms:GenerateDataKey for CreateMultipartUpload and kms:Decrypt for UploadPart.
    // CompleteMultipartUpload needs kms:Decrypt only with an additional checksum, which the S3
    // client here never sends (requestChecksumCalculation: WHEN_REQUIRED).
    id: 'kms',
    sid: 'KmsEncryptedArtifacts',
    title: 'Use the customer managed KMS key of encrypted artifacts or sources',
    needs:
      '`download-artifacts` of artifacts encrypted with a customer managed key (kms:Decrypt); `upload-source` to a bucket encrypted with one (kms:GenerateDataKey, and kms:Decrypt for a multipart upload). The default `aws/s3` key needs nothing.',
    service: 's3',
    operations: {
      GetObject: 'kms:Decrypt',
      PutObject: 'kms:GenerateDataKey',
      CreateMultipartUpload: 'kms:GenerateDataKey',
      UploadPart: 'kms:Decrypt',
    },
    resources: ['arn:aws:kms:REGION:ACCOUNT:key/KEY_ID'],
  },
];

/** A row's IAM actions, each once, in the order its operations list them. */
export const actionsOf = (p: Permission): string[] => [...new Set(Object.values(p.operations))];

/** Whether some row lists `operation` of `service`. */
export const isListed = (service: AwsService, operation: string): boolean => PERMISSIONS.some((p) => p.service === service && operation in p.operations);

/** The IAM actions `operation` needs, by the table (empty when no row lists it). */
export const actionsFor = (service: AwsService, operation: string): string[] => [
  ...new Set(PERMISSIONS.flatMap((p) => (p.service === service && p.operations[operation] ? [p.operations[operation]] : []))),
];

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: string | string[];
}

/** The identity policy for every feature: one statement per row. */
export function iamPolicy(): { Version: '2012-10-17'; Statement: PolicyStatement[] } {
  return {
    Version: '2012-10-17',
    Statement: PERMISSIONS.map((p) => ({
      Sid: p.sid,
      Effect: 'Allow',
      Action: actionsOf(p),
      Resource: p.resources.length === 1 ? p.resources[0]! : [...p.resources],
    })),
  };
}
