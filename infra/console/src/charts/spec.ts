/** What a bar chart shows, independent of the library that draws it. Pure. */
export interface ChartSeries {
  label: string;
  /** One value per label, in the unit `format` knows (fen, a count). */
  values: number[];
}

export interface ChartSpec {
  labels: string[];
  series: ChartSeries[];
  /** A value as the table and the tooltip write it ("30,000.00 元", "3 个"). */
  format: (v: number) => string;
  /** A value as the axis plots it (fen → yuan; a count as is). */
  axisValue: (v: number) => number;
  axisTitle?: string;
  /** Whole numbers (counts): the axis shows no fractional ticks. */
  integer?: boolean;
  horizontal?: boolean;
  stacked?: boolean;
}

/** Colours that stay apart for the common colour-vision deficiencies (Okabe–Ito); series i takes colour i. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** The rows of the chart's table: one per label, one cell per series, plus a total when asked. */
export const tableRows = (spec: Pick<ChartSpec, 'labels' | 'series'>): { label: string; values: number[] }[] =>
  spec.labels.map((label, i) => ({ label, values: spec.series.map((s) => s.values[i] ?? 0) }));

/** The column totals of the table (each series summed over the labels). */
export const seriesTotals = (spec: Pick<ChartSpec, 'series'>): number[] =>
  spec.series.map((s) => s.values.reduce((a, b) => a + b, 0));

/** A sentence for screen readers naming what the chart shows and where its figures are. */
export const chartSummary = (title: string, spec: Pick<ChartSpec, 'labels' | 'series'>): string =>
  `${title}：${spec.series.map((s) => s.label).join('、')}，共 ${spec.labels.length} 项，数字见下表`;
