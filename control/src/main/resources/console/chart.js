// The progress chart: one horizontal bar per device state, drawn as SVG (no chart library; CSS colours the bars).
import {h} from './dom.js';

export const STATES = ['TO_BE_UPGRADED', 'DOWNLOADING', 'DOWNLOADED', 'UPGRADING', 'SUCCEEDED', 'FAILED'];

export function stateChart(counts, total) {
  const states = [...STATES, ...Object.keys(counts).filter(s => !STATES.includes(s))];
  const rowHeight = 24;
  const labelWidth = 150;
  const barWidth = 400;
  const scale = Math.max(total, ...Object.values(counts), 1);
  return h('svg', {id: 'progress-chart', viewBox: `0 0 ${labelWidth + barWidth + 60} ${states.length * rowHeight}`,
    role: 'img', 'aria-label': 'devices per state'},
  states.map((state, i) => {
    const count = counts[state] || 0;
    const y = i * rowHeight;
    return h('g', {class: `bar bar-${state}`, 'data-state': state, 'data-count': count},
      h('title', {text: `${state}: ${count}`}),
      h('text', {x: 0, y: y + 16, text: state}),
      h('rect', {x: labelWidth, y: y + 4, height: rowHeight - 8, width: Math.round(barWidth * count / scale)}),
      h('text', {x: labelWidth + Math.round(barWidth * count / scale) + 6, y: y + 16, text: count}));
  }));
}
