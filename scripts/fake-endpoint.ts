// `tsx scripts/fake-endpoint.ts`: the local fake AWS endpoint (test/fake), serving two demo projects
// until stopped: `demo-ok` succeeds, `demo-fail` fails in BUILD. The CI's test-action job runs the
// action from the checkout (`uses: ./`) against it, as a user's workflow runs it against AWS; the
// container job runs the image against it. Prints the endpoint; in a GitHub Actions step
// (GITHUB_ENV set) it also writes AWS_ENDPOINT_URL, a region and dummy keys there for the next steps.
import { appendFileSync } from 'node:fs';
import { demoScript } from '../test/fake/demo-projects';
import { FakeAws, REGION } from '../test/fake/fake-aws';

export const DEMO_PROJECTS = { ok: 'demo-ok', fail: 'demo-fail' } as const;

async function main() {
  const fake = new FakeAws().addProject(DEMO_PROJECTS.ok, demoScript()).addProject(DEMO_PROJECTS.fail, demoScript(true));
  const endpoint = await fake.start();
  const env = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: 'AKIDFAKEENDPOINT', AWS_SECRET_ACCESS_KEY: 'fake' };
  process.stdout.write(`fake AWS endpoint at ${endpoint}: projects ${Object.values(DEMO_PROJECTS).join(', ')}\n`);
  if (process.env.GITHUB_ENV)
    appendFileSync(
      process.env.GITHUB_ENV,
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1]?.endsWith('fake-endpoint.ts')) void main();
