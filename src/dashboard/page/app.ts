// The dashboard page. Every value that comes from an event is put in the page as text
// (textContent), never as HTML: product ids and origins are written by whoever writes to Kafka.
'use strict';

(() => {
  const TYPES = ['price', 'discount', 'country'];
  const COLORS = { price: '#4fb0ff', discount: '#f5b342', country: '#6fd08c' };
  const KEPT_EVENTS = 500;
  const SHOWN_EVENTS = 200;
  const KEPT_PRODUCTS = 5000;
  const SHOWN_PRODUCTS = 100;
  const SERIES_SECONDS = 300;

  const $ = (id) => document.getElementById(id);
  const state = {
    events: [],
    products: new Map(),
    seq: 0,
    counters: null,
    delay: null,
    sites: [],
    broker: null,
    malformed: { total: 0 },
    productCount: 0,
    series: { x: [], price: [], discount: [], country: [] },
    clockSkew: 0,
    socket: 'connecting',
    retryAt: 0,
    paused: false,
    pausedAtSeq: 0,
  };
  const filters = { type: '', product: '', origin: '' };

  // ---- formatting -------------------------------------------------------------------------
  const number = new Intl.NumberFormat('en-US');
  const formatAmount = (value) => {
    const text = String(value);
    const decimals = text.includes('.') ? text.split('.')[1].length : 0;
    return decimals >= 2 || text.includes('e') ? text : value.toFixed(2);
  };
  const changeOf = (event) =>
    event.type === 'price'
      ? `${formatAmount(event.price)} ${event.currency}`
      : event.type === 'discount'
        ? `${event.discount}%`
        : event.country;
  const age = (ms) => {
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 60) return `${seconds}s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
    return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  };
  const millis = (ms) => (Math.abs(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
  const delayText = (delay) => {
    if (!delay || delay.samples === 0) return '–';
    const { p50Ms, p99Ms } = delay;
    return Math.abs(p99Ms) < 1000
      ? `${Math.round(p50Ms)} / ${Math.round(p99Ms)} ms`
      : `${millis(p50Ms)} / ${millis(p99Ms)}`;
  };
  const serverNow = () => Date.now() + state.clockSkew;

  const cell = (text, className) => {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  };
  const badge = (type) => {
    const td = document.createElement('td');
    const span = document.createElement('span');
    span.className = `badge ${TYPES.includes(type) ? type : ''}`;
    span.textContent = type;
    td.append(span);
    return td;
  };

  // ---- the live socket ----------------------------------------------------------------------
  let attempts = 0;
  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/live`);
    state.socket = 'connecting';
    socket.addEventListener('open', () => {
      attempts = 0;
      state.socket = 'open';
      schedule();
    });
    socket.addEventListener('message', (message) => {
      try {
        apply(JSON.parse(message.data));
      } catch (error) {
        console.error('pix: bad frame', error);
      }
    });
    socket.addEventListener('close', () => {
      attempts += 1;
      const wait = Math.min(10_000, 500 * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
      state.socket = 'closed';
      state.retryAt = Date.now() + wait;
      schedule();
      setTimeout(connect, wait);
    });
  }

  function apply(frame) {
    state.clockSkew = frame.serverTime - Date.now();
    state.counters = frame.counters;
    state.delay = frame.delay;
    state.broker = frame.connection;
    state.malformed = frame.malformed;
    state.productCount = frame.productCount;
    state.sites = frame.sites ?? [];
    if (frame.kind === 'snapshot' || frame.reset) {
      state.events = [];
      state.products.clear();
      state.seq = 0;
      if (state.paused) state.pausedAtSeq = 0;
    }
    if (frame.kind === 'snapshot') {
      const { endSecond, byType } = frame.series;
      const length = byType.price.length;
      state.series.x = Array.from({ length }, (_, i) => endSecond - length + 1 + i);
      for (const type of TYPES) state.series[type] = byType[type].slice();
    }
    const fresh = frame.events.filter((event) => event.seq > state.seq);
    if (fresh.length > 0) state.events = fresh.concat(state.events).slice(0, KEPT_EVENTS);
    state.seq = Math.max(state.seq, frame.seq);
    // Oldest first, so that the newest ends last in the map's order.
    if (frame.kind === 'snapshot') {
      for (const product of frame.products.slice().reverse()) state.products.set(product.productId, product);
    } else {
      for (const live of fresh.slice().reverse()) mergeProduct(live.event);
    }
    while (state.products.size > KEPT_PRODUCTS) state.products.delete(state.products.keys().next().value);
    if (frame.second) addSecond(frame.second);
    schedule();
  }

  /** A product's state as the latest event of each type left it, as the server's model keeps it. */
  function mergeProduct(event) {
    const previous = state.products.get(event.productId);
    const product = {
      ...previous,
      productId: event.productId,
      updatedAt: event.occurredAt,
      origin: event.origin,
      lastType: event.type,
    };
    if (event.type === 'price') {
      product.price = event.price;
      product.currency = event.currency;
    } else if (event.type === 'discount') {
      product.discount = event.discount;
    } else {
      product.country = event.country;
    }
    state.products.delete(event.productId);
    state.products.set(event.productId, product);
  }

  function addSecond({ at, byType }) {
    const { series } = state;
    const last = series.x[series.x.length - 1];
    if (last !== undefined && at <= last) return;
    // A gap (the socket was away) shows as seconds with nothing, not as a jump.
    for (let second = last === undefined ? at : last + 1; second <= at; second += 1) {
      series.x.push(second);
      for (const type of TYPES) series[type].push(second === at ? byType[type] : 0);
    }
    const extra = series.x.length - SERIES_SECONDS;
    if (extra > 0) for (const key of ['x', ...TYPES]) series[key].splice(0, extra);
  }

  // ---- drawing --------------------------------------------------------------------------------
  let drawPending = false;
  function schedule() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      draw();
    });
  }

  function draw() {
    drawConnection();
    drawFigures();
    drawChart();
    if (state.paused) {
      const waiting = state.seq - state.pausedAtSeq;
      $('paused-info').textContent = `paused · ${number.format(waiting)} new event${waiting === 1 ? '' : 's'} since`;
      return;
    }
    drawEvents();
    drawProducts();
  }

  function drawConnection() {
    const box = $('connection');
    let text;
    let shown;
    if (state.socket !== 'open') {
      shown = 'offline';
      const wait = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
      text = state.socket === 'connecting' ? 'connecting to pix…' : `pix is unreachable, retrying in ${wait}s`;
    } else if (!state.broker) {
      shown = 'connecting';
      text = 'connecting…';
    } else {
      shown = state.broker.state;
      text = {
        connecting: 'connecting to Kafka…',
        connected: 'live',
        reconnecting: 'reconnecting to Kafka…',
        unreachable: 'Kafka unreachable',
        'topics-missing': 'topics missing (pix topics create makes them)',
      }[state.broker.state];
      if (state.broker.detail && state.broker.state !== 'connected') text += `: ${state.broker.detail}`;
    }
    box.dataset.state = shown;
    $('connection-text').textContent = text;
  }

  function drawFigures() {
    const counters = state.counters;
    if (!counters) return;
    $('count-total').textContent = number.format(counters.total);
    for (const type of TYPES) $(`count-${type}`).textContent = number.format(counters.byType[type]);
    $('rate-total').textContent = number.format(Math.round(counters.rate.total * 10) / 10);
    $('count-malformed').textContent = number.format(state.malformed.total);
    $('count-products').textContent = number.format(state.productCount);
    $('delay').textContent = delayText(state.delay);
    const origins = Object.entries(counters.byOrigin).sort((a, b) => b[1] - a[1]);
    $('origins').textContent = origins.length
      ? 'by origin: ' +
        origins
          .map(
            ([name, count]) => `${name} ${number.format(count)} (${(counters.rate.byOrigin[name] ?? 0).toFixed(1)}/s)`,
          )
          .join(' · ')
      : '';
    syncOriginOptions(origins.map(([name]) => name));
    drawSites();
    const latest = state.malformed.latest;
    $('malformed-latest').textContent = latest
      ? `latest malformed message: ${latest.topic}[${latest.partition}]@${latest.offset}: ` +
        latest.issues.map((issue) => `${issue.field}: ${issue.rule}`).join('; ')
      : '';
  }

  /** One row per other site: names come from topic names, so text only, never markup. */
  function drawSites() {
    const sites = state.sites ?? [];
    $('sites').hidden = sites.length === 0;
    const now = serverNow();
    $('site-rows').replaceChildren(
      ...sites.map((site) => {
        const row = document.createElement('tr');
        row.dataset.site = site.site;
        row.dataset.alive = String(site.mirrorAlive);
        const heartbeat =
          site.lastHeartbeatAt === undefined
            ? '–'
            : `${site.mirrorAlive ? 'alive' : 'silent'}, heartbeat ${age(now - site.lastHeartbeatAt)} ago`;
        for (const text of [
          site.site,
          number.format(site.total),
          site.rate.toFixed(1),
          delayText(site.delay),
          site.lastEventAt ? `${age(now - site.lastEventAt)} ago` : '–',
          heartbeat,
        ]) {
          const cell = document.createElement('td');
          cell.textContent = text;
          row.append(cell);
        }
        return row;
      }),
    );
  }

  function syncOriginOptions(origins) {
    const select = $('filter-origin');
    const known = new Set([...select.options].map((option) => option.value));
    for (const origin of origins.slice(0, 50)) {
      if (known.has(origin)) continue;
      const option = document.createElement('option');
      option.value = origin;
      option.textContent = origin;
      select.append(option);
    }
  }

  const shown = (event) =>
    (!filters.type || event.type === filters.type) &&
    (!filters.origin || event.origin === filters.origin) &&
    (!filters.product || event.productId.toLowerCase().includes(filters.product));

  function drawEvents() {
    const now = serverNow();
    const rows = [];
    for (const live of state.events) {
      if (rows.length >= SHOWN_EVENTS) break;
      const { event } = live;
      if (!shown(event)) continue;
      const row = document.createElement('tr');
      row.dataset.type = event.type;
      row.append(
        cell(age(now - live.receivedAt), 'age'),
        badge(event.type),
        cell(event.productId, 'product'),
        cell(changeOf(event), 'change'),
        cell(event.origin, 'origin'),
      );
      rows.push(row);
    }
    document.querySelector('#events tbody').replaceChildren(...rows);
  }

  function drawProducts() {
    const now = serverNow();
    const rows = [];
    const all = [...state.products.values()];
    for (let i = all.length - 1; i >= 0 && rows.length < SHOWN_PRODUCTS; i -= 1) {
      const product = all[i];
      if (filters.origin && product.origin !== filters.origin) continue;
      if (filters.product && !product.productId.toLowerCase().includes(filters.product)) continue;
      if (filters.type && product.lastType !== filters.type) continue;
      const row = document.createElement('tr');
      row.append(
        cell(product.productId, 'product'),
        cell(product.price === undefined ? '' : `${formatAmount(product.price)} ${product.currency}`),
        cell(product.discount === undefined ? '' : `${product.discount}%`),
        cell(product.country ?? ''),
        cell(product.origin),
        cell(`${age(now - Date.parse(product.updatedAt))} ago`),
      );
      rows.push(row);
    }
    document.querySelector('#products tbody').replaceChildren(...rows);
  }

  // ---- the chart ------------------------------------------------------------------------------
  let chart;
  function drawChart() {
    if (typeof uPlot === 'undefined') return;
    const data = [state.series.x, ...TYPES.map((type) => state.series[type])];
    if (!chart) {
      chart = new uPlot(
        {
          width: $('chart').clientWidth || 800,
          height: 180,
          scales: { x: { time: true } },
          axes: [
            { stroke: '#8a99a8', grid: { stroke: '#24303b' } },
            { stroke: '#8a99a8', grid: { stroke: '#24303b' } },
          ],
          series: [
            {},
            ...TYPES.map((type) => ({ label: type, stroke: COLORS[type], width: 1.5, points: { show: false } })),
          ],
        },
        data,
        $('chart'),
      );
      window.addEventListener('resize', () => chart.setSize({ width: $('chart').clientWidth, height: 180 }));
    } else {
      chart.setData(data);
    }
  }

  // ---- controls -------------------------------------------------------------------------------
  $('filter-type').addEventListener('change', (e) => {
    filters.type = e.target.value;
    if (chart) TYPES.forEach((type, i) => chart.setSeries(i + 1, { show: !filters.type || filters.type === type }));
    draw();
  });
  $('filter-product').addEventListener('input', (e) => {
    filters.product = e.target.value.trim().toLowerCase();
    draw();
  });
  $('filter-origin').addEventListener('change', (e) => {
    filters.origin = e.target.value;
    draw();
  });
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('pause').addEventListener('click', () => {
    state.paused = !state.paused;
    state.pausedAtSeq = state.seq;
    const button = $('pause');
    button.textContent = state.paused ? 'Resume' : 'Pause';
    button.setAttribute('aria-pressed', String(state.paused));
    $('paused-info').hidden = !state.paused;
    draw();
  });

  // Ages and the retry countdown move even when nothing arrives.
  setInterval(schedule, 1000);
  connect();
})();
