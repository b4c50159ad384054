// `npm run demo [-- fail]`: runs the real bundle, end to end, against the built-in local fake
// CodeBuild + CloudWatch Logs endpoint. No AWS account needed: watch the link, the streamed
// log, the phases and the verdict exactly as a CI log would show them.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { demoScript } from '../test/fake/demo-projects';
import { FakeAws } from '../test/fake/fake-aws';

async function main() {
  const fail = process.argv.includes('fail');
  const fake = new FakeAws().addProject('demo', demoScript()).addProject('demo-fail', demoScript(true));
  const endpoint = await fake.start();
  const project = fail ? 'demo-fail' : 'demo';
  process.stdout.write(`demo: fake AWS endpoint at ${endpoint}; running dist/index.js for project '${project}'\n\n`);
  const child = spawn(process.execPath, [resolve(__dirname, '../dist/index.js')], {
    stdio: 'inherit',
    env: {
      PATH: process.env.PATH,
      PROJECT_NAME: project,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDDEMO',
      AWS_SECRET_ACCESS_KEY: 'demo',
      RESULT_FILE: '',
      FORCE_COLOR: process.stdout.isTTY ? '1' : '',
    },
  });
  const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? 1)));
  await fake.stop();
  const next = fail ? '' : ' Try `npm run demo -- fail` too.';
  process.stdout.write(`\ndemo: the step exited with ${code} (${code === 0 ? 'build SUCCEEDED' : 'build did not succeed'}).${next}\n`);
  process.exitCode = fail ? (code === 1 ? 0 : 1) : code;
}

void main();
