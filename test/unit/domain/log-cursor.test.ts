import { LogCursor, type LogEvent, lineText } from '../../../src/domain/log-cursor';

const ev = (timestamp: number, message: string): LogEvent => ({ timestamp, message });

describe('LogCursor', () => {
  test('first read from the head, then from the token; a short page is not the end', () => {
    const c = new LogCursor();
    const r1 = c.request();
    expect(r1).toEqual({});
    const page = { events: [ev(1, 'a'), ev(2, 'b')], nextForwardToken: 'f/2' };
    expect(c.fresh(r1, page)).toEqual(page.events);
    expect(c.commit(r1, page, page.events, 1_000)).toEqual({ caughtUp: false, moreLikely: false });
    expect(c.request()).toEqual({ token: 'f/2' });
  });

  test('only the same token back means caught up', () => {
    const c = new LogCursor();
    c.commit({}, { events: [ev(1, 'a')], nextForwardToken: 't' }, [ev(1, 'a')], 0);
    expect(c.commit({ token: 't' }, { events: [], nextForwardToken: 't' }, [], 0)).toEqual({ caughtUp: true, moreLikely: false });
    expect(c.request()).toEqual({ token: 't' });
  });

  test('an empty page with a new token may hide more: read on at once, but not forever, and never call it the end', () => {
    const c = new LogCursor();
    const empty = (from: string, to: string) => c.commit({ token: from }, { events: [], nextForwardToken: to }, [], 0);
    expect(empty('t0', 't1')).toEqual({ caughtUp: false, moreLikely: true });
    expect(empty('t1', 't2')).toEqual({ caughtUp: false, moreLikely: true });
    expect(empty('t2', 't3')).toEqual({ caughtUp: false, moreLikely: false, stalled: true });
    expect(empty('t3', 't4')).toEqual({ caughtUp: false, moreLikely: true });
  });

  test('a page that looks cut means more is likely waiting: big, or older than the live edge', () => {
    const c = new LogCursor();
    const big = Array.from({ length: 285 }, (_, i) => ev(i, `l${i}`));
    // …says why: a paced read follows a merely big page at its next turn, an old one at once
    expect(c.commit({}, { events: big, nextForwardToken: 'a' }, big, 0)).toEqual({ caughtUp: false, moreLikely: true, sign: 'size' });
    const huge = [ev(1, 'x'.repeat(70_000))];
    expect(c.commit({ token: 'a' }, { events: huge, nextForwardToken: 'b' }, huge, 0).sign).toBe('size');
    const old = [{ ...ev(1, 'x'), ingestionTime: 10_000 }];
    expect(c.commit({ token: 'b' }, { events: old, nextForwardToken: 'c' }, old, 12_000)).toEqual({ caughtUp: false, moreLikely: true, sign: 'history' });
    // an empty page with a new token is surely behind: no sign, followed at once even when paced
    expect(c.commit({ token: 'x' }, { events: [], nextForwardToken: 'y' }, [], 12_000)).toEqual({ caughtUp: false, moreLikely: true });
    const live = [{ ...ev(1, 'x'), ingestionTime: 11_500 }];
    expect(c.commit({ token: 'c' }, { events: live, nextForwardToken: 'd' }, live, 12_000).moreLikely).toBe(false);
  });

  test('a page that was not committed (print failed) is read again', () => {
    const c = new LogCursor();
    c.commit({}, { events: [ev(1, 'a')], nextForwardToken: 't1' }, [ev(1, 'a')], 0);
    expect(c.request()).toEqual({ token: 't1' });
    // read of t1 fails before commit: the next request is still t1
    expect(c.request()).toEqual({ token: 't1' });
  });

  test('after an expired token it resumes by time without repeating lines that share a timestamp', () => {
    const c = new LogCursor();
    const first = [ev(5, 'a'), ev(7, 'b'), ev(7, 'c')];
    c.commit({}, { events: first, nextForwardToken: 't1' }, first, 0);
    c.dropToken();
    const r = c.request();
    expect(r).toEqual({ startTime: 7 });
    const again = { events: [ev(7, 'b'), ev(7, 'c'), ev(7, 'd'), ev(9, 'e')], nextForwardToken: 't2' };
    const fresh = c.fresh(r, again);
    expect(fresh.map((e) => e.message)).toEqual(['d', 'e']);
    c.commit(r, again, fresh, 0);
    expect(c.request()).toEqual({ token: 't2' });
    c.dropToken();
    const r2 = c.request();
    expect(r2).toEqual({ startTime: 9 });
    expect(c.fresh(r2, { events: [ev(9, 'e'), ev(9, 'f')] }).map((e) => e.message)).toEqual(['f']);
  });

  test('lineText strips one trailing newline only', () => {
    expect(lineText(ev(1, 'hello\n'))).toBe('hello');
    expect(lineText(ev(1, 'a\r\n'))).toBe('a');
    expect(lineText(ev(1, 'a\n\n'))).toBe('a\n');
  });
});
