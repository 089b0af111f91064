// The dashboard's graphics, with recharts: loaded after the numbers
// (React.lazy in route.tsx), so the panel's first load stays small. Each
// graphic is hidden from screen readers: its figure's caption says what it
// shows and its table holds every number.
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Measure } from './stats';

/** One bar or point: a day or a week, its names and its counts. */
export interface ChartRow extends Partial<Record<Measure, number>> {
  /** Under the axis: "26 Nov". */
  label: string;
  /** In the tooltip: "Thu, 26 Nov 2026". */
  title: string;
}

/** A measure drawn: its name (for the tooltip) and look. */
export interface ChartLine {
  measure: Measure;
  name: string;
  /** accent: the saffron of the theme; ink: the text colour, dashed for lines. */
  tone: 'accent' | 'ink';
}

const tick = { fill: 'var(--color-muted)', fontSize: 12 };
const tooltipStyle = {
  background: 'var(--color-surface)',
  border: '1px solid color-mix(in srgb, var(--color-ink) 15%, transparent)',
  borderRadius: 8,
  color: 'var(--color-ink)',
};
const colour = { accent: 'var(--color-accent)', ink: 'var(--color-ink)' };

/** A line chart (two series side by side read best as lines) or a bar chart of the rows. */
export default function DashboardChart({
  rows,
  lines,
  kind,
  format,
}: {
  rows: ChartRow[];
  lines: ChartLine[];
  kind: 'line' | 'bar';
  /** A count in the admin's locale. */
  format: (n: number) => string;
}) {
  const grid = <CartesianGrid vertical={false} stroke="var(--color-ink)" strokeOpacity={0.1} />;
  const xAxis = <XAxis dataKey="label" tick={tick} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={20} />;
  const yAxis = <YAxis allowDecimals={false} tick={tick} tickLine={false} axisLine={false} width={48} tickFormatter={format} />;
  const tooltip = (
    <Tooltip
      cursor={kind === 'bar' ? { fill: 'var(--color-ink)', fillOpacity: 0.05 } : { stroke: 'var(--color-ink)', strokeOpacity: 0.2 }}
      contentStyle={tooltipStyle}
      labelFormatter={(_, payload) => (payload[0]?.payload as ChartRow | undefined)?.title ?? ''}
      formatter={(value, name) => [format(Number(value)), name]}
    />
  );
  const margin = { top: 8, right: 8, bottom: 0, left: 0 };
  return (
    <ResponsiveContainer width="100%" height="100%">
      {kind === 'line' ? (
        <LineChart data={rows} accessibilityLayer={false} margin={margin}>
          {grid}
          {xAxis}
          {yAxis}
          {tooltip}
          {lines.map((l) => (
            <Line
              key={l.measure}
              type="monotone"
              dataKey={l.measure}
              name={l.name}
              stroke={colour[l.tone]}
              strokeWidth={2}
              strokeDasharray={l.tone === 'ink' ? '5 4' : undefined}
              dot={rows.length <= 31 ? { r: 2.5, fill: colour[l.tone] } : false}
              activeDot={{ r: 4 }}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      ) : (
        <BarChart data={rows} accessibilityLayer={false} margin={margin}>
          {grid}
          {xAxis}
          {yAxis}
          {tooltip}
          {lines.map((l) => (
            <Bar
              key={l.measure}
              dataKey={l.measure}
              name={l.name}
              fill={colour[l.tone]}
              fillOpacity={l.tone === 'ink' ? 0.6 : 1}
              radius={[3, 3, 0, 0]}
              maxBarSize={32}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      )}
    </ResponsiveContainer>
  );
}
