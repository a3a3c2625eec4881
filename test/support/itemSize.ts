/**
 * An item's size as DynamoDB counts it against its 400 KB limit: attribute names and
 * strings in UTF-8 bytes, numbers at their largest encoding (21 bytes), booleans and nulls
 * 1 byte, lists and maps 3 bytes plus 1 byte per element besides their contents. Values
 * are in the document client's plain form. Errs on the large side, never the small.
 */
export const dynamoItemSize = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueSize(value), 0);

const valueSize = (v: unknown): number => {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (typeof v === 'number' || typeof v === 'bigint') return 21;
  if (typeof v === 'boolean' || v === null || v === undefined) return 1;
  if (Array.isArray(v)) return 3 + v.reduce((s: number, e) => s + 1 + valueSize(e), 0);
  if (v instanceof Set) return [...v].reduce((s: number, e) => s + valueSize(e), 0);
  if (v instanceof Uint8Array) return v.byteLength;
  if (typeof v === 'object')
    return 3 + Object.entries(v).reduce((s, [k, e]) => s + 1 + Buffer.byteLength(k, 'utf8') + valueSize(e), 0);
  return 0;
};

/** DynamoDB's limit on one item. */
export const DYNAMO_ITEM_LIMIT = 400 * 1024;
