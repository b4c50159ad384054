import { GitHubLog } from '../../../src/log/github-log';
import { TextLog } from '../../../src/log/text-log';
import { capture } from '../support';

describe('logs', () => {
  test('text: secrets masked, colours only when on, phases as lines', () => {
    const out = capture();
    const log = new TextLog({ color: false, debug: false }, out.write);
    log.mask('s3cr3t-value');
    log.info('token s3cr3t-value');
    log.buildLines(['echo s3cr3t-value']);
    log.phaseEnded({ phase: 'BUILD', status: 'FAILED', durationMs: 3_000, message: 'E: boom' });
    log.debug('hidden');
    expect(out.text).toBe('INFO: token ***\necho ***\nWARNING: Phase BUILD FAILED (3s): E: boom\n');
  });

  test('a prefixed log tags every line and turns phases into plain lines', () => {
    const out = capture();
    const child = new TextLog({ color: false, debug: true }, out.write).withPrefix('linux');
    child.buildLines(['a', 'b']);
    child.phaseStarted('BUILD');
    child.phaseEnded({ phase: 'BUILD', status: 'SUCCEEDED' });
    expect(out.text).toBe('[linux] a\n[linux] b\nDEBUG: [linux] Phase BUILD started\nINFO: [linux] Phase BUILD SUCCEEDED\n');
  });

  test('GitHub: build output that could hold a workflow command is fenced', () => {
    const out = capture();
    const log = new GitHubLog(false, out.write);
    log.buildLines(['plain line']);
    log.buildLines(['::set-output name=x::y', 'and ##[error]x']);
    const [plain, ...fenced] = out.text.split('\n');
    expect(plain).toBe('plain line');
    expect(fenced[0]).toMatch(/^::stop-commands::[0-9a-f-]{36}$/);
    expect(fenced.slice(1, 3)).toEqual(['::set-output name=x::y', 'and ##[error]x']);
    expect(fenced[3]).toBe(`::${fenced[0]!.slice('::stop-commands::'.length)}::`);
  });
});
