import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoricalBalance } from '../../../shared/asset-report';
import type { LargeDeposit } from '../../../shared/underwriting/types';
import { formatDate, formatMoney } from './format';

export interface BalanceChartProps {
  history: HistoricalBalance[];
  /** The account as people say it: bank, name and mask ("Chase · Plaid Checking ••0000"). */
  label: string;
  /** The current balance and the day the bank gave it: the line's last point when newer than the history. */
  current?: number | null;
  currentDate?: string | null;
  /** The large deposits the underwriting analysis flagged in this account, marked on the line. */
  deposits?: readonly ChartDeposit[];
}

export type ChartDeposit = Pick<LargeDeposit, 'transactionId' | 'date' | 'amount' | 'sourced'>;

/** "Large deposit $7,350.00 on Nov 7, 2026 — Chase · Plaid Checking ••0000; not yet sourced" */
export function depositMarkerLabel(deposit: Pick<LargeDeposit, 'date' | 'amount' | 'sourced'>, label: string): string {
  return `Large deposit ${formatMoney(deposit.amount)} on ${formatDate(deposit.date)} — ${label}; ${
    deposit.sourced ? 'sourced' : 'not yet sourced'
  }`;
}

const HEIGHT = 180;
const dayX = (date: string): number => Date.parse(`${date}T12:00:00Z`) / 1000;

/**
 * A daily balance-history line for one account, drawn with uPlot (canvas, fast with 730 points), with each large
 * deposit marked where it landed. Loaded lazily: the report screen opens without the chart library.
 */
export default function BalanceChart({
  history,
  label,
  current = null,
  currentDate = null,
  deposits = [],
}: BalanceChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  // The drawn chart and a count of its draws: markers are placed from its scales after each (re)draw.
  const [chart, setChart] = useState<uPlot | null>(null);
  const [, setDraws] = useState(0);

  const points = useMemo(() => {
    // Plaid lists the newest day first; the chart reads left to right in time.
    const days = [...history].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const dates = days.map((d) => d.date);
    const balances = days.map((d) => d.current);
    const newest = dates[dates.length - 1];
    if (current !== null && currentDate !== null && (newest === undefined || currentDate > newest)) {
      dates.push(currentDate);
      balances.push(current);
    }
    return { dates, balances };
  }, [history, current, currentDate]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const width = Math.max(280, host.clientWidth);
    const drawn = new uPlot(
      {
        width,
        height: HEIGHT,
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
        hooks: {
          draw: [
            (u) => {
              setChart(u);
              setDraws((n) => n + 1);
            },
          ],
        },
      },
      [points.dates.map(dayX), points.balances],
      host,
    );
    const resize = new ResizeObserver(() => {
      // A hidden tab measures 0 wide: nothing to redraw until it is shown again (at its old width, usually).
      if (host.clientWidth === 0) return;
      const next = Math.max(280, host.clientWidth);
      if (Math.abs(next - drawn.width) > 4) drawn.setSize({ width: next, height: HEIGHT });
    });
    resize.observe(host);
    return () => {
      resize.disconnect();
      drawn.destroy();
      setChart(null);
    };
  }, [points, label]);

  // A deposit sits on the line at the end of its day: the first point on or after its date.
  const placed: { deposit: ChartDeposit; left: number; top: number }[] = [];
  let offChart = 0;
  for (const deposit of deposits) {
    const index = points.dates.findIndex((date) => date >= deposit.date);
    if (index < 0 || (index === 0 && points.dates[0] !== deposit.date)) {
      offChart += 1;
      continue;
    }
    if (!chart) continue;
    // The plot area's offset inside the chart, as uPlot set it, plus the value's position in that area.
    const left = parseFloat(chart.over.style.left || '0') + chart.valToPos(dayX(deposit.date), 'x');
    const top = parseFloat(chart.over.style.top || '0') + chart.valToPos(points.balances[index]!, 'y');
    placed.push({ deposit, left, top });
  }
  const anySourced = deposits.some((d) => d.sourced);
  const anyUnsourced = deposits.some((d) => !d.sourced);

  return (
    <>
      <div className="rp-chart-frame">
        <div ref={hostRef} className="rp-chart-host" aria-hidden="true" data-testid="balance-chart" />
        {placed.length > 0 && (
          <ul className="rp-chart-markers" aria-label={`Large deposits marked on the chart of ${label}`}>
            {placed.map(({ deposit, left, top }) => {
              const text = depositMarkerLabel(deposit, label);
              return (
                <li key={deposit.transactionId} style={{ left, top }}>
                  <span
                    role="img"
                    aria-label={text}
                    title={text}
                    className="rp-chart-marker"
                    data-sourced={deposit.sourced}
                    data-testid="deposit-marker"
                  />
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <ul className="rp-chart-legend" data-testid="chart-legend">
        <li>
          <span className="rp-legend-line" aria-hidden="true" />
          {label}
        </li>
        {anyUnsourced && (
          <li>
            <span className="rp-legend-marker" aria-hidden="true" data-sourced="false" />
            Large deposit, not yet sourced
          </li>
        )}
        {anySourced && (
          <li>
            <span className="rp-legend-marker" aria-hidden="true" data-sourced="true" />
            Large deposit, sourced
          </li>
        )}
        {offChart > 0 && (
          <li className="muted" data-testid="deposits-off-chart">
            {offChart === 1
              ? '1 large deposit falls outside the daily history shown'
              : `${offChart} large deposits fall outside the daily history shown`}
          </li>
        )}
      </ul>
    </>
  );
}
