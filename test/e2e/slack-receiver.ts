import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local stand-in for Slack's incoming webhook: records posts, answers as told. */
export class SlackReceiver {
  readonly posts: { at: number; body: any }[] = [];
  /** Status codes to answer, in order; 200 once exhausted (or always `fallback`). */
  answers: number[] = [];
  fallback = 200;
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      this.posts.push({ at: Date.now(), body: JSON.parse(body) });
      const status = this.answers.shift() ?? this.fallback;
      res.writeHead(status).end(status === 200 ? 'ok' : 'no');
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/services/T0/B0/xoxSECRETxox`;
    return this.url;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server!.close(() => r()));
  }
}
