import { inflateSync } from 'node:zlib';

/*
 * Just enough of PDF to read back the text chromium (Skia) prints: objects, Flate
 * streams, each font's ToUnicode CMap, and the Tf/Tj/TJ operators of the page contents.
 * Skia writes Type0 fonts with two-byte codes and Type3 fonts with one-byte codes.
 */

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

const readObjects = (pdf: Buffer): Map<number, PdfObject> => {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = re.lastIndex;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const s = /stream\r?\n/.exec(body);
    if (!s) {
      out.set(Number(m[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, s.index);
    const length = Number(/\/Length (\d+)(?!\s+\d+\s+R)/.exec(dict)?.[1]);
    const from = start + s.index + s[0].length;
    let raw = pdf.subarray(from, from + length);
    if (/\/FlateDecode/.test(dict)) raw = inflateSync(raw);
    out.set(Number(m[1]), { dict, stream: raw });
    re.lastIndex = end;
  }
  return out;
};

const utf16 = (hex: string): string => {
  const b = Buffer.from(hex, 'hex');
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i));
  return s;
};

/** code → text, from a ToUnicode CMap's bfchar and bfrange sections. */
const parseCMap = (cmap: string): Map<number, string> => {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code, uni] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set(parseInt(code, 16), utf16(uni));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, rest] of block[1].matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)/g,
    )) {
      const a = parseInt(lo, 16);
      const b = parseInt(hi, 16);
      if (rest.startsWith('[')) {
        [...rest.matchAll(/<([0-9A-Fa-f]+)>/g)].forEach(([, u], i) => map.set(a + i, utf16(u)));
      } else {
        const first = Buffer.from(rest.slice(1, -1), 'hex');
        for (let c = a; c <= b; c++) {
          const u = Buffer.from(first);
          u.writeUInt16BE(u.readUInt16BE(u.length - 2) + (c - a), u.length - 2);
          map.set(c, utf16(u.toString('hex')));
        }
      }
    }
  }
  return map;
};

const literalBytes = (s: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') {
      out.push(s.charCodeAt(i));
      continue;
    }
    const n = s[++i];
    const oct = /^[0-7]{1,3}/.exec(s.slice(i))?.[0];
    if (oct) {
      out.push(parseInt(oct, 8));
      i += oct.length - 1;
    } else out.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[n] ?? n.charCodeAt(0));
  }
  return out;
};

/** The text of every page of a PDF printed by chromium, in drawing order, one string per page. */
export const pdfText = (pdf: Buffer): string[] => {
  const objects = readObjects(pdf);
  const fonts = new Map<number, { width: 1 | 2; cmap: Map<number, string> }>();
  for (const [n, o] of objects) {
    if (!/\/Type \/Font\b/.test(o.dict)) continue;
    const ref = /\/ToUnicode (\d+) 0 R/.exec(o.dict)?.[1];
    const cmap = ref ? objects.get(Number(ref))?.stream?.toString('latin1') : undefined;
    if (cmap) fonts.set(n, { width: /\/Subtype \/Type0/.test(o.dict) ? 2 : 1, cmap: parseCMap(cmap) });
  }
  const pages = [...objects.values()].filter((o) => /\/Type \/Page\b/.test(o.dict));
  return pages.map((page) => {
    const names = new Map<string, number>();
    const fontDict = /\/Font <<([^>]*)>>/.exec(page.dict)?.[1] ?? '';
    for (const [, name, ref] of fontDict.matchAll(/\/(\S+) (\d+) 0 R/g)) names.set(name, Number(ref));
    const contents = [...(/\/Contents (\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map(
      ([, r]) => objects.get(Number(r))?.stream?.toString('latin1') ?? '',
    );
    let font: { width: 1 | 2; cmap: Map<number, string> } | undefined;
    let text = '';
    const show = (bytes: number[]) => {
      if (!font) return;
      for (let i = 0; i + font.width <= bytes.length; i += font.width) {
        const code = font.width === 2 ? (bytes[i] << 8) | bytes[i + 1] : bytes[i];
        text += font.cmap.get(code) ?? '';
      }
    };
    const strings = (chunk: string) => {
      for (const [, hex, lit] of chunk.matchAll(/<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\)/g)) {
        show(hex !== undefined ? [...Buffer.from(hex.replace(/\s/g, ''), 'hex')] : literalBytes(lit));
      }
    };
    for (const [, tf, tj, tjArr] of contents
      .join('\n')
      .matchAll(
        /\/(\S+)\s+[\d.]+\s+Tf|(<[^>]*>|\((?:\\.|[^\\)])*\))\s*Tj|(\[(?:<[^>]*>|\((?:\\.|[^\\)])*\)|[^\]])*\])\s*TJ/g,
      )) {
      if (tf) font = fonts.get(names.get(tf) ?? -1);
      else strings(tj ?? tjArr);
    }
    return text;
  });
};
