// The dashboard's plots: each node's events/s, connections and delivery p99 over the activity window,
// one line per node, drawn with uPlot (served from its webjar).
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { $ } from './dom.js';

const MEASURES = [
  { key: 'events_per_second', title: 'Events delivered per second', id: 'plot-events' },
  { key: 'connections', title: 'Open connections', id: 'plot-connections' },
  { key: 'delivery_p99_ms', title: 'Delivery p99 (ms)', id: 'plot-p99' },
];
const COLORS = ['#2f6fde', '#d9822b', '#2a9d5c', '#b03ac4', '#c23b3b', '#5b6572'];
const HEIGHT = 180;

// by container id: the chart and the nodes it was made for (a new node makes a new chart)
const charts = new Map();

function options(measure, nodes, width) {
  return {
    title: measure.title,
    width,
    height: HEIGHT,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    series: [{}, ...nodes.map((node, i) => ({
      label: node.node_id + (node.self ? ' (this one)' : ''),
      stroke: COLORS[i % COLORS.length],
      width: 2,
      points: { show: true, size: 4 },
    }))],
    axes: [{}, { size: 60 }],
  };
}

/** Draws the activity of every node, as GET /api/admin/activity gives it. */
export function drawActivity(activity) {
  const nodes = activity.nodes;
  const names = nodes.map((node) => node.node_id).join(' ');
  for (const measure of MEASURES) {
    const container = $(measure.id);
    // uPlot.join aligns the nodes' samples on one time axis, leaving gaps where a node has none
    const data = nodes.length === 0 ? [[]]
      : uPlot.join(nodes.map((node) => [node.time_ms.map((ms) => ms / 1000), node[measure.key]]));
    let chart = charts.get(measure.id);
    if (!chart || chart.names !== names) {
      if (chart) chart.plot.destroy();
      const width = Math.max(300, container.clientWidth || 600);
      chart = { names, plot: new uPlot(options(measure, nodes, width), data, container) };
      charts.set(measure.id, chart);
    } else {
      chart.plot.setData(data);
    }
    // what is drawn, for people reading the page source and for the browser tests
    container.dataset.nodes = names;
    container.dataset.points = nodes.map((node) => node[measure.key].filter((v) => v !== null).length).join(' ');
  }
  $('activity-interval').textContent = String(Math.round(activity.sample_interval_ms / 1000));
  $('activity-window').textContent = String(Math.round(activity.window_ms / 60000));
}
