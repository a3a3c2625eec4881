import { describe, expect, it } from 'vitest';
import { contextSlot } from '../../functions/requestContext.ts';

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

describe('a slot of the request context', () => {
  it('is set for the duration of its run, across awaits, and unset outside it', async () => {
    // Prepare
    const slot = contextSlot<string>('a');

    // Act
    const inside = await slot.run('x', async () => {
      await tick();
      return slot.get();
    });

    // Assess
    expect(inside).toBe('x');
    expect(slot.get()).toBeUndefined();
  });

  it('keeps the other slots the caller had, and gives an inner run of its own slot back when it ends', async () => {
    // Prepare
    const audit = contextSlot<string>('audit');
    const command = contextSlot<string>('command');
    const seen: unknown[] = [];

    // Act
    await audit.run('entry', () =>
      command.run('c1', async () => {
        seen.push([audit.get(), command.get()]);
        await command.run('c2', async () => {
          await tick();
          seen.push([audit.get(), command.get()]);
        });
        seen.push([audit.get(), command.get()]);
      }),
    );

    // Assess
    expect(seen).toEqual([
      ['entry', 'c1'],
      ['entry', 'c2'],
      ['entry', 'c1'],
    ]);
  });

  it('keeps requests running at the same time apart', async () => {
    // Prepare
    const slot = contextSlot<number>('request');
    const request = (n: number) =>
      slot.run(n, async () => {
        const seen: (number | undefined)[] = [];
        for (let i = 0; i < 3; i++) {
          await tick();
          seen.push(slot.get());
        }
        return seen;
      });

    // Act
    const [one, two] = await Promise.all([request(1), request(2)]);

    // Assess
    expect(one).toEqual([1, 1, 1]);
    expect(two).toEqual([2, 2, 2]);
  });
});
