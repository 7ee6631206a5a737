// The dashboard page: polls /api/state every 2 s and redraws the graph, tables and uPlot charts without a reload.
(function () {
  'use strict';
  const charts = {};
  window.lrCharts = charts;
  let selectedRanker = null;

  const fmt = (v, d = 1) => v == null || isNaN(v) ? '' : Number(v).toFixed(d);
  const esc = s => String(s == null ? '' : s).replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  const time = t => new Date(t * 1000).toLocaleTimeString();
  const seconds = (v, exact) => (exact === false ? '~' : '') + fmt(v, 1) + ' s';
  const catchUp = v => v == null ? '' : v === -1 ? 'falling behind' : v === -2 ? 'keeping up' : v === 0 ? 'caught up' :
    fmt(v, 0) + ' s';

  function table(id, head, rows) {
    document.getElementById(id).innerHTML = '<tr>' + head.map(h => '<th>' + esc(h) + '</th>').join('') + '</tr>' +
      rows.map(r => '<tr>' + r.map(c => '<td' + (c && c.cls ? ' class="' + c.cls + '"' : '') + '>' +
        (c && c.html !== undefined ? c.html : esc(c)) + '</td>').join('') + '</tr>').join('');
  }

  function drawGraph(graph) {
    const svg = document.getElementById('graph');
    const nodes = {};
    graph.nodes.forEach(n => nodes[n.id] = n);
    let extraY = 40;
    graph.edges.forEach(e => [e.from, e.to].forEach(id => {
      if (!nodes[id]) { nodes[id] = {id: id, label: id, kind: 'service', x: 960, y: extraY}; extraY += 40; }
    }));
    let out = '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" ' +
      'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#777"/></marker></defs>';
    let labels = '';
    graph.edges.forEach(e => {
      const a = nodes[e.from], b = nodes[e.to];
      const status = e.group ? (e.status || 'ABSENT') : '';
      // Produce labels sit nearer their service, so a topic read and written by one service keeps both readable.
      const f = e.kind === 'produce' ? 0.3 : 0.5;
      const mx = a.x + f * (b.x - a.x), my = a.y + f * (b.y - a.y) + (a.y === b.y ? -20 : 0);
      let lines;
      if (e.group && e.lag !== undefined) {
        lines = [e.lag + ' rec · ' + seconds(e.lagSeconds, e.exact), status];
      } else if (e.group) {
        lines = ['no group yet'];
      } else {
        lines = [fmt(e.produceRate, 1) + '/s'];
      }
      out += '<g class="edge ' + e.kind + ' ' + status + '" data-group="' + esc(e.group || '') + '" data-topic="' +
        esc(e.topic) + '"><line x1="' + a.x + '" y1="' + a.y + '" x2="' + b.x + '" y2="' + b.y +
        '" marker-end="url(#arrow)"/></g>';
      // Labels are drawn after the nodes, so no node covers them; the text carries the edge's data for tests.
      labels += '<g class="edge-label ' + status + '" data-group="' + esc(e.group || '') + '" data-topic="' +
        esc(e.topic) + '"><text x="' + mx + '" y="' + (my - 4) + '">' + lines.map((l, i) =>
        '<tspan x="' + mx + '" dy="' + (i === 0 ? 0 : 13) + '">' + esc(l) + '</tspan>').join('') + '</text></g>';
    });
    Object.values(nodes).forEach(n => {
      const w = Math.max(90, n.label.length * 7.5 + 16);
      out += '<g class="node ' + n.kind + '" data-node="' + esc(n.id) + '"><rect x="' + (n.x - w / 2) + '" y="' +
        (n.y - 14) + '" width="' + w + '" height="28" rx="6"/><text x="' + n.x + '" y="' + n.y + '">' +
        esc(n.label) + '</text></g>';
    });
    out += labels;
    svg.innerHTML = out;
  }

  function markersPlugin(getMarkers) {
    const colors = {release: '#1a7f37', rejected: '#d97706', rollback: '#b91c1c', retired: '#6b7280'};
    return {hooks: {draw: u => {
      const ctx = u.ctx;
      const [min, max] = [u.scales.x.min, u.scales.x.max];
      getMarkers().forEach(m => {
        if (m.t < min || m.t > max) return;
        const x = Math.round(u.valToPos(m.t, 'x', true));
        ctx.save();
        ctx.strokeStyle = colors[m.kind] || '#333';
        ctx.lineWidth = 2;
        ctx.setLineDash([5, 3]);
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
        ctx.fillStyle = colors[m.kind] || '#333';
        ctx.font = '11px sans-serif';
        ctx.fillText(m.label, x + 4, u.bbox.top + 12);
        ctx.restore();
      });
    }}};
  }

  const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563'];
  let markers = [];

  function plot(id, names, data, yLabel) {
    const el = document.getElementById(id);
    const key = names.join('|');
    const width = Math.max(300, el.clientWidth || 560);
    if (!charts[id] || charts[id].key !== key) {
      if (charts[id]) charts[id].plot.destroy();
      const series = [{}].concat(names.map((n, i) => ({label: n, stroke: palette[i % palette.length], width: 2,
        spanGaps: true})));
      const plot = new uPlot({width: width, height: 240, series: series, scales: {x: {time: true}},
        axes: [{}, {label: yLabel}], plugins: [markersPlugin(() => markers)]}, data, el);
      charts[id] = {plot: plot, key: key, updates: 0};
    } else {
      charts[id].plot.setData(data);
    }
    charts[id].updates++;
    el.dataset.points = data[0].length;
    el.dataset.updates = charts[id].updates;
  }

  function render(s) {
    document.getElementById('cluster').textContent = s.cluster ? 'cluster ' + s.cluster : '';
    document.getElementById('updated').textContent = 'updated ' + new Date(s.at).toLocaleTimeString();
    document.getElementById('window').textContent = fmt(s.windowSeconds, 0);
    document.getElementById('timelag-note').textContent = 'Time lag is ' + s.timeLag + '.';
    const err = document.getElementById('error');
    err.hidden = !s.error;
    err.textContent = s.error || '';
    document.getElementById('summary').textContent = s.answers + ' answers, ' + s.labeledAnswers + ' labeled';
    markers = s.markers || [];
    if (s.graph) drawGraph(s.graph);

    const rows = [];
    (s.groups || []).forEach(g => g.topics.forEach(t => rows.push([g.group, g.state, g.members, t.topic, t.sumLag,
      {html: esc(seconds(t.maxLagSeconds, t.exactSeconds)), cls: 'lag-seconds'}, fmt(t.consumeRate, 1),
      fmt(t.produceRate, 1), catchUp(t.catchUpSeconds), {html: t.status, cls: 'status-' + t.status}])));
    table('groups', ['group', 'state', 'members', 'topic', 'lag', 'time lag', 'consume/s', 'produce/s', 'catch-up',
      'status'], rows);

    const h = s.history;
    const edgeKeys = Object.keys(h.lagSeconds);
    plot('chart-lag', edgeKeys, [h.t].concat(edgeKeys.map(k => h.lagSeconds[k])), 'seconds');
    const services = {'generator': 'lr.candidates', 'ranker': 'lr.answers', 'labeler': 'lr.training-examples',
      'trainer': 'lr.training-runs'};
    const svc = Object.keys(services).filter(k => h.produceRates[services[k]]);
    plot('chart-throughput', svc.map(k => k + ' → ' + services[k]),
      [h.t].concat(svc.map(k => h.produceRates[services[k]])), 'records/s');

    const rankers = Object.keys(s.quality);
    const select = document.getElementById('ranker-select');
    if (select.options.length !== rankers.length) {
      select.innerHTML = rankers.map(r => '<option>' + esc(r) + '</option>').join('');
      select.onchange = () => { selectedRanker = select.value; };
    }
    if (!selectedRanker || !s.quality[selectedRanker]) selectedRanker = rankers[0];
    if (selectedRanker) {
      select.value = selectedRanker;
      const q = s.quality[selectedRanker];
      const names = ['served', 'first_sample', 'majority_vote', 'mean_logprob', 'oracle'];
      plot('chart-quality', names, [q.t].concat(names.map(n => q[n])), 'accuracy');
    }

    table('accuracy', ['rankerId', 'served', 'first sample', 'majority vote', 'mean log-prob', 'oracle'],
      Object.entries(s.accuracy).map(([r, a]) => [r, fmt(a.served, 3), fmt(a.first_sample, 3),
        fmt(a.majority_vote, 3), fmt(a.mean_logprob, 3), fmt(a.oracle, 3)]));
    table('latency', ['prompt to answer', 'ms'], Object.entries(s.latency).map(([q, v]) =>
      [q.startsWith('ranker') ? 'ranker only p50' : 'p' + (Number(q) * 100), fmt(v, 0)]));
    const rt = Object.entries(s.retrain).filter(([k, v]) => typeof v === 'object');
    table('retrain', ['rankerId', 'requests toward next run', 'runs', 'last run', 'next run (ETA)'], rt.map(([r, v]) =>
      [r, v.examplesSinceLastRun + ' / ' + v.trigger, v.runs, v.lastRunAt ? time(v.lastRunAt) + ' ' + v.lastDecision : 'none yet',
        v.etaSeconds !== undefined ? fmt(v.etaSeconds, 0) + ' s' : 'when traffic comes']));
    table('versions', ['rankerId', 'active', 'kept for rollback', 'releases'], s.versions.map(v => [v.rankerId,
      v.active == null ? 'fallback' : 'v' + v.active, v.kept.map(k => 'v' + k).join(', '),
      {html: v.releases.map(r => esc((r.version < 0 ? 'retired' : 'v' + r.version + (r.rollbackOf != null ?
        ' (rollback)' : '')) + ' at ' + time(r.publishedAt / 1000) + metricsText(r.metrics))).join('<br>')}]));
    table('runs', ['finished', 'rankerId', 'version', 'decision', 'train/held-out', 'held-out vs champion', 'reason'],
      s.runs.map(r => [time(r.finishedAt / 1000), r.rankerId, 'v' + r.candidateVersion,
        {html: esc(r.decision), cls: r.decision === 'PUBLISHED' ? 'status-OK' : 'status-WARN'},
        r.trainGroups + '/' + r.holdoutGroups, metricsText(r.metrics) + ' vs' + metricsText(r.championMetrics),
        r.reason]));
    table('dead', ['service / topic / reason', 'count'], s.deadLetters.map(d => [d.reason, d.count]));
  }

  function metricsText(m) {
    return m ? ' ' + Object.entries(m).slice(0, 4).map(([k, v]) => k + ' ' + fmt(v, 3)).join(', ') : '';
  }

  async function poll() {
    try {
      const response = await fetch('/api/state', {cache: 'no-store'});
      render(await response.json());
    } catch (e) {
      const err = document.getElementById('error');
      err.hidden = false;
      err.textContent = 'dashboard unreachable: ' + e;
    }
    setTimeout(poll, 2000);
  }
  poll();
})();
