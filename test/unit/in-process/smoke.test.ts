import { run } from '../../../src/main';
import { failingScript, successScript } from '../../fake/build-script';
import { inProcessAws } from '../../fake/in-process';
import { plainContainer } from '../../platforms/container-job';
import { EventClock } from '../../sim/event-clock';

test('a build, in-process', async () => {
  const clock = new EventClock();
  const { fake, services } = inProcessAws(clock);
  fake.addProject('app', successScript({ lines: ['one', 'two'] }));
  let out = '';
  const job = plainContainer({ PROJECT_NAME: 'app', AWS_REGION: 'eu-west-1' });
  const started = Date.now();
  const code = await clock.run(run({ env: job.env, cwd: job.cwd, clock, services: () => services, write: (t) => (out += t), random: () => 0.5 })).catch((e) => {
    console.log(out, fake.calls);
    throw e;
  });
  console.log(Date.now() - started, 'ms', out);
  expect(code).toBe(0);
});

test('a pipeline, in-process', async () => {
  const clock = new EventClock();
  const { fake, services } = inProcessAws(clock);
  fake.addProject('app', successScript({ lines: ['one', 'two'] }));
  fake.addPipeline({
    name: 'deploy',
    stages: [
      {
        name: 'Source',
        actions: [
          {
            name: 'Source',
            category: 'Source',
            provider: 'S3',
            durationMs: 300,
            configuration: { S3Bucket: 'b', S3ObjectKey: 'k', PollForSourceChanges: 'false' },
          },
        ],
      },
      { name: 'Build', actions: [{ name: 'CodeBuild', category: 'Build', provider: 'CodeBuild', project: 'app', runOrder: 1 }] },
    ],
  });
  let out = '';
  const job = plainContainer({ PIPELINE_NAME: 'deploy', AWS_REGION: 'eu-west-1' });
  const started = Date.now();
  const code = await clock.run(run({ env: job.env, cwd: job.cwd, clock, services: () => services, write: (t) => (out += t), random: () => 0.5 }));
  console.log(Date.now() - started, 'ms', out);
  expect(code).toBe(0);
});
