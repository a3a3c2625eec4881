/**
 * Chart.js with only the pieces the console draws (bar charts on category and linear
 * scales, legend, tooltip), so the bundle carries nothing else. Loaded with a dynamic
 * import: screens without a chart never download it.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { type ChartSpec, PALETTE } from './spec.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Draws `spec` on `canvas`; the returned function removes it (before a redraw or on unmount). */
export const drawBarChart = (canvas: HTMLCanvasElement, spec: ChartSpec): (() => void) => {
  const valueAxis = spec.horizontal ? 'x' : 'y';
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values.map((v) => spec.axisValue(v)),
        backgroundColor: PALETTE[i % PALETTE.length],
        borderWidth: 0,
      })),
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      // Printing and screenshots take the chart as drawn; nothing moves.
      animation: false,
      scales: {
        x: { stacked: spec.stacked, ticks: { autoSkip: !spec.horizontal } },
        y: { stacked: spec.stacked },
        [valueAxis]: {
          stacked: spec.stacked,
          beginAtZero: true,
          ticks: { precision: spec.integer ? 0 : undefined },
          title: { display: Boolean(spec.axisTitle), text: spec.axisTitle ?? '' },
        },
      },
      plugins: {
        legend: { display: spec.series.length > 1, position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label}：${spec.format(spec.series[item.datasetIndex].values[item.dataIndex])}`,
          },
        },
      },
    },
  });
  return () => chart.destroy();
};
