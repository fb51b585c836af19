/**
 * The bench's tables as one SVG chart, `bench/chart.svg`:
 *  - left: ndshare against NumPy per case (ratio = NumPy median / ndshare
 *    median, log scale; right of 1: ndshare is faster);
 *  - right: ndshare against its peers in the cross-process cases (ratio =
 *    peer median / ndshare median, same reading).
 * Each case's newest row among bench/results/*.json is used, so a run of a
 * few cases updates those rows. `npm run bench` writes it at its end;
 * `npm run bench:chart` regenerates it from the stored results alone.
 *
 * @module
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
export const CHART = path.join(ROOT, 'bench', 'chart.svg');

interface Row {
  median_ns: number | null;
  impl?: string;
  meta?: { reference?: boolean };
  ratioToNdshare?: number | null;
}
interface Result {
  case: string;
  ndshare: Row | null;
  numpy: Row | null;
  ratio: number | null;
  peers?: Row[];
}
interface Record_ {
  date: string;
  quick: boolean;
  machine: { cpu: string; cores: number; loadavgAtStart?: number[] };
  node: string;
  results: Result[];
}

interface Bar {
  label: string;
  value: number;
  group: string;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The newest result per case, and the records they came from. */
function newest(): { results: Map<string, { r: Result; rec: Record_ }>; records: Record_[] } {
  let files: string[] = [];
  try {
    files = readdirSync(RESULTS)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    // no results yet
  }
  const results = new Map<string, { r: Result; rec: Record_ }>();
  const records: Record_[] = [];
  for (const f of files) {
    const rec = JSON.parse(readFileSync(path.join(RESULTS, f), 'utf8')) as Record_;
    records.push(rec);
    for (const r of rec.results) results.set(r.case, { r, rec });
  }
  return { results, records };
}

/** One panel of horizontal bars on a log axis centred on 1. */
function panel(title: string, bars: Bar[], x0: number, width: number, note: string): { svg: string; height: number } {
  const rowH = 18;
  const top = 44;
  const labelW = 230;
  const plotW = width - labelW - 60;
  const values = bars.map((b) => b.value).filter((v) => v > 0 && Number.isFinite(v));
  const span = Math.max(1, ...values.map((v) => Math.ceil(Math.abs(Math.log10(v)) * 2) / 2));
  const xOf = (v: number) => x0 + labelW + ((Math.log10(v) + span) / (2 * span)) * plotW;
  const out: string[] = [];
  out.push(`<text x="${x0}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  out.push(`<text x="${x0}" y="34" font-size="11" fill="#555">${esc(note)}</text>`);
  const height = top + bars.length * rowH + 30;
  // Grid: powers of ten (and 1).
  for (let e = -Math.floor(span); e <= Math.floor(span); e++) {
    const x = xOf(10 ** e);
    out.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${top + bars.length * rowH}" stroke="${e === 0 ? '#333' : '#ddd'}"/>`);
    out.push(
      `<text x="${x}" y="${top + bars.length * rowH + 14}" font-size="10" text-anchor="middle">${e === 0 ? '1×' : e > 0 ? `${10 ** e}×` : `1/${10 ** -e}`}</text>`,
    );
  }
  let lastGroup = '';
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    if (b.group !== lastGroup && i > 0) out.push(`<line x1="${x0}" y1="${y - 1}" x2="${x0 + width - 40}" y2="${y - 1}" stroke="#eee"/>`);
    lastGroup = b.group;
    const v = Math.min(Math.max(b.value, 10 ** -span), 10 ** span);
    const x1 = xOf(1);
    const x2 = xOf(v);
    const faster = b.value >= 1;
    out.push(`<text x="${x0 + labelW - 6}" y="${y + 12}" font-size="11" text-anchor="end">${esc(b.label)}</text>`);
    out.push(
      `<rect x="${Math.min(x1, x2)}" y="${y + 3}" width="${Math.max(1, Math.abs(x2 - x1))}" height="${rowH - 6}" fill="${faster ? '#2a7ab9' : '#d0703c'}"/>`,
    );
    const fmt = b.value >= 10 ? b.value.toFixed(0) : b.value >= 1 ? b.value.toFixed(2) : b.value.toFixed(3);
    out.push(`<text x="${faster ? x2 + 4 : x2 - 4}" y="${y + 12}" font-size="10" text-anchor="${faster ? 'start' : 'end'}">${fmt}×</text>`);
  });
  return { svg: out.join('\n'), height };
}

/** Writes bench/chart.svg from the stored results; returns its path, or undefined with nothing to draw. */
export function writeChart(): string | undefined {
  const { results, records } = newest();
  if (results.size === 0) return undefined;
  const numpy: Bar[] = [];
  const peers: Bar[] = [];
  for (const [name, { r }] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
    if (r.ratio && r.ratio > 0) numpy.push({ label: name, value: 1 / r.ratio, group: name });
    for (const p of r.peers ?? []) {
      // Other ndshare configurations (idle, pinned, thread) are not peers.
      if (!p.ratioToNdshare || p.meta?.reference || p.impl?.startsWith('ndshare')) continue;
      peers.push({ label: `${name}: ${p.impl}`, value: p.ratioToNdshare, group: name });
    }
  }
  const width = 640;
  const left = panel('ndshare vs NumPy (same run)', numpy, 0, width, 'NumPy median / ndshare median; right of 1×: ndshare is faster');
  const right = panel('ndshare vs peers, cross-process cases', peers, width, width, 'peer median / ndshare median; right of 1×: ndshare is faster');
  const last = records.at(-1)!;
  const dates = [...new Set([...results.values()].map(({ rec }) => rec.date.slice(0, 16).replace('T', ' ')))].sort();
  const height = Math.max(left.height, right.height) + 30;
  const footer =
    `Node ${last.node}, ${last.machine.cpu} (${last.machine.cores} cores); runs ${dates[0]}${dates.length > 1 ? ` … ${dates.at(-1)}` : ''} UTC` +
    `${[...results.values()].some(({ rec }) => rec.quick) ? ' (some --quick)' : ''}. Regenerate: npm run bench:chart`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * width}" height="${height}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n` +
    `${left.svg}\n${right.svg}\n` +
    `<text x="0" y="${height - 8}" font-size="10" fill="#555">${esc(footer)}</text>\n</svg>\n`;
  writeFileSync(CHART, svg);
  return CHART;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('chart.ts')) {
  const file = writeChart();
  console.log(file ? `wrote ${path.relative(ROOT, file)}` : 'no results in bench/results: run npm run bench first');
}
