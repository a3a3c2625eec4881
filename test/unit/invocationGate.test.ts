import { describe, expect, it } from 'vitest';
import { invocationGate } from '../../infra/local/invocationGate.ts';

const opened = () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { gate, open };
};
const turns = () => new Promise((r) => setImmediate(r));

describe('invocationGate', () => {
  it('runs no more than its limit at once and starts the rest in the order they came', async () => {
    // Prepare
    const inTurn = invocationGate(2);
    const started: number[] = [];
    const doors = Array.from({ length: 5 }, opened);
    let running = 0;
    let most = 0;

    // Act
    const calls = doors.map((door, i) =>
      inTurn(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await door.gate;
        running--;
        return i * 10;
      }),
    );
    await turns();
    const firstStarted = [...started];
    doors[1].open();
    await turns();
    const afterOne = [...started];
    for (const d of doors) d.open();

    // Assess
    expect(await Promise.all(calls)).toEqual([0, 10, 20, 30, 40]);
    expect(firstStarted).toEqual([0, 1]);
    expect(afterOne).toEqual([0, 1, 2]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('frees the place of a call that fails and passes the failure on', async () => {
    // Prepare
    const inTurn = invocationGate(1);

    // Act
    const failed = inTurn(() => Promise.reject(new Error('store down')));
    const next = inTurn(async () => 'answered');

    // Assess
    await expect(failed).rejects.toThrow('store down');
    await expect(next).resolves.toBe('answered');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %s', (limit) => {
    // Act & Assess
    expect(() => invocationGate(limit)).toThrow(RangeError);
  });
});
