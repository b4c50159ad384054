import { RequestBudget } from '../../../src/aws/request-budget';

describe('RequestBudget', () => {
  test('a burst goes through at once, then requests are spaced at the sustained rate', () => {
    const now = 0;
    const budget = new RequestBudget(() => now, 2, 3);
    expect([budget.reserve(), budget.reserve(), budget.reserve()]).toEqual([0, 0, 0]);
    expect(budget.reserve()).toBe(500);
    expect(budget.reserve()).toBe(1_000);
  });

  test('tokens come back with time, up to the burst', () => {
    let now = 0;
    const budget = new RequestBudget(() => now, 2, 3);
    for (let i = 0; i < 3; i++) budget.reserve();
    now = 10_000;
    expect([budget.reserve(), budget.reserve(), budget.reserve(), budget.reserve()]).toEqual([0, 0, 0, 500]);
  });

  test('a wall clock stepped back an hour costs no wait', () => {
    let now = 3_600_000;
    const budget = new RequestBudget(() => now, 2, 3);
    budget.reserve();
    now = 0;
    expect(budget.reserve()).toBe(0);
  });
});
