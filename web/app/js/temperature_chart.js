// A temperature curve as an inline SVG (drawn with DOM calls, no markup parsed): the readings,
// the alarm thresholds as dashed lines, labelled for assistive technology with its range.
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

export function temperatureChart(readings, { low, high, label, width = 640, height = 160 } = {}) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' });
  const values = readings.map((r) => r.celsius);
  const times = readings.map((r) => Date.parse(r.at));
  if (!values.length) {
    svg.setAttribute('aria-label', `${label}: no readings`);
    return svg;
  }
  const bounds = [...values, ...(low !== undefined ? [low] : []), ...(high !== undefined ? [high] : [])];
  const min = Math.min(...bounds) - 2;
  const max = Math.max(...bounds) + 2;
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const x = (t) => 30 + ((t - t0) / (t1 - t0)) * (width - 40);
  const y = (c) => 10 + ((max - c) / (max - min)) * (height - 30);
  svg.setAttribute('aria-label', `${label}: ${values.length} readings from ${Math.min(...values).toFixed(1)} to ${Math.max(...values).toFixed(1)} °C`);
  for (const threshold of [low, high]) {
    if (threshold === undefined) continue;
    svg.append(el('line', { x1: 30, x2: width - 10, y1: y(threshold), y2: y(threshold), class: 'threshold' }));
    const text = el('text', { x: 2, y: y(threshold) + 4, class: 'axis' });
    text.textContent = String(threshold);
    svg.append(text);
  }
  svg.append(el('polyline', {
    class: 'curve', fill: 'none',
    points: readings.map((r, i) => `${x(times[i]).toFixed(1)},${y(values[i]).toFixed(1)}`).join(' '),
  }));
  return svg;
}
