import { GitLabLog } from '../../../src/log/gitlab-log';
import { gitlabSections } from '../../platforms/gitlab-reports';
import { capture } from '../support';

const ESC = '\x1b';
const at = (seconds: number) => () => seconds * 1000;

/** A GitLab log whose section markers say 1700000000. */
function gitlabLog(color = false) {
  const out = capture();
  return { out, log: new GitLabLog({ color, debug: false }, out.write, at(1_700_000_000)) };
}

describe('GitLab log: each phase a collapsible section', () => {
  test("GitLab's own markers, collapsed, with a name GitLab accepts and the phase as title", () => {
    const { out, log } = gitlabLog();
    log.phaseStarted('INSTALL');
    log.buildLines(['npm ci']);
    log.phaseEnded({ phase: 'INSTALL', status: 'SUCCEEDED', durationMs: 2_000 });
    expect(out.text).toBe(
      [
        `${ESC}[0Ksection_start:1700000000:codebuild_1_install[collapsed=true]\r${ESC}[0KINSTALL`,
        'npm ci',
        `${ESC}[0Ksection_end:1700000000:codebuild_1_install\r${ESC}[0K`,
        'INFO: Phase INSTALL SUCCEEDED (2s)',
        '',
      ].join('\n'),
    );
    expect(gitlabSections(out.text).map((s) => [s.marker, s.name, s.options])).toEqual([
      ['start', 'codebuild_1_install', '[collapsed=true]'],
      ['end', 'codebuild_1_install', undefined],
    ]);
  });

  test('a failed phase is followed by an open section with its last 30 lines, then the warning', () => {
    const { out, log } = gitlabLog();
    log.phaseStarted('BUILD');
    log.buildLines(Array.from({ length: 100 }, (_, i) => `line ${i + 1}`));
    log.phaseEnded({ phase: 'BUILD', status: 'FAILED', durationMs: 3_000, message: 'COMMAND_EXECUTION_ERROR: exit status 1' });
    const sections = gitlabSections(out.text);
    expect(sections.map((s) => [s.marker, s.name, s.options])).toEqual([
      ['start', 'codebuild_1_build', '[collapsed=true]'],
      ['end', 'codebuild_1_build', undefined],
      ['start', 'codebuild_2_build_last_lines', undefined],
      ['end', 'codebuild_2_build_last_lines', undefined],
    ]);
    const tail = out.text.slice(out.text.indexOf('Last lines of BUILD (FAILED)'));
    expect(tail.split('\n').slice(1, 31)).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 71}`));
    expect(out.text.trimEnd().split('\n').at(-1)).toBe('WARNING: Phase BUILD FAILED (3s): COMMAND_EXECUTION_ERROR: exit status 1');
  });

  test('pipeline stages are sections too; the verdict and errors come after the last one closes', () => {
    const { out, log } = gitlabLog();
    log.phaseStarted('Stage Deploy');
    log.buildLines(['[Deploy/Build] pushing']);
    log.error('Execution failed in stage Deploy');
    const sections = gitlabSections(out.text);
    expect(sections.map((s) => `${s.marker}:${s.name}`)).toEqual(['start:codebuild_1_stage_deploy', 'end:codebuild_1_stage_deploy']);
    expect(out.text.indexOf('✖ Execution failed')).toBeGreaterThan(out.text.lastIndexOf('section_end'));
  });

  test('batch children interleave, so their phases stay prefixed lines, never sections', () => {
    const { out, log } = gitlabLog();
    const child = log.withPrefix('linux');
    child.phaseStarted('BUILD');
    child.buildLines(['a']);
    child.phaseEnded({ phase: 'BUILD', status: 'SUCCEEDED' });
    expect(gitlabSections(out.text)).toEqual([]);
    expect(out.text).toBe('[linux] a\nINFO: [linux] Phase BUILD SUCCEEDED\n');
  });
});

describe('GitLab log: build output is untrusted', () => {
  const forged = [
    `${ESC}[0Ksection_end:1700000000:codebuild_1_build\r${ESC}[0K`,
    `${ESC}[0Ksection_start:1700000000:evil[collapsed=true]\r${ESC}[0KNothing to see here`,
    `echo hi section_start:1:x\r${ESC}[0K`,
  ];

  test('a build line (or a message quoting one) cannot open or close a section', () => {
    const { out, log } = gitlabLog(true);
    log.phaseStarted('BUILD');
    log.buildLines(forged);
    log.info(`reason: ${forged[1]}`);
    log.phaseEnded({ phase: 'BUILD', status: 'FAILED', message: forged[0] });
    const names = gitlabSections(out.text).map((s) => `${s.marker}:${s.name}`);
    expect(names).toEqual(['start:codebuild_1_build', 'end:codebuild_1_build', 'start:codebuild_2_build_last_lines', 'end:codebuild_2_build_last_lines']);
    // Still readable: the text is there, its escape characters shown as ␛.
    expect(out.text).toContain('␛[0Ksection_start:1700000000:evil[collapsed=true]\r␛[0KNothing to see here');
  });

  test('ordinary colour codes in build lines are kept; secrets are masked', () => {
    const { out, log } = gitlabLog(true);
    log.mask('s3cr3t-value');
    log.buildLines([`${ESC}[32mok${ESC}[0m s3cr3t-value`]);
    log.warning('careful');
    expect(out.text).toBe(`${ESC}[32mok${ESC}[0m ***\n${ESC}[33mWARNING: careful${ESC}[0m\n`);
  });
});

describe("GitLab log: the runner's job-log limit", () => {
  /** 2 KB: 90% of it is 1843 bytes, about 60 lines of 30 bytes. */
  function limited() {
    const out = capture();
    return { out, log: new GitLabLog({ color: false, debug: false }, out.write, at(1_700_000_000), 2) };
  }
  const line = (i: number) => `build output line ${String(i).padStart(6, '0')}....`;

  test("build lines stop near the limit with one notice; the failing phase's last lines and the count still follow", () => {
    const { out, log } = limited();
    log.phaseStarted('BUILD');
    for (let i = 1; i <= 200; i++) log.buildLines([line(i)]);
    log.phaseEnded({ phase: 'BUILD', status: 'FAILED', durationMs: 3_000, message: 'COMMAND_EXECUTION_ERROR' });
    log.closeSection();
    log.reportLeftOut();
    log.error('Build FAILED in phase BUILD');
    const text = out.text;
    const shown = (i: number) => text.split('\n').filter((l) => l === line(i)).length;
    expect(shown(1)).toBe(1);
    expect(shown(120)).toBe(0); // left out of the stream, and not among the last 30
    expect(shown(200)).toBe(1); // only in the last lines' section
    expect(text.match(/nears this job log's limit/g)).toHaveLength(1);
    const dropped = Number(/(\d+) build log lines were left out/.exec(text)?.[1]);
    expect(dropped).toBeGreaterThan(100);
    const streamed = 200 - dropped; // every line either streamed, in order, or counted as left out
    expect(shown(streamed)).toBe(1);
    expect(shown(streamed + 1)).toBe(0);
    expect(text.trimEnd().endsWith('✖ Build FAILED in phase BUILD')).toBe(true);
    expect(Buffer.byteLength(text)).toBeLessThan(2 * 1024 + 2_000); // past the budget, only the tail, the count and the verdict
  });

  test('0 is no limit: every line is shown', () => {
    const out = capture();
    const log = new GitLabLog({ color: false, debug: false }, out.write, at(1_700_000_000), 0);
    for (let i = 1; i <= 5_000; i++) log.buildLines([line(i)]);
    log.reportLeftOut();
    expect(out.text.split('\n').filter((l) => l.startsWith('build output line'))).toHaveLength(5_000);
    expect(out.text).not.toMatch(/left out/);
  });
});
