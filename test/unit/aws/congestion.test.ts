import { Congestion } from '../../../src/aws/congestion';

describe('Congestion', () => {
  test('each throttle doubles the factor, up to the cap', () => {
    const now = 0;
    const c = new Congestion(() => now, 8, 5_000);
    expect(c.factor('GetLogEvents')).toBe(1);
    c.onFailure('throttle', 'GetLogEvents');
    expect(c.factor('GetLogEvents')).toBe(2);
    for (let i = 0; i < 5; i++) c.onFailure('throttle', 'GetLogEvents');
    expect(c.factor('GetLogEvents')).toBe(8);
  });

  test('other failures do not count', () => {
    const c = new Congestion(() => 0);
    c.onFailure('transient', 'GetLogEvents');
    c.onFailure('permanent', 'GetLogEvents');
    expect(c.factor('GetLogEvents')).toBe(1);
  });

  test('each operation has its own factor', () => {
    const c = new Congestion(() => 0);
    c.onFailure('throttle', 'StartBuild');
    expect(c.factor('StartBuild')).toBe(2);
    expect(c.factor('GetLogEvents')).toBe(1);
  });

  test('halves every half-life without throttling: full speed seconds after it stops', () => {
    let now = 0;
    const c = new Congestion(() => now, 8, 5_000);
    for (let i = 0; i < 3; i++) c.onFailure('throttle', 'GetLogEvents');
    now = 5_000;
    expect(c.factor('GetLogEvents')).toBeCloseTo(4);
    now = 15_000;
    expect(c.factor('GetLogEvents')).toBe(1);
  });
});
