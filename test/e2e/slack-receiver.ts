import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackViolations } from '../fake/slack-limits';

/**
 * A local stand-in for Slack's incoming webhook: records posts, answers as told, and rejects a
 * payload that breaks Slack's Block Kit limits the way Slack does (400, `invalid_blocks`).
 */
export class SlackReceiver {
  readonly posts: { at: number; body: any }[] = [];
  /** Posts Slack would have rejected, with why. */
  readonly rejected: { body: any; problems: string[] }[] = [];
  /** Status codes to answer, in order; 200 once exhausted (or always `fallback`). */
  answers: number[] = [];
  fallback = 200;
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const payload = JSON.parse(body);
      const problems = slackViolations(payload);
      if (problems.length) {
        this.rejected.push({ body: payload, problems });
        res.writeHead(400).end('invalid_blocks');
        return;
      }
      this.posts.push({ at: Date.now(), body: payload });
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
