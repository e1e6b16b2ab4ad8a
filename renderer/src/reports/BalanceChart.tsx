import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoricalBalance } from '../../../shared/asset-report';
import { formatMoney } from './format';

/**
 * A daily balance-history line for one account, drawn with uPlot (canvas, fast with 730 points).
 * Loaded lazily: the report screen opens without the chart library.
 */
export default function BalanceChart({ history, label }: { history: HistoricalBalance[]; label: string }) {
  const hostRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    // Plaid lists the newest day first; the chart reads left to right in time.
    const days = [...history].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const xs = days.map((d) => Date.parse(`${d.date}T12:00:00Z`) / 1000);
    const ys = days.map((d) => d.current);
    const width = Math.max(280, host.clientWidth);
    const chart = new uPlot(
      {
        width,
        height: 180,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [
          { stroke: '#4b5563', grid: { stroke: '#e5e7eb' } },
          {
            stroke: '#4b5563',
            grid: { stroke: '#e5e7eb' },
            size: 80,
            values: (_u, splits) => splits.map((v) => formatMoney(v).replace(/\.00$/, '')),
          },
        ],
        series: [{}, { label, stroke: '#1d4ed8', width: 2, fill: 'rgba(29, 78, 216, 0.08)' }],
      },
      [xs, ys],
      host,
    );
    const resize = new ResizeObserver(() => {
      // A hidden tab measures 0 wide: nothing to redraw until it is shown again (at its old width, usually).
      if (host.clientWidth === 0) return;
      const next = Math.max(280, host.clientWidth);
      if (Math.abs(next - chart.width) > 4) chart.setSize({ width: next, height: 180 });
    });
    resize.observe(host);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [history, label]);

  return <div ref={hostRef} className="rp-chart-host" aria-hidden="true" data-testid="balance-chart" />;
}
