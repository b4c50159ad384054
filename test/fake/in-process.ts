import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import type { HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';
import { awsServices, type Services } from '../../src/aws/services';
import type { Clock } from '../../src/domain/clock';
import { FakeAws, type FakeAwsOptions } from './fake-aws';

/**
 * The fake AWS services of the end-to-end tests, served in-process: the product's real SDK
 * clients (serialisation, error parsing, our retries and pacing) send through a transport that
 * hands each request to FakeAws instead of a socket, on the test's clock. The same fake builds,
 * pipelines, pages and S3 objects as the e2e tier, in milliseconds a scenario.
 */
export function inProcessTransport(fake: FakeAws): RequestHandler<HttpRequest, HttpResponse> {
  return {
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      // CodePipeline moves executions on as time passes; in-process, time passes between calls.
      fake.codepipeline.tick();
      const body = await bodyOf(request.body);
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(request.query ?? {})) for (const one of [v ?? ''].flat()) query.append(k, one ?? '');
      const req = Object.assign(Readable.from(body.length ? [body] : []), {
        method: request.method,
        url: `${request.path}${query.size ? `?${query}` : ''}`,
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
        socket: { destroy: () => res.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })) },
      }) as unknown as IncomingMessage;
      const res = new FakeResponse();
      const done = res.collect();
      await fake.handle(req, res as unknown as ServerResponse);
      const { statusCode, headers, bytes } = await done;
      return { response: { statusCode, headers, body: Readable.from([bytes]) } as HttpResponse };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  } as unknown as RequestHandler<HttpRequest, HttpResponse>;
}

/** What a ServerResponse needs to be for FakeAws and FakeS3: head, headers, a body (streamed or whole). */
class FakeResponse extends PassThrough {
  statusCode = 200;
  readonly headers: Record<string, string> = {};
  setHeader(name: string, value: string | number): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }
  writeHead(status: number, headers: Record<string, string> = {}): this {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    return this;
  }
  collect(): Promise<{ statusCode: number; headers: Record<string, string>; bytes: Buffer }> {
    const chunks: Buffer[] = [];
    return new Promise((resolve, reject) => {
      this.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
      this.on('end', () => resolve({ statusCode: this.statusCode, headers: this.headers, bytes: Buffer.concat(chunks) }));
      this.on('error', reject);
    });
  }
}

async function bodyOf(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // The SDK's JSON body can be a string wrapper (a String-like adapter), not a primitive.
  if (typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') return Buffer.from(String(body));
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** The real Services over an in-process FakeAws on `clock`. */
export function inProcessAws(clock: Clock, options: FakeAwsOptions = {}): { fake: FakeAws; services: Services } {
  const fake = new FakeAws({ ...options, now: clock.now });
  return { fake, services: inProcessServices(fake, clock) };
}

/** The product's real clients, handing every request to `fake` in-process. */
export function inProcessServices(fake: FakeAws, clock: Clock, debug: (m: string) => void = () => {}, notice?: (m: string) => void): Services {
  return awsServices(
    {
      region: 'eu-west-1',
      credentials: async () => ({ accessKeyId: 'AKIDEXAMPLEFAKE', secretAccessKey: 'fake-secret-key-for-tests' }),
      s3PathStyle: true,
      transport: inProcessTransport(fake),
    },
    clock,
    debug,
    notice,
  );
}
