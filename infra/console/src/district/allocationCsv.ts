/**
 * Allocations from a CSV file, as a district's finance office keeps them in Excel:
 *
 *   社区,金额（元）,资金来源
 *   西华社区,200000,区财政:150000;街道配套:50000
 *   gd-gdjd-xh,180000,
 *
 * A community by its name or its id; under a district-pool profile the row 区级统筹 (or
 * POOL) sets the pool. The amount in yuan (up to two decimals, thousands commas allowed);
 * the sources as `出资方:金额` separated by `;` or `；`, or empty for one source, 区财政.
 * Every row is checked before anything is sent, and each problem names its row. Pure.
 */
import { yuanToFen } from '../format.ts';

export const POOL_ID = 'POOL';
export const DEFAULT_FUNDER = '区财政';

export interface AllocationRow {
  /** The file's line number (the header is line 1), for messages. */
  line: number;
  communityId: string;
  /** The name as shown back to the user. */
  name: string;
  amountFen: number;
  sources: { funder: string; amountFen: number }[];
}

export interface RowProblem {
  line: number;
  message: string;
}

export interface CsvCommunity {
  id: string;
  name: string;
}

/** Splits one CSV line into cells (quotes allowed, "" for a quote inside them). */
export const csvCells = (line: string): string[] => {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === '，' || ch === '\t') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
};

const HEADER = /社区|community/i;

/**
 * Reads the file's text into rows to send, or the problems of every bad row (then nothing
 * is sent: a half-loaded year is harder to check than none).
 */
export const parseAllocationCsv = (
  text: string,
  communities: CsvCommunity[],
  opts: { pool: boolean },
): { rows: AllocationRow[]; problems: RowProblem[] } => {
  const byKey = new Map<string, CsvCommunity>();
  for (const c of communities) {
    byKey.set(c.id, c);
    byKey.set(c.name, c);
  }
  const rows: AllocationRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    const [who = '', amountText = '', sourcesText = '', ...extra] = csvCells(raw);
    if (line === 1 && HEADER.test(who) && yuanToFen(amountText) === undefined) return;
    const problem = (message: string) => problems.push({ line, message: `第${line}行：${message}` });
    if (extra.some((x) => x !== '')) return problem('多出了列；每行只有 社区、金额（元）、资金来源 三列');
    const isPool = who === POOL_ID || who === '区级统筹';
    const community = isPool ? undefined : byKey.get(who);
    if (isPool && !opts.pool) return problem('本区政策没有区级统筹资金池，不能设置“区级统筹”');
    if (!isPool && !community) return problem(`找不到社区“${who || '（空）'}”，请填写社区名称或编号`);
    const communityId = isPool ? POOL_ID : community!.id;
    const name = isPool ? '区级统筹' : community!.name;
    const earlier = seen.get(communityId);
    if (earlier) return problem(`${name} 在第${earlier}行已经出现，一个社区只能有一行`);
    seen.set(communityId, line);
    const amountFen = yuanToFen(amountText);
    if (amountFen === undefined) return problem(`金额“${amountText || '（空）'}”不是以元为单位的金额（最多两位小数）`);
    let sources: { funder: string; amountFen: number }[];
    if (!sourcesText) sources = [{ funder: DEFAULT_FUNDER, amountFen }];
    else {
      sources = [];
      for (const part of sourcesText.split(/[;；]/).filter((p) => p.trim())) {
        const m = /^(.+?)[:：]\s*(.+)$/.exec(part.trim());
        const fen = m ? yuanToFen(m[2]) : undefined;
        if (!m || fen === undefined) return problem(`资金来源“${part.trim()}”应写成 出资方:金额，例如 区财政:150000`);
        sources.push({ funder: m[1].trim(), amountFen: fen });
      }
      if (sources.length > 10) return problem('资金来源最多10项');
      const sum = sources.reduce((a, s) => a + s.amountFen, 0);
      if (sum !== amountFen) return problem(`资金来源合计 ${fenText(sum)} 元，与金额 ${fenText(amountFen)} 元不一致`);
    }
    rows.push({ line, communityId, name, amountFen, sources });
  });
  if (rows.length === 0 && problems.length === 0) problems.push({ line: 0, message: '文件中没有分配数据' });
  return { rows, problems };
};

const fenText = (fen: number) => (fen / 100).toFixed(2);
