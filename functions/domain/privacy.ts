/**
 * Residents' and staff contact details must not leak into logs, audit events or
 * exports: whoever reads those needs to know that a contact was there, not what it was.
 */

// Mainland mobile numbers (optionally +86 / 0086 prefixed, with spaces or dashes) and
// landlines with an area code; the look-arounds keep ids and amounts made of digits intact.
const PHONE = /(?<![\w.])(?:(?:\+|00)86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?![\w.])/g;
const LANDLINE = /(?<![\w.])(0\d{2,3})-(\d{7,8})(?![\w.])/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** `13812345678` → `138****5678`; `zhang.san@example.cn` → `z***@example.cn`. */
export const maskText = (text: string): string =>
  text
    .replace(PHONE, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_m, area: string, num: string) => `${area}-****${num.slice(-2)}`)
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);

/**
 * Masks every string inside a value (objects and arrays walked, cycles and depth
 * bounded), so that a log call can pass structured data through it unchanged in shape.
 */
export const maskPersonalData = <T>(value: T, depth = 0, seen = new WeakSet<object>()): T => {
  if (typeof value === 'string') return maskText(value) as T;
  if (value instanceof Error) {
    const masked = new Error(maskText(value.message));
    masked.name = value.name;
    if (value.stack) masked.stack = maskText(value.stack);
    return masked as T;
  }
  if (!value || typeof value !== 'object' || depth > 20 || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => maskPersonalData(v, depth + 1, seen)) as T;
  // fromEntries defines own properties, so a `__proto__` key stays data and never becomes a prototype.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPersonalData(v, depth + 1, seen)])) as T;
};
