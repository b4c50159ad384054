import { PhaseMarkers } from '../../../src/domain/phase-markers';

const at = (s: string) => `[Container] 2026/11/25 10:00:${s} `;

describe('PhaseMarkers', () => {
  test('start, completion and context give a phase with duration and message', () => {
    const m = new PhaseMarkers();
    expect(m.feed(`${at('01.000000')}Entering phase BUILD`, 1_000)).toEqual([{ kind: 'start', phase: 'BUILD' }]);
    expect(m.feed('npm test', 2_000)).toEqual([]);
    expect(m.feed(`${at('09.000000')}Phase complete: BUILD State: FAILED`, 9_000)).toEqual([]);
    expect(
      m.feed(
        `${at('09.000010')}Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: npm test. Reason: exit status 1`,
        9_000,
      ),
    ).toEqual([
      {
        kind: 'end',
        phase: 'BUILD',
        status: 'FAILED',
        durationMs: 8_000,
        message: 'COMMAND_EXECUTION_ERROR: Error while executing command: npm test. Reason: exit status 1',
        afterLine: true,
      },
    ]);
    expect(m.finished).toBe(false);
  });

  test('an empty context carries no message; UPLOAD_ARTIFACTS completion finishes the log', () => {
    const m = new PhaseMarkers();
    m.feed(`${at('01.000000')}Entering phase UPLOAD_ARTIFACTS`, 0);
    m.feed(`${at('02.000000')}Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED`, 500);
    expect(m.finished).toBe(true);
    expect(m.feed(`${at('02.000001')}Phase context status code:  Message: `, 500)).toEqual([
      { kind: 'end', phase: 'UPLOAD_ARTIFACTS', status: 'SUCCEEDED', durationMs: 500, afterLine: true },
    ]);
    expect(m.finished).toBe(true);
  });

  test("a last-phase marker followed by more lines came from the build's own output (a nested build's log): not the end", () => {
    const m = new PhaseMarkers();
    m.feed(`${at('01.000000')}Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED`, 1_000);
    m.feed(`${at('01.000001')}Phase context status code:  Message: `, 1_000);
    expect(m.finished).toBe(true);
    m.feed('the outer build goes on', 2_000);
    expect(m.finished).toBe(false);
  });

  test('DOWNLOAD_SOURCE starts with "Phase is"', () => {
    expect(new PhaseMarkers().feed(`${at('00.100000')}Phase is DOWNLOAD_SOURCE`, 0)).toEqual([{ kind: 'start', phase: 'DOWNLOAD_SOURCE' }]);
  });

  test('a completion without context is flushed by the next phase', () => {
    const m = new PhaseMarkers();
    m.feed(`${at('01.000000')}Entering phase INSTALL`, 0);
    m.feed(`${at('02.000000')}Phase complete: INSTALL State: SUCCEEDED`, 1_000);
    expect(m.feed(`${at('03.000000')}Entering phase BUILD`, 2_000)).toEqual([
      { kind: 'end', phase: 'INSTALL', status: 'SUCCEEDED', durationMs: 1_000 },
      { kind: 'start', phase: 'BUILD' },
    ]);
  });

  test('user lines that merely mention phases are not markers', () => {
    const m = new PhaseMarkers();
    expect(m.feed('echo Entering phase BUILD', 0)).toEqual([]);
    expect(m.feed('Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED', 0)).toEqual([]);
    expect(m.finished).toBe(false);
  });
});
