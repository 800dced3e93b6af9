/**
 * The backlog-over-time chart of `pp plan`, as a self-contained SVG (no library: a polyline,
 * two axes with five ticks each, and labels).
 */
import type { Plan } from './model';
import { formatSeconds } from '../units';

const WIDTH = 720;
const HEIGHT = 360;
const PAD = { left: 72, right: 24, top: 40, bottom: 48 };

/** Renders `plan`'s backlog samples as an SVG document. */
export function backlogChartSvg(plan: Plan, title: string): string {
  const w = WIDTH - PAD.left - PAD.right;
  const h = HEIGHT - PAD.top - PAD.bottom;
  const maxY = niceCeil(Math.max(1, ...plan.points.map((p) => p.backlog)));
  const x = (t: number): number => PAD.left + (t / plan.horizonSeconds) * w;
  const y = (v: number): number => PAD.top + h - (v / maxY) * h;
  const line = plan.points.map((p) => `${fixed(x(p.t))},${fixed(y(p.backlog))}`).join(' ');
  const ticks = [0, 1, 2, 3, 4].map((i) => i / 4);
  const xTicks = ticks.map((f) => tick(x(f * plan.horizonSeconds), PAD.top + h + 18, formatSeconds(f * plan.horizonSeconds), 'middle'));
  const yTicks = ticks.map((f) => tick(PAD.left - 8, y(f * maxY) + 4, formatCount(f * maxY), 'end'));
  const grid = ticks.map((f) => `<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${fixed(y(f * maxY))}" y2="${fixed(y(f * maxY))}" stroke="#e5e5e5"/>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    ...grid,
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + h}" stroke="black"/>`,
    `<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${PAD.top + h}" y2="${PAD.top + h}" stroke="black"/>`,
    ...xTicks,
    ...yTicks,
    `<text x="${PAD.left + w / 2}" y="${HEIGHT - 8}" text-anchor="middle">time (modeled)</text>`,
    `<text transform="translate(16 ${PAD.top + h / 2}) rotate(-90)" text-anchor="middle">backlog (items)</text>`,
    `<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${line}"/>`,
    '</svg>',
    '',
  ].join('\n');
}

function tick(x: number, y: number, label: string, anchor: string): string {
  return `<text x="${fixed(x)}" y="${fixed(y)}" text-anchor="${anchor}">${escapeXml(label)}</text>`;
}

/** Axis ends whose quarters are round numbers too. */
const NICE = [1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10];

/** The next round number (see {@link NICE}) × 10ⁿ at or above `value`, so the axis ends on it. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return (NICE.find((m) => m * power >= value * (1 - 1e-12)) ?? 10) * power;
}

function formatCount(value: number): string {
  return value >= 10_000 ? `${Math.round(value / 1000)}k` : String(Math.round(value * 10) / 10);
}

function fixed(value: number): string {
  return value.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
