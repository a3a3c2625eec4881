import { describe, expect, it } from 'vitest';
import { brokenTextRule } from '../../functions/domain/textRules.ts';

describe('text rules', () => {
  it.each([
    ['a lone high surrogate', '路灯\ud83d', /lone surrogate/],
    ['a lone low surrogate', '\ude00路灯', /lone surrogate/],
    ['NUL', 'a\u0000b', /control characters/],
    ['BEL', 'a\u0007b', /control characters/],
    ['ESC', 'a\u001bb', /control characters/],
    ['DEL', 'a\u007fb', /control characters/],
    ['a C1 control (NEL)', 'a\u0085b', /control characters/],
    ['vertical tab and form feed', 'a\u000b\u000cb', /control characters/],
    ['RIGHT-TO-LEFT OVERRIDE', 'a\u202eb', /bidirectional/],
    ['LEFT-TO-RIGHT EMBEDDING', 'a\u202ab', /bidirectional/],
    ['POP DIRECTIONAL ISOLATE', 'a\u2069b', /bidirectional/],
  ])('refuses %s in any text', (_what, s, rule) => {
    expect(brokenTextRule(s, 'multiline')).toMatch(rule);
    expect(brokenTextRule(s, 'line')).toMatch(rule);
  });

  it.each([
    ['a line feed', '一\n二'],
    ['a carriage return and line feed', '一\r\n二'],
    ['a tab', '一\t二'],
    ['a line separator', '一\u2028二'],
  ])('keeps %s in multi-line text and refuses it in a single line', (_what, s) => {
    expect(brokenTextRule(s, 'multiline')).toBeUndefined();
    expect(brokenTextRule(s, 'line')).toMatch(/one line/);
  });

  it.each([
    ['Chinese with full-width punctuation', '老旧小区路灯维修（第二期）：更换20盏'],
    ['an emoji (a surrogate pair)', '满意👍'],
    ['a zero-width joiner inside an emoji sequence', '👨\u200d👩\u200d👧'],
    ['a right-to-left mark in Arabic', 'مرحبا\u200f'],
  ])('accepts %s', (_what, s) => {
    expect(brokenTextRule(s, 'line')).toBeUndefined();
    expect(brokenTextRule(s, 'multiline')).toBeUndefined();
  });
});
