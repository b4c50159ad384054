import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AwsService, actionsFor, isListed } from '../../src/aws/permissions';
import { ACCOUNT, AwsError, arnOf, DEFAULT_PLACE, type Json, type Place } from './aws-error';

/**
 * The README's IAM policy, enforced: every request is named (service and operation) and recorded,
 * and one whose operation no row of src/aws/permissions.ts lists is refused, as AWS refuses a call
 * the attached policy does not allow. Resources are not checked (the policy's are templates).
 *
 * The refusal's shape (IAM User Guide, "Troubleshoot access denied error messages"; S3 User Guide,
 * "Troubleshoot access denied (403 Forbidden) errors"): "User: <principal> is not authorized to
 * perform: <action> on resource: <arn> because no identity-based policy allows the <action>
 * action". A JSON 1.1 service (CodeBuild, CloudWatch Logs, CodePipeline) answers HTTP 400
 * `{"__type":"AccessDeniedException","message":…}`; S3 answers 403 with an `<Error>` document whose
 * Code is AccessDenied.
 *
 * Stricter than AWS in one way: an operation the table does not list is refused even when its
 * action is granted for another (HeadObject needs s3:GetObject): the table must name every
 * operation the code sends, which test/unit/aws/permissions.test.ts checks statically.
 */
export interface IamRecord {
  readonly service: AwsService | 'unknown';
  readonly operation: string;
  readonly allowed: boolean;
}

/** JSON 1.1 targets, `<prefix>.<Operation>`, by service. */
const TARGETS: Record<string, AwsService> = { CodeBuild_20161006: 'codebuild', Logs_20140328: 'logs', CodePipeline_20150709: 'codepipeline' };

/** S3 operations whose IAM action is not `s3:<Operation>` (Service Authorization Reference, Amazon S3), for the message. */
const S3_ACTIONS: Record<string, string> = {
  HeadObject: 's3:GetObject',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  HeadBucket: 's3:ListBucket',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  CopyObject: 's3:PutObject',
  DeleteObjects: 's3:DeleteObject',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  ListParts: 's3:ListMultipartUploadParts',
};

/**
 * The S3 REST operation of a path-style request (`/bucket/key?…`), by method and sub-resource, as
 * the S3 API reference routes them; FakeS3 serves the same ones by the same rules.
 */
export function s3OperationOf(method: string, url: URL, headers: IncomingMessage['headers'] = {}): string {
  const q = url.searchParams;
  const bucketOnly = !url.pathname.slice(1).replace(/\/$/, '').includes('/');
  const sub = ['tagging', 'acl', 'versioning', 'location', 'policy', 'lifecycle', 'encryption'].find((s) => q.has(s));
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  if (method === 'POST')
    return q.has('uploads') ? 'CreateMultipartUpload' : q.has('uploadId') ? 'CompleteMultipartUpload' : q.has('delete') ? 'DeleteObjects' : 'PostObject';
  if (method === 'PUT') {
    if (q.has('uploadId')) return headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
    if (sub) return `Put${bucketOnly ? 'Bucket' : 'Object'}${cap(sub)}`;
    return bucketOnly ? 'CreateBucket' : headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  }
  if (method === 'DELETE') {
    if (q.has('uploadId')) return 'AbortMultipartUpload';
    if (sub) return `Delete${bucketOnly ? 'Bucket' : 'Object'}${cap(sub)}`;
    return bucketOnly ? 'DeleteBucket' : 'DeleteObject';
  }
  if (method === 'HEAD') return bucketOnly ? 'HeadBucket' : 'HeadObject';
  if (q.get('list-type') === '2') return 'ListObjectsV2';
  if (q.has('uploads')) return 'ListMultipartUploads';
  if (q.has('uploadId')) return 'ListParts';
  if (sub === 'location' || sub === 'versioning') return `GetBucket${cap(sub)}`;
  if (sub) return `Get${bucketOnly ? 'Bucket' : 'Object'}${cap(sub)}`;
  return bucketOnly ? 'ListObjects' : 'GetObject';
}

export class FakeIam {
  /** Every request, in order: what it asked for, and whether the policy allowed it. */
  readonly requests: IamRecord[] = [];

  constructor(private readonly place: Place = DEFAULT_PLACE) {}

  get denied(): IamRecord[] {
    return this.requests.filter((r) => !r.allowed);
  }

  /** A JSON 1.1 request: throws AccessDeniedException (HTTP 400) when the policy does not allow it. */
  authorizeJson(target: string, body: Json): void {
    const prefix = target.slice(0, target.indexOf('.'));
    const operation = target.slice(target.indexOf('.') + 1);
    const service = TARGETS[prefix];
    if (!this.allowed(service, operation)) {
      const resource = this.resourceOf(service!, body);
      throw new AwsError('AccessDeniedException', this.message(`${service}:${operation}`, resource));
    }
  }

  /** An S3 request: answers 403 AccessDenied and returns true when the policy does not allow it. */
  refuseS3(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://fake');
    const operation = s3OperationOf(req.method ?? 'GET', url, req.headers);
    if (this.allowed('s3', operation)) return false;
    const action = actionsFor('s3', operation).find((a) => a.startsWith('s3:')) ?? S3_ACTIONS[operation] ?? `s3:${operation}`;
    const resource = `arn:${this.place.partition}:s3:::${decodeURIComponent(url.pathname.slice(1)).replace(/\/$/, '')}`;
    const id = randomUUID();
    const message = this.message(action, `"${resource}"`).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    res
      .writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': id })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${message}</Message><RequestId>${id}</RequestId><HostId>fake</HostId></Error>`,
      );
    return true;
  }

  private allowed(service: AwsService | undefined, operation: string): boolean {
    const allowed = !service || isListed(service, operation);
    this.requests.push({ service: service ?? 'unknown', operation, allowed });
    return allowed;
  }

  private message(action: string, resource: string | undefined): string {
    const principal = `arn:${this.place.partition}:iam::${ACCOUNT}:user/ci`;
    return `User: ${principal} is not authorized to perform: ${action}${resource ? ` on resource: ${resource}` : ''} because no identity-based policy allows the ${action} action`;
  }

  /** The resource a request names, where it is plain from the body (a project, a build's project, a pipeline, a log group). */
  private resourceOf(service: AwsService, body: Json): string | undefined {
    if (service === 'codepipeline') {
      const name = body.pipelineName ?? body.name;
      return name ? arnOf(this.place, 'codepipeline', String(name)) : undefined;
    }
    if (service === 'logs') return body.logGroupName ? arnOf(this.place, 'logs', `log-group:${body.logGroupName}`) : undefined;
    const project = body.projectName ?? String(body.id ?? body.ids?.[0] ?? '').split(':')[0];
    return project ? arnOf(this.place, 'codebuild', `project/${project}`) : undefined;
  }
}
