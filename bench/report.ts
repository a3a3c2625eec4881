import type { BenchResults } from './run.ts';

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const kb = (b: number) => `${Math.round(b / 1024)} KB`;
/** Milliseconds as seconds to one decimal, without the unit. */
const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** The one table `npm run bench` prints (Markdown, so it can go into the README as it is). */
export const formatReport = (r: BenchResults): string => {
  const y = r.districtYear;
  const rows: string[][] = [];
  const row = (what: string, figure: string, target = '', result = '') => rows.push([what, figure, target, result]);
  row(
    `District-year, ${y.projects} projects: wall time`,
    `${seconds(y.wallMs)} s (${y.msPerProject} ms/project)`,
    '≤ 60 s at 1,000',
    y.projects === 1000 ? verdict(y.wallMs <= 60_000) : '',
  );
  row(
    '… requests, store calls (per request), store writes applied, writes refused on their condition',
    `${y.requests}, ${y.storeCalls} (${y.storeCallsPerRequest}), ${y.storeWrites}, ${y.storeWritesRefused}`,
  );
  if (y.stats.cpu) {
    const { productMs, storeMs } = y.stats.cpu;
    row(
      '… CPU time of the product, the store (of the cores × wall time)',
      `${seconds(productMs)} s, ${seconds(storeMs)} s (of ${((r.machine.cpus * y.wallMs) / 1000).toFixed(0)} s)`,
    );
  }
  const updates = y.stats.store.UpdateItemCommand;
  if (updates)
    row('… updates the store sent the whole item back for', `${updates.itemsReturned ?? 0} of ${updates.calls}`);
  row(
    '… outcomes',
    Object.entries(y.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
  row(
    '… objections / upheld / refused for money / fast path',
    `${y.objections} / ${y.upheld} / ${y.refusedForMoney} / ${y.fastPath}`,
  );
  row(
    '… projects dropped after an unexpected answer; lines the product logged as errors',
    `${y.failures.count}; ${y.productErrors.length}`,
    '0',
    verdict(y.failures.count === 0),
  );
  row('… workflow executions, state transitions', `${y.stats.workflow.started}, ${y.stats.workflow.transitions}`);
  row('… peak RSS of the product', `${r.districtYear.peakRssMb} MB`);
  for (const [group, g] of Object.entries(y.endpoints).filter(([k]) => k !== 'token'))
    row(`… ${group}: p50 / p99`, `${g.p50} / ${g.p99} ms (${g.count} calls${g.errors ? `, ${g.errors} errors` : ''})`);
  row(
    `Floor: ${r.floor.writes} plain writes of the same size straight to the store`,
    `${seconds(r.floor.wallMs)} s (${r.floor.writesPerSecond}/s)`,
  );
  row('Product ÷ floor of plain writes', `${r.floor.ratio}×`, '≤ 3×', verdict(r.floor.ratio <= 3));
  const replay = r.replayFloor;
  row(
    `Floor: its own ${replay.calls} writes, refused ones too, replayed (refused, answers differing)`,
    `${seconds(replay.wallMs)} s (${replay.callsPerSecond}/s; ${replay.refused}, ${replay.differing}), store CPU ${seconds(replay.storeCpuMs)} s, ${replay.meanInFlight} in flight`,
  );
  row(
    `… replayed ${replay.runs.length} times, each on a fresh store: time (store CPU; refused, answers differing); median`,
    `${replay.runs.map((x) => `${seconds(x.wallMs)} s (${seconds(x.storeCpuMs)} s; ${x.refused}, ${x.differing})`).join(' / ')}; ${seconds(replay.medianWallMs)} s`,
  );
  row(
    'Product ÷ floor of its own writes',
    `${replay.ratio}×`,
    '≤ 3×',
    verdict(
      replay.ratio <= 3 &&
        replay.runs.every((x) => x.differing === 0 && x.refused === replay.refused) &&
        replay.calls === r.districtYear.storeWrites + r.districtYear.storeWritesRefused,
    ),
  );
  row(
    `Floor of all its store calls: ${r.callFloor.writes} writes and ${r.callFloor.reads} reads`,
    `${seconds(r.callFloor.wallMs)} s`,
    '',
    '',
  );
  row('Product ÷ floor of all its store calls', `${r.callFloor.ratio}×`, '', '');
  if (r.growth.length) {
    for (const g of r.growth)
      row(
        `Growth: ${g.projects} projects`,
        g.error
          ? `failed: ${g.error.slice(0, 160)}`
          : `${seconds(g.wallMs)} s, ${g.msPerProject} ms/project, ${g.storeWrites} writes, ${g.peakRssMb} MB${g.failures ? `, ${g.failures} projects dropped` : ''}`,
      );
    const first = r.growth[0];
    const last = r.growth[r.growth.length - 1];
    const ratio = Math.round((last.msPerProject / first.msPerProject) * 100) / 100;
    row(
      `Time per project ${last.projects} ÷ ${first.projects}`,
      Number.isFinite(ratio) ? `${ratio}×` : 'not measured',
      '≤ 1.5×',
      verdict(ratio <= 1.5),
    );
  }
  if (r.load) {
    const { open, closed, store } = r.load;
    row(
      `Open loop ${open.target}/s for ${open.seconds} s: p50 / p99, errors`,
      `${open.p50} / ${open.p99} ms, ${open.errors}`,
      'p99 ≤ 50 ms, 0 errors',
      verdict(open.p99 <= 50 && open.errors === 0),
    );
    row(
      `${closed.clients} clients without pause: throughput, p99`,
      `${closed.perSecond}/s, ${closed.p99} ms (${closed.errors} errors)`,
    );
    // Per request, the CPU each process spent; and, over the load, the share of one core it kept busy.
    const perRequest = (ms: number, n: number) => (n ? (ms / n).toFixed(3) : '–');
    const busy = (ms: number, seconds: number) => `${Math.round(ms / seconds / 10)} %`;
    const rec = r.load.recordedLoop;
    if (rec)
      row(
        '… the same loop just before it, every store call recorded for the floors below: throughput, p99; CPU ms a request of product / store',
        `${rec.perSecond}/s, ${rec.p99} ms (${rec.errors} errors)${rec.spent ? `; ${perRequest(rec.spent.productCpuMs, rec.requests)} / ${perRequest(rec.spent.storeCpuMs, rec.requests)}` : ''}`,
      );
    row(`Store alone, ${store.clients} clients of GetItem: throughput, p99`, `${store.perSecond}/s, ${store.p99} ms`);
    const p99Ratio = Math.round((closed.p99 / store.p99) * 100) / 100;
    const tputRatio = Math.round((closed.perSecond / store.perSecond) * 100) / 100;
    row('Product p99 ÷ store p99', `${p99Ratio}×`, '≤ 3×', verdict(p99Ratio <= 3));
    row('Product throughput ÷ store throughput', `${tputRatio}`, '≥ 0.33', verdict(tputRatio >= 1 / 3));
    const lf = r.load.loopFloor;
    row(
      `Floor: the closed loop's own ${lf.calls} store calls replayed by ${lf.concurrency} callers, no product (refused, answers differing)`,
      `${seconds(lf.wallMs)} s (${lf.callsPerSecond} calls/s; ${lf.refused}, ${lf.differing}), store CPU ${seconds(lf.storeCpuMs)} s, ${lf.meanInFlight} in flight`,
    );
    const r2 = (n: number) => Math.round(n * 100) / 100;
    row(
      "… the loop's requests at that floor: a second, p99; ÷ store alone: throughput, p99",
      `${lf.requestsPerSecond}/s, ${lf.requests.p99} ms; ${r2(lf.requestsPerSecond / store.perSecond)}, ${r2(lf.requests.p99 / store.p99)}×`,
    );
    row(
      'Product ÷ that floor: throughput, p99',
      `${r2(closed.perSecond / lf.requestsPerSecond)}, ${r2(closed.p99 / lf.requests.p99)}×`,
    );
    const lr = r.load.loopRelay;
    if (lr) {
      const n = lr.requests.count;
      row(
        `Floor: the closed loop's own ${n} requests through a bare HTTP relay of their store calls, ${lr.concurrency} callers (answered with the product's answers; refused, store answers differing; errors)`,
        `${lr.requestsPerSecond}/s, p99 ${lr.requests.p99} ms (${lr.answeredAsTheProduct ?? 0}; ${lr.refused}, ${lr.differing}; ${lr.errors})`,
      );
      const ref = lr.reference ?? store;
      if (lr.reference)
        row(
          `Store alone around the relay, ${ref.clients} clients of GetItem: throughput, p99`,
          `${ref.perSecond}/s, ${ref.p99} ms`,
        );
      row(
        `… ÷ store alone${lr.reference ? ' around it' : ''}: throughput, p99; CPU ms a request of relay / store / bench client; busy share of a core`,
        `${r2(lr.requestsPerSecond / ref.perSecond)}, ${r2(lr.requests.p99 / ref.p99)}×; ${perRequest(lr.relayCpuMs, n)} / ${perRequest(lr.storeCpuMs, n)} / ${perRequest(lr.benchCpuMs, n)}; ${busy(lr.relayCpuMs, lr.wallMs / 1000)} / ${busy(lr.storeCpuMs, lr.wallMs / 1000)} / ${busy(lr.benchCpuMs, lr.wallMs / 1000)}`,
      );
      row(
        'Product ÷ that relay: throughput, p99',
        `${r2(closed.perSecond / lr.requestsPerSecond)}, ${r2(closed.p99 / lr.requests.p99)}×`,
      );
    }
    if (closed.spent)
      row(
        'Closed loop, per request: store calls; CPU ms of product / store / bench client; busy share of a core',
        `${(closed.spent.storeCalls / closed.requests).toFixed(2)}; ${perRequest(closed.spent.productCpuMs, closed.requests)} / ${perRequest(closed.spent.storeCpuMs, closed.requests)} / ${perRequest(closed.spent.benchCpuMs, closed.requests)}; ${busy(closed.spent.productCpuMs, closed.seconds)} / ${busy(closed.spent.storeCpuMs, closed.seconds)} / ${busy(closed.spent.benchCpuMs, closed.seconds)}`,
      );
    if (store.cpu)
      row(
        'Store alone, per GetItem: CPU ms of caller / store; busy share of a core',
        `${perRequest(store.cpu.callerMs, store.calls)} / ${perRequest(store.cpu.storeMs, store.calls)}; ${busy(store.cpu.callerMs, store.seconds)} / ${busy(store.cpu.storeMs, store.seconds)}`,
      );
    for (const k of r.load.byKind ?? [])
      row(
        `… ${k.kind} alone: throughput, p99; store calls, CPU ms of product / store per request`,
        k.spent
          ? `${k.perSecond}/s, ${k.p99} ms (${k.errors} errors); ${(k.spent.storeCalls / k.requests).toFixed(2)}, ${perRequest(k.spent.productCpuMs, k.requests)} / ${perRequest(k.spent.storeCpuMs, k.requests)}`
          : `${k.perSecond}/s, ${k.p99} ms (${k.errors} errors)`,
      );
    const relay = r.load.relay;
    if (relay?.cpu)
      row(
        'Relay, per request: CPU ms of relay / store; busy share of a core',
        `${perRequest(relay.cpu.callerMs, relay.calls)} / ${perRequest(relay.cpu.storeMs, relay.calls)}; ${busy(relay.cpu.callerMs, relay.seconds)} / ${busy(relay.cpu.storeMs, relay.seconds)}`,
      );
    if (relay) {
      row(
        `Bare HTTP relay (one GetItem a request), ${relay.clients} clients: throughput, p99`,
        `${relay.perSecond}/s, ${relay.p99} ms`,
      );
      row(
        'Relay ÷ store: throughput, p99 (the ceiling of an HTTP front here)',
        `${Math.round((relay.perSecond / store.perSecond) * 100) / 100}, ${Math.round((relay.p99 / store.p99) * 100) / 100}×`,
      );
    }
  }
  if (r.lambda) {
    for (const f of r.lambda)
      row(
        `Lambda ${f.entry.replace(/^functions\//, '')}: size, init`,
        `${kb(f.bytes)} (${f.sizeRatio}× ${kb(f.floorBytes)}), ${f.initMs} ms (${f.initRatio}× ${f.floorInitMs} ms)`,
        '≤ 1.5×, ≤ 1.25×',
        verdict(f.sizeRatio <= 1.5 && f.initRatio <= 1.25),
      );
  }
  const header = ['Measure', 'Figure', 'Target', 'Result'];
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const m = r.machine;
  return [
    `Run ${r.startedAt} (commit ${r.commit}), ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, load average at the end ${m.loadAverage.join(' ')}; profile ${r.profile}, ${r.org.streets} streets × ${r.org.communities / r.org.streets} communities, concurrency ${r.concurrency}.`,
    '',
    ...lines,
  ].join('\n');
};

export const printReport = (r: BenchResults): void => {
  process.stdout.write(`${formatReport(r)}\n`);
};
