import { Readable } from 'node:stream';

/**
 * Answers that are not AWS's: a proxy's or gateway's HTML error page, an emulator's XML body to a
 * JSON API. The SDK then throws a deserialization SyntaxError whose body is already consumed, so
 * this middleware keeps the first bytes of any answer that is not JSON, for the error message.
 */
const KEEP = 200;

interface RawResponse {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Added here: the first bytes of a body that is not JSON. */
  foreignBody?: string;
}

/** What an error says of a foreign answer: its status, content type and first bytes. */
export interface ForeignAnswer {
  readonly status?: number;
  readonly contentType?: string;
  readonly snippet: string;
}

export function foreignAnswerOf(error: unknown): ForeignAnswer | undefined {
  const response = (error as { $response?: RawResponse })?.$response;
  if (!response?.foreignBody) return undefined;
  return { status: response.statusCode, contentType: response.headers?.['content-type'], snippet: response.foreignBody };
}

type Next = (args: unknown) => Promise<{ response: unknown; output?: unknown }>;

/**
 * Runs right after the transport. `json`: the JSON-protocol clients (CodeBuild, CloudWatch Logs,
 * CodePipeline), where any other body is foreign. `xml`: S3, whose errors are XML and whose
 * successful bodies are the user's objects (streamed, never read here): only an error answer
 * that is not XML is kept (the SDK reports it as "UnknownError" with no text).
 */
export function keepForeignBodies(client: { middlewareStack?: { add: (mw: unknown, options: unknown) => void } }, protocol: 'json' | 'xml' = 'json'): void {
  client.middlewareStack?.add(
    (next: Next) => async (args: unknown) => {
      const result = await next(args);
      const response = result.response as RawResponse;
      const type = response?.headers?.['content-type'] ?? '';
      if (!response?.body) return result;
      if (protocol === 'json' ? type.includes('json') : (response.statusCode ?? 0) < 300 || type.includes('xml')) return result;
      const bytes = await collect(response.body);
      response.foreignBody = bytes.subarray(0, KEEP).toString('utf8').replace(/\s+/g, ' ').trim();
      response.body = Readable.from([bytes]);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'keepForeignBodies' },
  );
}

async function collect(body: unknown): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
