import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BucketRules, refusalOf } from './s3-refusals';

export interface S3Call {
  readonly op: string;
  /** bucket/key */
  readonly key: string;
  readonly at: number;
}

export interface FakeS3Options extends BucketRules {
  /** Each UploadPart answers this late: a slow link, to cancel an upload in the middle. */
  readonly partDelayMs?: number;
  /** Keys a ListObjectsV2 page holds at most (S3: MaxKeys, up to 1,000). */
  readonly listPageSize?: number;
  /** Calls the credentials may not make: AccessDenied (403) for keys under `prefix` (bucket/…). */
  readonly deny?: readonly { readonly op: 'GetObject' | 'ListObjectsV2'; readonly prefix: string; readonly kms?: boolean }[];
}

/**
 * The slice of the S3 REST API (path-style) the tool uses: PutObject, the multipart calls,
 * DeleteObject. FakeAws hands it every request without an X-Amz-Target header, so one endpoint
 * serves all the services. Like S3, an UploadPart for an upload that was aborted fails with
 * NoSuchUpload, and parts of an upload neither completed nor aborted stay (and bill) until then.
 */
export class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  /** Objects whose bodies are files on disk (large ones), streamed when read. */
  readonly files = new Map<string, string>();
  readonly calls: S3Call[] = [];
  private readonly uploads = new Map<string, { key: string; parts: Map<number, Buffer>; at: number }>();
  options: FakeS3Options = {};
  /** Told of every object written to a versioned bucket, with its version id. */
  onObjectWritten?: (key: string, versionId: string) => void;
  /** Buckets without versioning: a write answers no x-amz-version-id. */
  readonly unversionedBuckets = new Set<string>();
  /**
   * LastModified of each object (bucket/key), ms. S3: "the object creation date or the last
   * modified date, whichever is the latest. For multipart uploads, the object creation date is the
   * date of initiation of the multipart upload" (User Guide, "Working with object metadata").
   * Objects put without one (fixtures) read as written at the epoch.
   */
  readonly modifiedAt = new Map<string, number>();
  /**
   * Objects (bucket/key) another account wrote without granting the bucket owner access: S3
   * refuses them to the bucket's own account (BuildArtifacts.bucketOwnerAccess: "By default, only
   * the account that uploads the objects to the bucket has access to these objects").
   */
  readonly unreadable = new Set<string>();
  now: () => number = Date.now;

  /** Multipart uploads still open: their parts are stored, and billed, until completed or aborted. */
  get openUploads(): string[] {
    return [...this.uploads.values()].map((u) => u.key);
  }

  async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const key = decodeURIComponent(url.pathname.slice(1)); // bucket/key
    const q = url.searchParams;
    const body = req.headers['content-encoding']?.includes('aws-chunked') ? decodeAwsChunked(raw) : raw;
    const record = (op: string) => this.calls.push({ op, key, at: Date.now() });
    const uploadId = q.get('uploadId') ?? '';
    const refused = refusalOf(req.headers, key.split('/')[0]!, this.options);
    if (refused) {
      record('Refused');
      return xml(res, error(refused.code, refused.message, refused.extra), refused.status, refused.headers);
    }
    if (req.method === 'POST' && q.has('uploads')) {
      record('CreateMultipartUpload');
      const id = randomUUID();
      this.uploads.set(id, { key, parts: new Map(), at: this.now() });
      return xml(res, `<InitiateMultipartUploadResult>${where(key)}<UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    if (req.method === 'PUT' && q.has('uploadId')) {
      record('UploadPart');
      if (this.options.partDelayMs) await new Promise((r) => setTimeout(r, this.options.partDelayMs));
      const upload = this.uploads.get(uploadId);
      if (!upload) return xml(res, error('NoSuchUpload', 'The specified upload does not exist.'), 404);
      upload.parts.set(Number(q.get('partNumber')), body);
      return end(res, 200, { ETag: etag(body) });
    }
    if (req.method === 'POST' && q.has('uploadId')) {
      record('CompleteMultipartUpload');
      const upload = this.uploads.get(uploadId);
      if (!upload) return xml(res, error('NoSuchUpload', 'The specified upload does not exist.'), 404);
      const whole = Buffer.concat([...upload.parts.entries()].sort(([a], [b]) => a - b).map(([, b]) => b));
      this.objects.set(key, whole);
      this.modifiedAt.set(key, upload.at);
      this.uploads.delete(uploadId);
      const version = this.written(key);
      if (version) res.setHeader('x-amz-version-id', version);
      return xml(res, `<CompleteMultipartUploadResult>${where(key)}<ETag>${etag(whole)}</ETag></CompleteMultipartUploadResult>`);
    }
    if (req.method === 'DELETE' && q.has('uploadId')) {
      record('AbortMultipartUpload');
      if (!this.uploads.delete(uploadId)) return xml(res, error('NoSuchUpload', 'The specified upload does not exist.'), 404);
      return end(res, 204);
    }
    if (req.method === 'PUT') {
      record('PutObject');
      this.objects.set(key, body);
      this.modifiedAt.set(key, this.now());
      const version = this.written(key);
      return end(res, 200, { ETag: etag(body), ...(version && { 'x-amz-version-id': version }) });
    }
    if (req.method === 'DELETE') {
      record('DeleteObject');
      this.objects.delete(key);
      return end(res, 204);
    }
    if (req.method === 'GET' && q.get('list-type') === '2') return this.list(res, key.replace(/\/$/, ''), q);
    if (req.method === 'GET') return this.get(res, key, record);
    xml(res, error('NoSuchKey', `The specified key does not exist: ${key}`), 404);
  }

  /** A new version of `key`: its id, as a versioned bucket gives one. */
  private written(key: string): string | undefined {
    if (this.unversionedBuckets.has(key.split('/')[0]!)) return undefined;
    const version = randomUUID().replace(/-/g, '');
    this.onObjectWritten?.(key, version);
    return version;
  }

  private denied(op: string, key: string): { kms?: boolean } | undefined {
    return this.options.deny?.find((d) => d.op === op && key.startsWith(d.prefix));
  }

  /**
   * GetObject. Without s3:ListBucket, S3 answers a missing key with 403 AccessDenied, not 404
   * NoSuchKey (GetObject API reference, "Permissions"); a KMS-encrypted object the caller may not
   * decrypt is AccessDenied too, with KMS in the message (re:Post decrypt-kms-encrypted-objects-s3).
   */
  private get(res: ServerResponse, key: string, record: (op: string) => void): void {
    record('GetObject');
    const deny = this.denied('GetObject', key) ?? (this.unreadable.has(key) ? {} : undefined);
    if (deny) {
      const kms = 'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.';
      xml(res, error('AccessDenied', deny.kms ? kms : 'Access Denied'), 403);
      return;
    }
    const file = this.files.get(key);
    if (file) {
      res.writeHead(200, { 'content-length': String(statSync(file).size), 'content-type': 'application/zip' });
      createReadStream(file).pipe(res);
      return;
    }
    const body = this.objects.get(key);
    const bucket = key.split('/')[0]!;
    const modified = new Date(this.modifiedAt.get(key) ?? 0).toUTCString();
    if (body) end(res, 200, { 'content-length': String(body.length), 'last-modified': modified }, body);
    else if (this.denied('ListObjectsV2', `${bucket}/`)) xml(res, error('AccessDenied', 'Access Denied'), 403);
    else xml(res, error('NoSuchKey', 'The specified key does not exist.'), 404);
  }

  /** ListObjectsV2 (path-style GET /bucket?list-type=2&prefix=…), a page at a time. */
  private list(res: ServerResponse, bucket: string, q: URLSearchParams): void {
    const prefix = q.get('prefix') ?? '';
    this.calls.push({ op: 'ListObjectsV2', key: `${bucket}/${prefix}`, at: Date.now() });
    if (this.denied('ListObjectsV2', `${bucket}/${prefix}`)) {
      xml(res, error('AccessDenied', 'Access Denied'), 403);
      return;
    }
    const size = Math.min(Number(q.get('max-keys') ?? 1000), this.options.listPageSize ?? 1000);
    const all = [...new Set([...this.objects.keys(), ...this.files.keys()])]
      .filter((k) => k.startsWith(`${bucket}/${prefix}`))
      .map((k) => k.slice(bucket.length + 1))
      .sort();
    const from = Number(q.get('continuation-token') ?? 0);
    const page = all.slice(from, from + size);
    const more = from + size < all.length;
    const sizeOf = (k: string) => this.objects.get(`${bucket}/${k}`)?.length ?? statSync(this.files.get(`${bucket}/${k}`)!).size;
    // LastModified to the second, as S3 lists it ("2009-10-12T17:50:30.000Z").
    const modified = (k: string) => new Date(Math.floor((this.modifiedAt.get(`${bucket}/${k}`) ?? 0) / 1000) * 1000).toISOString();
    const contents = page
      .map((k) => `<Contents><Key>${escapeXml(k)}</Key><LastModified>${modified(k)}</LastModified><Size>${sizeOf(k)}</Size></Contents>`)
      .join('');
    xml(
      res,
      `<ListBucketResult><Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${size}</MaxKeys><IsTruncated>${more}</IsTruncated>${contents}${more ? `<NextContinuationToken>${from + size}</NextContinuationToken>` : ''}</ListBucketResult>`,
    );
  }
}

const escapeXml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const etag = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
const where = (key: string) => `<Bucket>${key.split('/')[0]}</Bucket><Key>${key.slice(key.indexOf('/') + 1)}</Key>`;
const error = (code: string, message: string, extra = '') => `<Error><Code>${code}</Code><Message>${message}</Message>${extra}</Error>`;

function end(res: ServerResponse, status: number, headers: Record<string, string> = {}, body?: Buffer): void {
  res.writeHead(status, headers).end(body);
}

function xml(res: ServerResponse, body: string, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/xml', ...headers }).end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
}

/** `hex-size[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n\r\n` */
function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    const size = Number.parseInt(raw.subarray(at, eol).toString().split(';')[0]!, 16);
    if (!size) break;
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
