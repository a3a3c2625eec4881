/**
 * A bar chart whose figures are also a table: the chart for a glance, the table (always
 * shown, under it) for reading, copying into Excel, screen readers and printing. Chart.js is
 * loaded on first use, so a screen without a chart does not download it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ChartSpec, chartSummary, seriesTotals, tableRows } from './spec.ts';
import { TableRegion } from '../tableRegion.tsx';

export const BarChart = (props: {
  title: string;
  spec: ChartSpec;
  /** The first column's heading (街道, 社区, 状态, 周). */
  labelHeading: string;
  /** Adds a 合计 row. */
  total?: boolean;
  /** Taller for many labels. */
  size?: 'small' | 'large';
}) => {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const { spec } = props;
  useEffect(() => {
    let undraw: (() => void) | undefined;
    let live = true;
    import('./chartjs.ts').then(
      ({ drawBarChart }) => {
        if (live && canvas.current) undraw = drawBarChart(canvas.current, spec);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      undraw?.();
    };
  }, [JSON.stringify([spec.labels, spec.series])]);
  const rows = tableRows(spec);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      {spec.labels.length === 0 ? (
        <p class="muted">暂无数据。</p>
      ) : (
        <>
          {!failed && (
            <div class={`chart-canvas ${props.size ?? ''}`}>
              <canvas ref={canvas} role="img" aria-label={chartSummary(props.title, spec)} />
            </div>
          )}
          <TableRegion label={`${props.title}（表）`}>
            <table class="chart-table">
              <thead>
                <tr>
                  <th scope="col">{props.labelHeading}</th>
                  {spec.series.map((s, i) => (
                    <th scope="col" class="num" key={s.label}>
                      <span class={`swatch c${i}`} aria-hidden="true" />
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.label}>
                    <th scope="row">{r.label}</th>
                    {r.values.map((v, i) => (
                      <td class="num" key={spec.series[i].label}>
                        {spec.format(v)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              {props.total && (
                <tfoot>
                  <tr>
                    <th scope="row">合计</th>
                    {seriesTotals(spec).map((v, i) => (
                      <td class="num" key={spec.series[i].label}>
                        {spec.format(v)}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              )}
            </table>
          </TableRegion>
        </>
      )}
    </figure>
  );
};
