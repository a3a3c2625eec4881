import { describe, expect, it } from 'vitest';
import { maskPersonalData, maskText } from '../../functions/domain/privacy.ts';

describe('maskText', () => {
  it.each([
    ['电话13812345678', '电话138****5678'],
    ['+86 138-1234-5678', '138****5678'],
    ['call 0086 13912345678 now', 'call 139****5678 now'],
    ['座机 020-87654321', '座机 020-****21'],
    ['zhang.san@example.com.cn', 'z***@example.com.cn'],
  ])('masks %s', (input, masked) => {
    // Act
    const out = maskText(input);

    // Assess
    expect(out).toBe(masked);
  });

  it.each([
    '01J8ZK3Q9X13812345678ABCD',
    'amountFen 3000000',
    '2025-09-30T23:59:59+08:00',
    'gd-gdjd-xh',
    '12345678901234',
  ])('leaves %s alone', (input) => {
    // Act
    const out = maskText(input);

    // Assess
    expect(out).toBe(input);
  });
});

describe('maskPersonalData', () => {
  it('masks strings at any depth and keeps the shape', () => {
    // Prepare
    const value = { contact: '13812345678', list: [{ email: 'a.b@c.cn' }], n: 5, ok: true, none: null };

    // Act
    const out = maskPersonalData(value);

    // Assess
    expect(out).toEqual({ contact: '138****5678', list: [{ email: 'a***@c.cn' }], n: 5, ok: true, none: null });
    expect(value.contact).toBe('13812345678');
  });

  it('masks error messages and keeps a __proto__ key as data', () => {
    // Prepare
    const value = JSON.parse('{"__proto__": {"polluted": "13812345678"}}');
    const error = new TypeError('bad phone 13812345678');

    // Act
    const out = maskPersonalData(value) as Record<string, unknown>;
    const err = maskPersonalData(error);

    // Assess
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: '138****5678' });
    expect(err.message).toBe('bad phone 138****5678');
    expect(err.name).toBe('TypeError');
  });

  it('survives cycles', () => {
    // Prepare
    const value: Record<string, unknown> = { phone: '13812345678' };
    value.self = value;

    // Act
    const out = maskPersonalData(value);

    // Assess
    expect(out.phone).toBe('138****5678');
  });
});
