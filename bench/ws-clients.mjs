// Opens N WebSocket clients on the dashboard and measures end-to-end delay: arrival here minus the
// event's occurredAt. The first client measures every event; the others only the oldest event of
// each frame (the worst of it), reading just the bytes around its "occurredAt", so that one
// process can play 500 browsers.
// Usage: node bench/ws-clients.mjs <ws-url> <clients> <seconds>   (prints one JSON object)
import { WebSocket } from 'ws';

const [url, clientCount = '1', seconds = '20'] = process.argv.slice(2);
const MARK = Buffer.from('"occurredAt":"');
const perClient = [];
let opened = 0;

function percentile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
}

for (let i = 0; i < Number(clientCount); i += 1) {
  const delays = [];
  const state = { delays, frames: 0, closed: false };
  perClient.push(state);
  const socket = new WebSocket(url);
  socket.on('open', () => (opened += 1));
  socket.on('message', (data) => {
    const now = Date.now();
    state.frames += 1;
    if (state.frames === 1) return; // the snapshot: old events by definition
    const delayAt = (at) => now - Date.parse(data.toString('latin1', at + MARK.length, at + MARK.length + 24));
    if (i === 0) {
      for (let at = data.indexOf(MARK); at >= 0; at = data.indexOf(MARK, at + 1)) delays.push(delayAt(at));
    } else {
      const at = data.lastIndexOf(MARK);
      if (at >= 0) delays.push(delayAt(at));
    }
  });
  socket.on('close', () => (state.closed = true));
  socket.on('error', () => (state.closed = true));
}

setTimeout(
  () => {
    const summaries = perClient.map(({ delays, frames, closed }) => {
      const sorted = delays.slice().sort((a, b) => a - b);
      return { frames, closed, samples: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
    });
    // Every event of the first client: the delay of events, not of frames.
    const all = perClient[0].delays.slice().sort((a, b) => a - b);
    const slowest = summaries.reduce((worst, s) => (s.p99 > worst.p99 ? s : worst), summaries[0]);
    console.log(
      JSON.stringify({
        clients: summaries.length,
        opened,
        dropped: summaries.filter((s) => s.closed).length,
        frames: summaries.reduce((sum, s) => sum + s.frames, 0),
        p50: percentile(all, 0.5),
        p99: percentile(all, 0.99),
        slowestP50: slowest.p50,
        slowestP99: slowest.p99,
      }),
    );
    process.exit(0);
  },
  Number(seconds) * 1000,
);
