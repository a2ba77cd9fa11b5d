/// The console's one page: plain HTML, CSS and a small script, served from the binary (no build step,
/// no external requests). It draws each query as its plan — parts, types, routes, attempts with votes,
/// tools and verdicts — re-reading a query's trace when one of its entries passes on `/events`; the
/// streams with pause and resume; dead letters with replay; nodes and genomes; and a submit box.
enum ConsolePage {
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DELLM console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
 header{background:#1d2330;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
 header b{font-size:16px} #conn{font-size:12px;opacity:.8}
 main{display:grid;grid-template-columns:minmax(260px,1fr) minmax(380px,2fr) minmax(300px,1.3fr);gap:12px;padding:12px}
 section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px;overflow:auto;max-height:80vh}
 h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#5a6372;margin:0 0 8px}
 textarea{width:100%;box-sizing:border-box;height:60px} button{cursor:pointer;margin:2px}
 .q{padding:4px;border-bottom:1px solid #eef0f3;cursor:pointer} .q:hover,.q.sel{background:#eef4ff}
 .st{font-size:11px;padding:1px 5px;border-radius:3px;background:#e6e8ec} .answered{background:#d7f5dd} .failed{background:#fbd9d6} .cancelled{background:#eee2c4} .running{background:#dde8fb}
 .part{border:1px solid #e3e6eb;border-radius:5px;margin:6px 0;padding:6px} .att{margin:4px 0 4px 12px;font-size:13px}
 .pass{color:#137a2c} .fail{color:#b3261e} .unproven{color:#8a6d00} pre{white-space:pre-wrap;margin:4px 0;background:#f3f4f6;padding:4px}
 table{border-collapse:collapse;width:100%;font-size:12px} td,th{border-bottom:1px solid #eef0f3;padding:2px 4px;text-align:left}
 .paused{color:#b3261e;font-weight:bold}
</style></head><body>
<header><b>DELLM</b><span id="conn">connecting…</span><span id="count"></span></header>
<main>
 <section>
  <h2>Ask</h2>
  <textarea id="text" placeholder="Ask a question…"></textarea>
  <input id="user" placeholder="user (console)" size="12"> <button id="submit">Submit</button>
  <h2 style="margin-top:12px">Queries</h2><div id="queries"></div>
 </section>
 <section><h2>Query</h2><div id="trace">Select or submit a query.</div></section>
 <section>
  <h2>Streams</h2><table id="streams"></table>
  <h2 style="margin-top:12px">Dead letters</h2><div id="dead"></div>
  <h2 style="margin-top:12px">Nodes</h2><table id="nodes"></table>
  <h2 style="margin-top:12px">Genomes (fitness per generation)</h2><svg id="fitness" width="280" height="110"></svg><div id="fitlegend" style="font-size:11px"></div>
  <h2 style="margin-top:12px">Ledger</h2><input id="ledgeruser" placeholder="user" size="14"> <button id="ledgershow">Show</button><div id="ledger"></div>
 </section>
</main>
<script>
const T = new URLSearchParams(location.search).get('token') || '';
const withToken = p => p + (p.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(T);
const api = (p, opt) => fetch(withToken(p), opt).then(r => r.json());
const $ = id => document.getElementById(id);
const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
window.dellm = {events: [], latencies: []};
let selected = null, listTimer = null; const pending = new Map();

async function loadQueries() {
  const qs = await api('/api/queries?limit=30');
  $('queries').innerHTML = qs.map(q => `<div class="q ${q.id === selected ? 'sel' : ''}" data-id="${esc(q.id)}">
    <span class="st ${esc(q.status)}">${esc(q.status)}</span> ${esc(q.text.slice(0, 80))}</div>`).join('');
  for (const el of document.querySelectorAll('.q')) el.onclick = () => select(el.dataset.id);
}
async function select(id) { selected = id; await showTrace(id); loadQueries(); }
async function showTrace(id) {
  const t = await api('/api/trace?id=' + encodeURIComponent(id));
  if (!t.parts) { $('trace').textContent = t.error ?? 'not found'; return; } // not recorded yet, or no such query
  const parts = t.parts.map(p => `<div class="part" data-part="${p.index}"><b>[${p.index}] ${esc(p.type)}</b>
    <span class="st ${p.status === 'verified' ? 'answered' : p.status}">${esc(p.status)}</span> ${esc(p.text.slice(0, 140))}
    <div style="font-size:12px;color:#5a6372">${esc(p.route ?? '')}</div>
    ${p.attempts.map(a => `<div class="att">attempt ${a.attempt} · ${esc(a.node)} · ${esc(a.genome ?? '')} ${a.tool ? '· tool ' + esc(a.tool) : ''}
      <span class="verdict ${a.verdict === 'passed' ? (a.verdictReason?.startsWith('unproven') ? 'unproven' : 'pass') : a.verdict ? 'fail' : ''}">
      ${a.verdict ? esc(a.verdict) + ': ' + esc(a.verdictReason ?? '') : 'checking…'}</span>
      <pre>${esc((a.answer ?? a.error ?? '').slice(0, 400))}</pre></div>`).join('')}</div>`).join('');
  $('trace').innerHTML = `<div id="tq" data-id="${esc(t.id)}"><span class="st ${esc(t.status)}" id="tstatus">${esc(t.status)}</span>
    user ${esc(t.user)} · ${esc(t.id)} <button onclick="control('cancel','${esc(t.id)}')">Cancel</button>
    <button onclick="control('retry','${esc(t.id)}')">Retry</button></div><pre>${esc(t.text)}</pre>${parts}
    ${t.answer ? `<h2>Answer</h2><pre id="answer">${esc(t.answer)}</pre>` : ''}${t.error ? `<pre class="fail">${esc(t.error)}</pre>` : ''}`;
}
async function control(what, id) {
  const r = await api(`/api/${what}?id=${encodeURIComponent(id)}`, {method: 'POST'});
  if (r.id) select(r.id); else if (selected) showTrace(selected);
  loadQueries();
}
async function loadStreams() {
  const b = await api('/api/backlog');
  const rows = [];
  for (const s of b.streams) {
    const name = s.name ?? s.stream.replace(/^[^:]+:/, ''); const kind = name.startsWith('tasks:') ? name.split(':')[1] : null;
    const paused = kind && b.paused.includes(kind);
    const g = s.groups[0] || {};
    rows.push(`<tr data-stream="${esc(name)}"><td class="${paused ? 'paused' : ''}">${esc(name)}${paused ? ' (paused)' : ''}</td><td>${s.length}</td>
      <td>${g.pending ?? '-'}</td><td class="lag">${g.lag ?? '-'}</td><td>${g.oldestPendingMilliseconds != null ? Math.round(g.oldestPendingMilliseconds / 1000) + 's' : '-'}</td>
      <td>${kind && !name.endsWith(':bulk') ? `<button class="${paused ? 'resume' : 'pause'}" data-kind="${kind}">${paused ? 'Resume' : 'Pause'}</button>` : ''}</td></tr>`);
  }
  $('streams').innerHTML = '<tr><th>stream</th><th>len</th><th>pending</th><th>lag</th><th>oldest</th><th></th></tr>' + rows.join('');
  for (const el of document.querySelectorAll('#streams button')) el.onclick = async () => {
    await api(`/api/${el.className}?type=${el.dataset.kind}`, {method: 'POST'}); loadStreams(); };
  const dead = await api('/api/dead');
  $('dead').innerHTML = dead.length ? dead.map(d => `<div class="deadletter">${esc(d.stream.replace(/^[^:]+:/, ''))}: ${esc(d.reason.slice(0, 90))}
    ${d.replayable === 'yes' ? `<button class="replay" data-id="${esc(d.id)}">Replay</button>` : ''}</div>`).join('') : 'none';
  for (const el of document.querySelectorAll('.replay')) el.onclick = async () => {
    await api('/api/dead/replay?id=' + encodeURIComponent(el.dataset.id), {method: 'POST'}); loadStreams(); loadQueries(); };
}
async function loadFleet() {
  const nodes = await api('/api/nodes');
  $('nodes').innerHTML = '<tr><th>node</th><th>trust</th><th>verdicts</th><th>uptime</th></tr>' + nodes.map(n =>
    `<tr><td>${esc(n.id)}</td><td>${n.trust.toFixed(3)}</td><td>${n.verified}</td><td>${Math.round(n.uptime * 100)}%</td></tr>`).join('');
  drawFitness(await api('/api/genomes'));  // oldest first
}
// One line per genome (its fitness in each generation that judged it) and the fleet's, dashed.
const palette = ['#3867d6', '#20bf6b', '#eb3b5a', '#f7b731', '#8854d0', '#0fb9b1', '#fa8231', '#4b6584'];
function drawFitness(gens) {
  const judged = gens.filter(g => g.fleetFitness != null || Object.keys(g.fitness || {}).length);
  if (!judged.length) { $('fitlegend').textContent = 'no generation judged yet'; return; }
  const x = i => 10 + i * 260 / Math.max(1, judged.length - 1), y = f => 100 - f * 90;
  const ids = [...new Set(judged.flatMap(g => Object.keys(g.fitness || {})))].sort();
  const line = (pts, color, extra, label) => pts.length ? `<polyline class="fitline" data-genome="${esc(label)}" fill="none"
    stroke="${color}" stroke-width="2" ${extra} points="${pts.join(' ')}"><title>${esc(label)}</title></polyline>` : '';
  const genomeLines = ids.map((id, k) => line(judged.flatMap((g, i) => g.fitness?.[id] != null ? [`${x(i)},${y(g.fitness[id])}`] : []),
    palette[k % palette.length], '', id));
  const fleet = line(judged.flatMap((g, i) => g.fleetFitness != null ? [`${x(i)},${y(g.fleetFitness)}`] : []), '#1d2330', 'stroke-dasharray="4 3"', 'fleet');
  $('fitness').innerHTML = genomeLines.join('') + fleet;
  $('fitlegend').innerHTML = ids.map((id, k) => `<span style="color:${palette[k % palette.length]}">■</span> ${esc(id)}`).join(' ')
    + ` <span>┄ fleet</span> · generations ${judged[0].number}–${judged[judged.length - 1].number}`;
}
function connect() {
  const ws = new WebSocket(withToken((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/events'));
  ws.onopen = () => $('conn').textContent = 'live';
  ws.onclose = () => { $('conn').textContent = 'reconnecting…'; setTimeout(connect, 1000); };
  ws.onmessage = m => {
    const e = JSON.parse(m.data); const now = Date.now();
    window.dellm.events.push(e); window.dellm.latencies.push(now - e.at);
    $('count').textContent = window.dellm.events.length + ' events';
    // The list is re-read at most every 200 ms: a query's own entry arrives before ingest records it,
    // so its parts' entries (and its answer) bring it in.
    if (!listTimer) listTimer = setTimeout(() => { listTimer = null; loadQueries(); }, 200);
    if (e.query && e.query === selected && !pending.has(e.query)) {
      pending.set(e.query, setTimeout(() => { pending.delete(e.query); showTrace(e.query); }, 100));
    }
  };
}
$('submit').onclick = async () => {
  const r = await api('/api/submit', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({query: $('text').value, user: $('user').value})});
  if (r.id) { $('text').value = ''; select(r.id); } else alert(r.error);
};
$('ledgershow').onclick = async () => {
  const l = await api('/api/ledger?user=' + encodeURIComponent($('ledgeruser').value));
  $('ledger').innerHTML = l.error ? esc(l.error) : `<b>${l.balance.toFixed(4)}</b> credits<table>` + l.entries.map(e =>
    `<tr><td>${e.amount > 0 ? '+' : ''}${e.amount.toFixed(4)}</td><td>${esc(e.kind)}</td><td>${esc((e.queryID ?? '').slice(0, 8))}</td></tr>`).join('') + '</table>';
};
connect(); loadQueries(); loadStreams(); loadFleet();
setInterval(loadStreams, 2000); setInterval(loadFleet, 10000);
</script></body></html>
"""#
}
