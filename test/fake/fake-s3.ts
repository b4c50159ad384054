import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The slice of the S3 REST API (path-style) that uploading a source zip uses: PutObject, the
 * multipart calls, DeleteObject, GetObject. FakeAws hands it every request without an
 * X-Amz-Target header, so one endpoint (AWS_ENDPOINT_URL) serves all three services.
 */
export class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly calls: { op: string; key: string; at: number }[] = [];
  private readonly uploads = new Map<string, Map<number, Buffer>>();

  handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const key = decodeURIComponent(url.pathname.slice(1)); // bucket/key
    const q = url.searchParams;
    const body = req.headers['content-encoding']?.includes('aws-chunked') ? decodeAwsChunked(raw) : raw;
    const record = (op: string) => this.calls.push({ op, key, at: Date.now() });
    const etag = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
    if (req.method === 'POST' && q.has('uploads')) {
      record('CreateMultipartUpload');
      const id = randomUUID();
      this.uploads.set(id, new Map());
      xml(
        res,
        `<InitiateMultipartUploadResult><Bucket>${key.split('/')[0]}</Bucket><Key>${rest(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
      return;
    }
    if (req.method === 'PUT' && q.has('uploadId')) {
      record('UploadPart');
      this.uploads.get(q.get('uploadId')!)?.set(Number(q.get('partNumber')), body);
      res.writeHead(200, { ETag: etag(body) }).end();
      return;
    }
    if (req.method === 'POST' && q.has('uploadId')) {
      record('CompleteMultipartUpload');
      const parts = this.uploads.get(q.get('uploadId')!) ?? new Map<number, Buffer>();
      const whole = Buffer.concat([...parts.entries()].sort(([a], [b]) => a - b).map(([, b]) => b));
      this.objects.set(key, whole);
      this.uploads.delete(q.get('uploadId')!);
      xml(
        res,
        `<CompleteMultipartUploadResult><Bucket>${key.split('/')[0]}</Bucket><Key>${rest(key)}</Key><ETag>${etag(whole)}</ETag></CompleteMultipartUploadResult>`,
      );
      return;
    }
    if (req.method === 'DELETE' && q.has('uploadId')) {
      record('AbortMultipartUpload');
      this.uploads.delete(q.get('uploadId')!);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'PUT') {
      record('PutObject');
      this.objects.set(key, body);
      res.writeHead(200, { ETag: etag(body) }).end();
      return;
    }
    if (req.method === 'DELETE') {
      record('DeleteObject');
      this.objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && this.objects.has(key)) {
      res.writeHead(200).end(this.objects.get(key));
      return;
    }
    xml(res, `<Error><Code>NoSuchKey</Code><Message>no such key ${key}</Message></Error>`, 404);
  }
}

const rest = (key: string) => key.slice(key.indexOf('/') + 1);

function xml(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
}

/** `hex-size[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n\r\n` */
function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    const size = parseInt(raw.subarray(at, eol).toString().split(';')[0]!, 16);
    if (!size) break;
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
