/**
 * What a stored text may contain. The record is read for years, on screens, in CSV
 * exports and printed dossiers: a character that is invisible, reorders what follows
 * it, or is not valid Unicode at all would let a text show something other than what is
 * stored (or break the export that carries it).
 *
 * Multi-line prose (minutes, measures, comments, descriptions) keeps tab, line feed and
 * carriage return: minutes of a meeting are typed in paragraphs and lists, and refusing
 * them would make clients strip what people wrote. A single-line text (a title, a name)
 * refuses those too, since a line break there would split a list row or a CSV line.
 */
export type TextKind = 'line' | 'multiline';

// With the u flag, \p{Cs} matches only a surrogate without its partner.
const LONE_SURROGATE = /\p{Cs}/u;
// C0 and C1 controls and DEL, except tab, LF and CR (checked separately, by kind).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this rule's purpose
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/;
// Embeddings, overrides and isolates: they reorder the text that follows them ("Trojan Source").
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** The rules, in the order they are checked; each message names the rule broken. */
export const TEXT_RULES: readonly { test: (s: string, kind: TextKind) => boolean; message: string }[] = [
  {
    test: (s) => LONE_SURROGATE.test(s),
    message: 'must not contain a lone surrogate (text that is not valid Unicode)',
  },
  {
    test: (s) => CONTROL.test(s),
    message:
      'must not contain control characters (U+0000–U+001F, U+007F–U+009F; tab and line breaks only in multi-line text)',
  },
  {
    test: (s, kind) => kind === 'line' && LINE_BREAK_OR_TAB.test(s),
    message: 'must be one line: no line breaks or tabs',
  },
  {
    test: (s) => BIDI_CONTROL.test(s),
    message: 'must not contain bidirectional override, embedding or isolate characters (U+202A–U+202E, U+2066–U+2069)',
  },
];

/** The message of the first rule the text breaks, or undefined when it keeps them all. */
export const brokenTextRule = (s: string, kind: TextKind): string | undefined =>
  TEXT_RULES.find((r) => r.test(s, kind))?.message;
