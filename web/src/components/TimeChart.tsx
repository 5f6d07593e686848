// A live time-series chart on a canvas (uPlot): one line per series, the last
// `windowSeconds` visible. uPlot redraws a few hundred points in well under a
// millisecond, so the once-a-second stats tick costs nothing.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
	label: string;
	colour: string;
	values: (number | null)[];
	dash?: number[];
}

interface Props {
	times: number[];
	series: ChartSeries[];
	windowSeconds: number; // the most that is shown
	format: (v: number) => string;
	theme: string; // redraw with the theme's colours when it changes
	height?: number;
	label: string;
}

function cssVar(name: string): string {
	return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

export function TimeChart({ times, series, windowSeconds, format, theme, height = 240, label }: Props) {
	const box = useRef<HTMLDivElement>(null);
	const plot = useRef<uPlot | null>(null);
	const shape = series.map((s) => `${s.label}|${s.colour}`).join(',');

	// (re)build when the set of series or the theme changes
	useEffect(() => {
		const el = box.current;
		if (!el) return;
		const fg = cssVar('--fg-dim');
		const grid = cssVar('--border');
		const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
		const opts: uPlot.Options = {
			width: Math.max(200, el.clientWidth),
			height,
			cursor: { drag: { x: false, y: false } },
			legend: { live: true },
			scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
			axes: [axis, { ...axis, size: 86, values: (_u, vals) => vals.map((v) => format(v)) }],
			series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 1.5, dash: s.dash, points: { show: false }, value: (_u: uPlot, v: number | null) => (v == null ? '-' : format(v)) }))],
		};
		const u = new uPlot(opts, [[], ...series.map(() => [])] as uPlot.AlignedData, el);
		plot.current = u;
		const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
		ro.observe(el);
		return () => {
			ro.disconnect();
			u.destroy();
			plot.current = null;
		};
		// shape stands for series: a rebuild only when the set of lines changes
	}, [shape, theme, height]);

	useEffect(() => {
		const u = plot.current;
		if (!u) return;
		u.setData([times, ...series.map((s) => s.values)] as uPlot.AlignedData, false);
		// the whole window once there is that much; before, at least a minute
		const now = times.length ? times[times.length - 1] : Date.now() / 1000;
		const span = times.length ? Math.min(windowSeconds, Math.max(60, now - times[0])) : 60;
		u.setScale('x', { min: now - span, max: now });
	});

	return <div ref={box} className="chart" role="img" aria-label={label} data-points={times.length} />;
}
