import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface S3Call {
  readonly op: string;
  /** bucket/key */
  readonly key: string;
  readonly at: number;
}

export interface FakeS3Options {
  /** Each UploadPart answers this late: a slow link, to cancel an upload in the middle. */
  readonly partDelayMs?: number;
}

/**
 * The slice of the S3 REST API (path-style) the tool uses: PutObject, the multipart calls,
 * DeleteObject. FakeAws hands it every request without an X-Amz-Target header, so one endpoint
 * serves all the services. Like S3, an UploadPart for an upload that was aborted fails with
 * NoSuchUpload, and parts of an upload neither completed nor aborted stay (and bill) until then.
 */
export class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly calls: S3Call[] = [];
  private readonly uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  options: FakeS3Options = {};

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
    if (req.method === 'POST' && q.has('uploads')) {
      record('CreateMultipartUpload');
      const id = randomUUID();
      this.uploads.set(id, { key, parts: new Map() });
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
      this.uploads.delete(uploadId);
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
      return end(res, 200, { ETag: etag(body), 'x-amz-version-id': randomUUID().replace(/-/g, '') });
    }
    if (req.method === 'DELETE') {
      record('DeleteObject');
      this.objects.delete(key);
      return end(res, 204);
    }
    if (req.method === 'GET' && this.objects.has(key)) {
      record('GetObject');
      return end(res, 200, {}, this.objects.get(key));
    }
    xml(res, error('NoSuchKey', `The specified key does not exist: ${key}`), 404);
  }
}

const etag = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
const where = (key: string) => `<Bucket>${key.split('/')[0]}</Bucket><Key>${key.slice(key.indexOf('/') + 1)}</Key>`;
const error = (code: string, message: string) => `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

function end(res: ServerResponse, status: number, headers: Record<string, string> = {}, body?: Buffer): void {
  res.writeHead(status, headers).end(body);
}

function xml(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
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
