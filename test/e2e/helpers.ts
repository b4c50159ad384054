import { FakeAws, type FakeBuild } from '../fake/fake-aws';
import { awsEnv } from './run-bundle';

/** A fake endpoint per test file, started once. */
export function useFake(setup: (fake: FakeAws) => void, options: ConstructorParameters<typeof FakeAws>[0] = {}) {
  const state = { fake: undefined as unknown as FakeAws, env: {} as Record<string, string> };
  beforeAll(async () => {
    state.fake = new FakeAws(options);
    setup(state.fake);
    state.env = awsEnv(await state.fake.start());
  });
  afterAll(() => state.fake.stop());
  return state;
}

/** The user lines (not the agent's markers) a build wrote, in order. */
export function userLines(build: FakeBuild): string[] {
  return build.lines.map((l) => l.message.replace(/\n$/, ''));
}

/** Every line the build wrote appears in `stdout` exactly once, in the build's order. */
export function expectEveryLineOnce(stdout: string, build: FakeBuild): void {
  const where = new Map<string, number[]>();
  for (const [i, line] of stdout.split('\n').entries()) where.set(line, [...(where.get(line) ?? []), i]);
  let previous = -1;
  for (const line of userLines(build)) {
    const hits = where.get(line) ?? [];
    if (hits.length !== 1) throw new Error(`line printed ${hits.length} times: ${JSON.stringify(line.slice(0, 200))}\n--- output ---\n${stdout.slice(-5_000)}`);
    if (hits[0]! < previous) throw new Error(`line out of order: ${JSON.stringify(line.slice(0, 200))}`);
    previous = hits[0]!;
  }
}

export function buildOf(fake: FakeAws, project: string): FakeBuild {
  const builds = [...fake.builds.values()].filter((b) => b.project === project);
  if (builds.length !== 1) throw new Error(`expected one build of ${project}, found ${builds.length}`);
  return builds[0]!;
}

export const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} line ${i + 1} of ${n}`);

/** A fake no other test talks to, for asserting that no AWS call was made at all. */
export async function withPrivateFake<T>(fn: (env: Record<string, string>, fake: FakeAws) => Promise<T>): Promise<T> {
  const fake = new FakeAws();
  const env = awsEnv(await fake.start());
  try {
    return await fn(env, fake);
  } finally {
    await fake.stop();
  }
}
