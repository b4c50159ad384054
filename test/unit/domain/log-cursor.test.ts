import { LogCursor, type LogEvent, lineText, PAGE_EVENT_LIMIT } from '../../../src/domain/log-cursor';

const ev = (timestamp: number, message: string): LogEvent => ({ timestamp, message });

describe('LogCursor', () => {
  test('first read from the head, then from the token; caught up on a short page', () => {
    const c = new LogCursor();
    const r1 = c.request();
    expect(r1).toEqual({});
    const page = { events: [ev(1, 'a'), ev(2, 'b')], nextForwardToken: 'f/2' };
    expect(c.fresh(r1, page)).toEqual(page.events);
    expect(c.commit(r1, page, page.events)).toBe(true);
    expect(c.request()).toEqual({ token: 'f/2' });
  });

  test('a full page means more is waiting', () => {
    const c = new LogCursor();
    const events = Array.from({ length: PAGE_EVENT_LIMIT }, (_, i) => ev(i, `l${i}`));
    expect(c.commit({}, { events, nextForwardToken: 'f/x' }, events)).toBe(false);
  });

  test('a page near 1 MB means more is waiting', () => {
    const c = new LogCursor();
    const events = Array.from({ length: 4 }, (_, i) => ev(i, 'x'.repeat(250_000)));
    expect(c.commit({}, { events, nextForwardToken: 'f/x' }, events)).toBe(false);
  });

  test('the same token back means the end of the stream', () => {
    const c = new LogCursor();
    c.commit({}, { events: [ev(1, 'a')], nextForwardToken: 't' }, [ev(1, 'a')]);
    expect(c.commit({ token: 't' }, { events: [], nextForwardToken: 't' }, [])).toBe(true);
    expect(c.request()).toEqual({ token: 't' });
  });

  test('a page that was not committed (print failed) is read again', () => {
    const c = new LogCursor();
    c.commit({}, { events: [ev(1, 'a')], nextForwardToken: 't1' }, [ev(1, 'a')]);
    expect(c.request()).toEqual({ token: 't1' });
    // read of t1 fails before commit: the next request is still t1
    expect(c.request()).toEqual({ token: 't1' });
  });

  test('after an expired token it resumes by time without repeating lines that share a timestamp', () => {
    const c = new LogCursor();
    const first = [ev(5, 'a'), ev(7, 'b'), ev(7, 'c')];
    c.commit({}, { events: first, nextForwardToken: 't1' }, first);
    c.dropToken();
    const r = c.request();
    expect(r).toEqual({ startTime: 7 });
    const again = { events: [ev(7, 'b'), ev(7, 'c'), ev(7, 'd'), ev(9, 'e')], nextForwardToken: 't2' };
    const fresh = c.fresh(r, again);
    expect(fresh.map((e) => e.message)).toEqual(['d', 'e']);
    c.commit(r, again, fresh);
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
