import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BUNDLE = process.env.CBR_BUNDLE ?? resolve(__dirname, '../../dist/index.js');

/** A line the bundle printed, with when the parent read it (for latency figures). */
export interface PrintedLine {
  readonly text: string;
  readonly at: number;
}

export interface BundleRun {
  readonly child: ChildProcess;
  readonly lines: PrintedLine[];
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Fake credentials and the local endpoint: the real SDK signs and sends, to 127.0.0.1. */
export function awsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-key-for-tests',
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The environment a runner gives a step: none of ours leaks in (no CI markers, no GITHUB_*). */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
  return Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
}

/** Run `node dist/index.js` as a CI runner would. */
export function startBundle(env: Record<string, string>, options: { cwd?: string; args?: string[]; command?: string[] } = {}): BundleRun {
  const [cmd, ...cmdArgs] = options.command ?? [process.execPath, BUNDLE];
  const child = spawn(cmd!, [...cmdArgs, ...(options.args ?? [])], {
    env: { ...baseEnv(), ...env },
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'cbr-cwd-')),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: PrintedLine[] = [];
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const at = Date.now();
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const text of parts) lines.push({ text, at });
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolveDone) =>
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  );
  return { child, lines, done };
}

export async function runBundle(env: Record<string, string>, options: Parameters<typeof startBundle>[1] = {}) {
  return startBundle(env, options).done;
}

export function readJson(path: string): Record<string, string> | undefined {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}
