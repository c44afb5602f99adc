// leakhound HTML report: draws the JSON of the element with id "data" (written by report/html_writer.cc).
// Everything from the input (function names, paths, labels, wait reasons) is untrusted: it only ever reaches the page
// through textContent, text nodes and setAttribute of plain attributes, never through an HTML parser.
// Kinds: "analyze" (cards, bucket table, icicle graph), "diff" (growth per bucket, totals chart, icicle graph of the
// last snapshot coloured by growth), "watch" (trend charts of samples, then the latest snapshot as in analyze).
(function () {
  'use strict';
  performance.mark('leakhound-start');

  const data = JSON.parse(document.getElementById('data').textContent);
  const S = data.strings;
  const VERDICTS = ['definite', 'suspect', 'benign', 'active'];
  const PAGE = 200;   // table rows added per "show more"
  const ROW = 18;     // icicle row height
  const app = document.getElementById('app');
  const tip = document.getElementById('tooltip');
  const SVGNS = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#d1495b', '#edae49', '#00798c', '#8f6ab8', '#66a182', '#e07a5f', '#3d5a80', '#a0522d'];

  // ---- helpers: DOM construction without markup ----
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = String(v);
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  }
  const fmt = (n) => Number(n).toLocaleString('en-US');
  const signed = (n) => (n > 0 ? '+' : n < 0 ? '−' : '±') + fmt(Math.abs(n));
  const pct = (a, b) => (b ? (100 * a / b).toFixed(a * 1000 < b ? 2 : 1) + '%' : '–');
  function shortFn(fn) {
    let cut = fn.length;
    for (const c of ['(', '[']) { const i = fn.indexOf(c); if (i >= 0 && i < cut) cut = i; }
    return fn.slice(fn.lastIndexOf('/', cut) + 1);
  }
  const base = (path) => path.slice(path.lastIndexOf('/') + 1);
  function hash(s) {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
    return h >>> 0;
  }
  function isDark() {
    const t = document.documentElement.dataset.theme;
    if (t) return t === 'dark';
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  }
  function site(triple) {  // [function, file, line] as string indexes
    return triple ? { fn: S[triple[0]], file: S[triple[1]], line: triple[2], inlined: triple.length > 3 } : null;
  }
  function siteNode(s) {
    if (!s) return el('span', { class: 'muted', text: '–' });
    return el('span', { title: s.fn + '\n' + s.file + ':' + s.line }, shortFn(s.fn) + ' ',
              el('span', { class: 'file', text: base(s.file) + ':' + s.line }));
  }

  // ---- buckets ----
  const buckets = (data.buckets || []).map((b, i) => {
    const frames = b.frames.map(site);
    const x = Object.assign({}, b, { rank: i + 1, frames: frames, blockSite: b.block >= 0 ? frames[b.block] : null,
                                     createdSite: site(b.created) });
    const parts = [b.state, b.labels || ''];
    for (const f of frames) parts.push(f.fn, f.file);
    if (x.createdSite) parts.push(x.createdSite.fn, x.createdSite.file);
    x.hay = parts.join('\n').toLowerCase();
    x.vorder = VERDICTS.indexOf(b.verdict);
    return x;
  });

  // ---- header, cards, footer ----
  function header(title, inputs) {
    document.title = title + (inputs.length ? ': ' + inputs.join(', ') : '');
    const theme = el('button', { id: 'theme', type: 'button', title: 'Switch between light and dark',
                                 onclick: () => {
                                   document.documentElement.dataset.theme = isDark() ? 'light' : 'dark';
                                   for (const f of redraws) f();
                                 } }, 'Light / dark');
    return el('header', { class: 'top' }, el('h1', { text: title }),
              el('span', { class: 'inputs', text: inputs.join(' · ') }), theme);
  }
  function card(label, value, cls, sub) {
    return el('div', { class: 'card' + (cls ? ' ' + cls : ''), 'data-card': label },
              el('div', { class: 'value', text: value }), el('div', { class: 'label', text: label }),
              sub ? el('div', { class: 'muted', text: sub }) : null);
  }
  function sourceList(items) {
    const ul = el('ul', { class: 'sources' });
    for (const s of items) {
      const li = el('li', null, s.name + ' — ' + s.format + ', ' + fmt(s.goroutines) + ' goroutines' +
                                 (s.minute !== undefined && s.minute !== null ? ' at +' + Math.round(s.minute) + ' min' : ''));
      if (s.diagnostics && s.diagnostics.length) {
        li.append(el('span', { class: 'diag', text: ' (' + s.diagnostics.length + ' input problems; first: line ' +
                                              s.diagnostics[0].line + ': ' + s.diagnostics[0].message + ')' }));
      }
      ul.append(li);
    }
    return ul;
  }
  function goroutinesBy(verdict) {
    let n = 0;
    for (const b of buckets) if (b.verdict === verdict) n += b.count;
    return n;
  }
  function verdictCards(sum) {
    return VERDICTS.map((v) => card(v, fmt(sum[v]), v, fmt(goroutinesBy(v)) + ' goroutines'));
  }
  function footer() {
    return el('footer', null, 'leakhound ' + (data.version || '') + ' · generated ' + data.generated +
              ' · similarity ' + data.similarity + ' · self-contained: nothing is loaded from the network');
  }

  // ---- bucket table ----
  function verdictBadge(v) { return el('span', { class: 'badge ' + v, text: v }); }
  function sparkline(counts) {
    const w = 70, h = 18, max = Math.max(1, ...counts);
    const s = svg('svg', { class: 'spark', width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, 'aria-hidden': 'true' });
    const pts = counts.map((c, i) => [counts.length === 1 ? w / 2 : 2 + i * (w - 4) / (counts.length - 1),
                                      h - 2 - (h - 4) * c / max]);
    s.append(svg('polyline', { points: pts.map((p) => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ') }));
    const last = pts[pts.length - 1];
    s.append(svg('circle', { cx: last[0].toFixed(1), cy: last[1].toFixed(1), r: 2 }));
    return s;
  }
  function waitText(b) {
    if (!b.wait) return '';
    return b.wait[0] === b.wait[1] ? b.wait[0] + 'm' : b.wait[0] + '–' + b.wait[1] + 'm';
  }
  const COMMON_TAIL = [
    { key: 'verdict', label: 'Verdict', get: (b) => b.vorder * 1000 - b.score, cell: (b) => verdictBadge(b.verdict), asc: true },
    { key: 'score', label: 'Score', num: true, get: (b) => b.score, cell: (b) => String(b.score) },
    { key: 'state', label: 'State', get: (b) => b.state, cell: (b) => b.state || '?' },
    { key: 'wait', label: 'Wait', num: true, get: (b) => (b.wait ? b.wait[1] : -1), cell: waitText },
    { key: 'block', label: 'Blocked at', site: true, get: (b) => (b.blockSite ? shortFn(b.blockSite.fn) : ''), cell: (b) => siteNode(b.blockSite) },
    { key: 'created', label: 'Created by', site: true, get: (b) => (b.createdSite ? shortFn(b.createdSite.fn) : ''), cell: (b) => siteNode(b.createdSite) },
  ];
  const ANALYZE_COLUMNS = [
    { key: 'rank', label: '#', num: true, get: (b) => b.rank, cell: (b) => String(b.rank), asc: true },
    { key: 'count', label: 'Count', num: true, get: (b) => b.count, cell: (b) => fmt(b.count) },
  ].concat(COMMON_TAIL);
  const DIFF_COLUMNS = [
    { key: 'growth', label: 'Growth', num: true, get: (b) => b.growth,
      cell: (b) => el('span', { class: b.growth > 0 ? 'grow-pos' : b.growth < 0 ? 'grow-neg' : '', text: signed(b.growth) }) },
    { key: 'count', label: 'Counts', num: true, get: (b) => b.count,
      cell: (b) => el('span', null, sparkline(b.counts), b.counts.map(fmt).join(' → ')) },
    { key: 'slope', label: data.timed ? '/min' : '/snap', num: true, get: (b) => (b.slope === null ? -Infinity : b.slope),
      cell: (b) => (b.slope === null ? '–' : (b.slope >= 0 ? '+' : '') + b.slope.toFixed(1)) },
    { key: 'stuck', label: 'Stuck', num: true, get: (b) => (b.first_ids ? b.stuck / b.first_ids : -1),
      cell: (b) => (b.first_ids ? Math.round(100 * b.stuck / b.first_ids) + '%' : '–') },
    { key: 'change', label: 'Change', get: (b) => b.change, cell: (b) => b.change },
  ].concat(COMMON_TAIL);

  function detail(b, ncols) {
    const dl = el('dl');
    const add = (k, v) => { if (v !== null && v !== undefined && v !== '') dl.append(el('dt', { text: k }), el('dd', null, v)); };
    add('why', b.reason);
    add('state', b.state + (b.wait ? ', waiting ' + waitText(b) : ''));
    if (b.blockSite) add('blocked at', b.blockSite.fn + '  ' + b.blockSite.file + ':' + b.blockSite.line);
    if (b.createdSite) {
      add('created by', b.createdSite.fn + '  ' + b.createdSite.file + ':' + b.createdSite.line +
                        (b.parent ? '  (in goroutine ' + b.parent + ')' : ''));
    }
    add('labels', b.labels);
    if (b.counts) add('counts', b.counts.map(fmt).join(' → '));
    if (b.leaked) add('leaked', fmt(b.leaked) + ' marked (leaked) by the runtime');
    if (b.ids && b.ids.length) add('goroutine ids', b.ids.join(', ') + (b.ids.length < b.count ? ', …' : ''));
    const ol = el('ol', { class: 'stack' });
    b.frames.forEach((f, i) => {
      ol.append(el('li', { class: (i === b.block ? 'blocking' : '') + (f.inlined ? ' inlined' : '') },
                   el('span', { class: 'fn', text: f.fn }), el('br'),
                   el('span', { class: 'file', text: '    ' + f.file + ':' + f.line })));
    });
    if (b.elided) ol.append(el('li', { class: 'muted', text: '…additional frames elided…' }));
    if (b.createdSite) {
      ol.append(el('li', { class: 'muted' }, 'created by ' + b.createdSite.fn, el('br'),
                   el('span', { class: 'file', text: '    ' + b.createdSite.file + ':' + b.createdSite.line })));
    }
    return el('tr', { class: 'detail' }, el('td', { colspan: ncols }, dl, ol));
  }

  function bucketTable(columns, defaultSort) {
    const sort = { key: defaultSort, dir: -1 };
    const shown = new Set(VERDICTS);
    const expanded = new Set();
    let filter = '';
    let limit = PAGE;

    const section = el('section', { id: 'buckets-section' }, el('h2', { text: 'Buckets' }));
    const input = el('input', { id: 'filter', type: 'search', placeholder: 'Filter: function, file, creator, state, label…',
                                'aria-label': 'Filter buckets' });
    const status = el('span', { id: 'status', class: 'status' });
    const controls = el('div', { class: 'controls' }, input);
    for (const v of VERDICTS) {
      const n = buckets.filter((b) => b.verdict === v).length;
      const cb = el('input', { type: 'checkbox', id: 'v-' + v, checked: true });
      cb.addEventListener('change', () => { if (cb.checked) shown.add(v); else shown.delete(v); limit = PAGE; draw(); });
      controls.append(el('label', { for: 'v-' + v }, cb, verdictBadge(v), ' ' + n));
    }
    controls.append(status);
    const thead = el('thead');
    const headRow = el('tr');
    for (const c of columns) {
      const th = el('th', { class: 'sortable' + (c.num ? ' num' : ''), scope: 'col', 'data-key': c.key, tabindex: 0, text: c.label });
      const activate = () => {
        if (sort.key === c.key) sort.dir = -sort.dir;
        else { sort.key = c.key; sort.dir = c.asc || !c.num ? 1 : -1; }
        draw();
      };
      th.addEventListener('click', activate);
      th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(); } });
      headRow.append(th);
    }
    thead.append(headRow);
    const tbody = el('tbody');
    const table = el('table', { id: 'buckets' }, thead, tbody);
    const more = el('button', { type: 'button', class: 'more', hidden: true, onclick: () => { limit += PAGE; draw(); } });
    section.append(controls, el('div', { class: 'table-wrap' }, table), more);
    let pending = 0;
    input.addEventListener('input', () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => { filter = input.value.trim().toLowerCase(); limit = PAGE; draw(); });
    });

    function draw() {
      for (const th of headRow.children) {
        if (th.dataset.key === sort.key) th.setAttribute('aria-sort', sort.dir > 0 ? 'ascending' : 'descending');
        else th.removeAttribute('aria-sort');
      }
      const col = columns.find((c) => c.key === sort.key);
      const rows = buckets.filter((b) => shown.has(b.verdict) && (!filter || b.hay.includes(filter)));
      rows.sort((a, b) => {
        const x = col.get(a), y = col.get(b);
        const d = x < y ? -1 : x > y ? 1 : 0;
        return d * sort.dir || a.rank - b.rank;
      });
      const frag = document.createDocumentFragment();
      let goroutines = 0;
      for (const b of rows) goroutines += b.count;
      for (const b of rows.slice(0, limit)) {
        const tr = el('tr', { class: 'bucket v-' + b.verdict, tabindex: 0, 'data-rank': b.rank, 'data-count': b.count,
                              'aria-expanded': expanded.has(b.rank) ? 'true' : 'false' });
        for (const c of columns) {
          tr.append(el('td', { class: (c.num ? 'num' : '') + (c.site ? 'site' : ''), 'data-col': c.key }, c.cell(b)));
        }
        const toggle = () => { if (expanded.has(b.rank)) expanded.delete(b.rank); else expanded.add(b.rank); draw(); };
        tr.addEventListener('click', toggle);
        tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') toggle(); });
        frag.append(tr);
        if (expanded.has(b.rank)) frag.append(detail(b, columns.length));
      }
      tbody.replaceChildren(frag);
      const sum = data.summary || {};
      status.textContent = rows.length + ' of ' + buckets.length + ' buckets · ' + fmt(goroutines) + ' goroutines' +
          (sum.table < sum.shown ? ' (the table holds the first ' + fmt(sum.table) + ' of ' + fmt(sum.shown) +
                                   ' buckets; the icicle graph counts them all)' : '') +
          (sum.shown < sum.buckets ? ' (--top ' + sum.shown + ' of ' + fmt(sum.buckets) + ' buckets)' : '');
      more.hidden = rows.length <= limit;
      more.textContent = 'Show ' + Math.min(PAGE, rows.length - limit) + ' more (' + (rows.length - limit) + ' not shown)';
    }
    draw();
    return section;
  }

  // ---- icicle graph ----
  const redraws = [];
  function icicle(mode) {  // mode: "verdict" or "growth"
    const nodes = [];
    let maxDepth = 0;
    (function walk(n, parent, depth, start) {
      const id = nodes.length;
      const node = { name: S[n.n], file: n.f !== undefined ? S[n.f] : '', line: n.l || 0, v: n.v, b: n.b || 0, k: n.k,
                     other: !!n.o, parent: parent, depth: depth, start: start, kids: [], match: false };
      nodes.push(node);
      if (depth > maxDepth) maxDepth = depth;
      let s = start;
      for (const c of n.c) { node.kids.push(walk(c, id, depth + 1, s)); s += c.v; }
      return id;
    })(data.flame, -1, 0, 0);
    nodes[0].name = 'all goroutines';
    const total = nodes[0].v;
    let zoom = 0;

    const section = el('section', { id: 'flame-section' },
                       el('h2', { text: mode === 'growth' ? 'Stacks of the last snapshot (icicle graph, coloured by growth)'
                                                          : 'All goroutine stacks (icicle graph)' }));
    const search = el('input', { id: 'flame-search', type: 'search', placeholder: 'Highlight frames matching…',
                                 'aria-label': 'Search frames' });
    const matchInfo = el('span', { id: 'flame-match', class: 'status' });
    const reset = el('button', { id: 'flame-reset', type: 'button', onclick: () => setZoom(0) }, 'Reset zoom');
    const crumbs = el('nav', { class: 'crumbs', id: 'flame-crumbs', 'aria-label': 'Zoom path' });
    const legend = el('div', { class: 'legend' });
    if (mode === 'growth') {
      legend.append(el('span', null, el('span', { class: 'sw', id: 'sw-grow' }), 'grew'),
                    el('span', null, el('span', { class: 'sw', id: 'sw-same' }), 'unchanged'),
                    el('span', null, el('span', { class: 'sw', id: 'sw-shrink' }), 'shrank'),
                    el('span', { text: 'width = goroutines in the last snapshot; click a frame (or Tab to it and press Enter) to zoom' }));
    } else {
      for (const v of VERDICTS) legend.append(el('span', null, el('span', { class: 'sw', 'data-verdict': v }), v));
      legend.append(el('span', { text: 'width = goroutines; colour = the verdict of most goroutines through the frame; click (or Enter) to zoom' }));
    }
    const chart = svg('svg', { class: 'flame', id: 'flame', role: 'group',
                               'aria-label': 'Icicle graph of goroutine stacks: Tab to a frame, Enter to zoom, Escape to zoom out' });
    const wrap = el('div', { class: 'flame-wrap' }, crumbs, chart);
    section.append(el('div', { class: 'controls' }, search, reset, matchInfo), legend, wrap);

    function colour(n) {
      const dark = isDark();
      const light = (dark ? 48 : 64) + (hash(n.name) % 14);
      if (n.other) return 'hsl(0, 0%, ' + light + '%)';
      if (mode === 'growth') {
        const g = n.v - n.b;
        if (g > 0) return 'hsl(2, ' + Math.round(45 + 45 * Math.min(1, g / Math.max(1, n.v))) + '%, ' + light + '%)';
        if (g < 0) return 'hsl(210, 60%, ' + light + '%)';
        return 'hsl(40, 8%, ' + light + '%)';
      }
      let best = 0;
      for (let i = 1; i < 4; i++) if (n.k[i] > n.k[best]) best = i;
      return ['hsl(2, 72%, ', 'hsl(30, 88%, ', 'hsl(210, 8%, ', 'hsl(135, 42%, '][best] + light + '%)';
    }
    function paintLegend() {
      for (const sw of legend.querySelectorAll('.sw')) {
        const fake = { name: 'legend', other: false, v: 2, b: 1, k: [0, 0, 0, 0] };
        if (sw.dataset.verdict) fake.k[VERDICTS.indexOf(sw.dataset.verdict)] = 1;
        if (sw.id === 'sw-same') fake.b = 2;
        if (sw.id === 'sw-shrink') fake.b = 3;
        sw.style.background = colour(fake);
      }
    }

    function frameGroup(id, x, y, w, cls) {
      const n = nodes[id];
      const g = svg('g', { class: 'frame' + cls + (n.match ? ' match' : ''), 'data-id': id });
      g.setAttribute('data-name', n.name);
      g.append(svg('rect', { x: x.toFixed(2), y: y, width: Math.max(0.5, w).toFixed(2), height: ROW - 1, fill: colour(n) }));
      if (w > 30) {
        // Frames wide enough for a label are keyboard stops too: Tab reaches them, Enter zooms (see keydown below).
        g.setAttribute('tabindex', '0');
        g.setAttribute('role', 'button');
        g.setAttribute('aria-label', n.name + ', ' + fmt(n.v) + ' goroutines');
        const chars = Math.floor((w - 8) / 6.7);
        const name = n.depth ? shortFn(n.name) : n.name;
        const label = name.length > chars ? (chars > 2 ? name.slice(0, chars - 1) + '…' : '') : name;
        if (label) {
          const t = svg('text', { x: (x + 4).toFixed(2), y: y + ROW - 5 });
          t.textContent = label;
          g.append(t);
        }
      }
      return g;
    }

    let drawn = 0;
    function draw() {
      const W = Math.max(200, wrap.clientWidth - 16);
      const z = nodes[zoom];
      const scale = W / Math.max(1, z.v);
      const frag = document.createDocumentFragment();
      drawn = 0;
      const path = [];
      for (let a = z.parent; a >= 0; a = nodes[a].parent) path.unshift(a);
      for (const a of path) { frag.append(frameGroup(a, 0, nodes[a].depth * ROW, W, ' ancestor')); drawn++; }
      let deepest = z.depth;
      const stack = [zoom];
      while (stack.length) {
        const id = stack.pop();
        const n = nodes[id];
        const w = n.v * scale;
        if (w < 0.6 && id !== zoom) continue;
        frag.append(frameGroup(id, (n.start - z.start) * scale, n.depth * ROW, w, ''));
        drawn++;
        if (n.depth > deepest) deepest = n.depth;
        for (let i = n.kids.length - 1; i >= 0; i--) stack.push(n.kids[i]);
      }
      const H = (deepest + 1) * ROW;
      chart.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
      chart.setAttribute('width', W);
      chart.setAttribute('height', H);
      chart.replaceChildren(frag);
      crumbs.replaceChildren();
      const trail = path.concat([zoom]);
      trail.forEach((id, i) => {
        if (i) crumbs.append(el('span', { class: 'sep', text: '›' }));
        const current = id === zoom;
        const c = el('span', { class: 'crumb' + (current ? ' current' : ''), tabindex: current ? null : 0,
                               text: id === 0 ? 'all goroutines' : shortFn(nodes[id].name) });
        if (!current) {
          c.addEventListener('click', () => setZoom(id));
          c.addEventListener('keydown', (e) => { if (e.key === 'Enter') setZoom(id); });
        }
        crumbs.append(c);
      });
      reset.disabled = zoom === 0;
      paintLegend();
    }
    function setZoom(id) { zoom = id; draw(); }
    function focusFrame(id) {
      const g = chart.querySelector('g.frame[data-id="' + id + '"]');
      if (g) g.focus();
    }

    chart.addEventListener('click', (e) => {
      const g = e.target.closest('g.frame');
      if (g) setZoom(Number(g.dataset.id));
    });
    chart.addEventListener('keydown', (e) => {
      const g = e.target.closest('g.frame');
      if (!g) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        setZoom(Number(g.dataset.id));
        focusFrame(zoom);
      } else if (e.key === 'Escape' && zoom) {
        e.preventDefault();
        setZoom(Math.max(0, nodes[zoom].parent));
        focusFrame(zoom);
      }
    });
    chart.addEventListener('mousemove', (e) => {
      const g = e.target.closest('g.frame');
      if (!g) { tip.hidden = true; return; }
      const n = nodes[Number(g.dataset.id)];
      const lines = [el('div', { class: 'fn', text: n.name })];
      if (n.file) lines.push(el('div', { class: 'muted', text: n.file + ':' + n.line }));
      if (n.other) lines.push(el('div', { class: 'muted', text: 'frames under 0.1% of the width, collapsed' }));
      lines.push(el('div', { text: fmt(n.v) + ' goroutines · ' + pct(n.v, total) + ' of all' +
                                   (zoom ? ' · ' + pct(n.v, nodes[zoom].v) + ' of the zoomed frame' : '') }));
      if (mode === 'growth') lines.push(el('div', { text: 'first snapshot ' + fmt(n.b) + ' → last ' + fmt(n.v) + ' (' + signed(n.v - n.b) + ')' }));
      else {
        const parts = VERDICTS.map((v, i) => (n.k[i] ? fmt(n.k[i]) + ' ' + v : '')).filter((s) => s);
        lines.push(el('div', { class: 'muted', text: parts.join(', ') }));
      }
      tip.replaceChildren(...lines);
      tip.hidden = false;
      const r = tip.getBoundingClientRect();
      tip.style.left = Math.min(e.clientX + 14, window.innerWidth - r.width - 8) + 'px';
      tip.style.top = (e.clientY + 18 + r.height > window.innerHeight ? e.clientY - r.height - 10 : e.clientY + 18) + 'px';
    });
    chart.addEventListener('mouseleave', () => { tip.hidden = true; });

    let pending = 0;
    search.addEventListener('input', () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        const term = search.value.trim().toLowerCase();
        let matched = 0, frames = 0;
        for (const n of nodes) {
          n.match = term !== '' && !n.other && n.name.toLowerCase().includes(term);
          if (!n.match) continue;
          frames++;
          let covered = false;
          for (let a = n.parent; a >= 0; a = nodes[a].parent) if (nodes[a].match) { covered = true; break; }
          if (!covered) matched += n.v;
        }
        matchInfo.textContent = term ? frames + ' matching frames · ' + fmt(matched) + ' goroutines (' + pct(matched, total) + ')' : '';
        draw();
      });
    });
    let resizing = 0;
    window.addEventListener('resize', () => { cancelAnimationFrame(resizing); resizing = requestAnimationFrame(draw); });
    redraws.push(draw);
    return { section: section, draw: draw, stats: () => ({ nodes: nodes.length, drawn: drawn }) };
  }

  // ---- trend chart (diff: snapshots; watch: samples over time) ----
  // markers: [{ i (index into xs), label, verdict }]: alerts, drawn as dashed vertical lines.
  function trendChart(id, title, xs, series, markers) {
    const W = 900, H = 230, L = 56, R = 12, T = 12, B = 28;
    const max = Math.max(1, ...series.flatMap((s) => s.values));
    const s = svg('svg', { class: 'chart', id: id, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title });
    const X = (i) => L + (xs.length === 1 ? (W - L - R) / 2 : i * (W - L - R) / (xs.length - 1));
    const Y = (v) => T + (H - T - B) * (1 - v / max);
    for (const f of [0, 0.5, 1]) {
      s.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: Y(max * f), y2: Y(max * f) }));
      const t = svg('text', { x: L - 6, y: Y(max * f) + 4, 'text-anchor': 'end' });
      t.textContent = fmt(Math.round(max * f));
      s.append(t);
    }
    const step = Math.max(1, Math.ceil(xs.length / 8));
    xs.forEach((x, i) => {
      // Every step-th label and the last one, but not a stepped one that would crowd the last.
      if (i !== xs.length - 1 && (i % step || xs.length - 1 - i < step)) return;
      const anchor = xs.length > 1 && i === 0 ? 'start' : xs.length > 1 && i === xs.length - 1 ? 'end' : 'middle';
      const t = svg('text', { x: X(i), y: H - 8, 'text-anchor': anchor });
      t.textContent = x;
      s.append(t);
    });
    for (const m of markers || []) {
      const g = svg('g', { class: 'alert-marker', 'data-verdict': m.verdict || 'suspect' });
      g.append(svg('line', { x1: X(m.i).toFixed(1), x2: X(m.i).toFixed(1), y1: T, y2: H - B }));
      g.append(svg('path', { d: 'M' + (X(m.i) - 5).toFixed(1) + ',' + T + 'h10l-5,7z' }));
      const t = svg('title');
      t.textContent = m.label;
      g.append(t);
      s.append(g);
    }
    const legend = el('div', { class: 'legend' });
    series.forEach((ser, j) => {
      const colour = ser.colour || PALETTE[j % PALETTE.length];
      const pts = ser.values.map((v, i) => X(i).toFixed(1) + ',' + Y(v).toFixed(1)).join(' ');
      const line = svg('polyline', { class: 'series', points: pts, stroke: colour, 'data-series': j });
      const t = svg('title');
      t.textContent = ser.name + ': ' + ser.values.map(fmt).join(' → ');
      line.append(t);
      s.append(line);
      for (let i = 0; i < ser.values.length; i++) {
        if (ser.values.length <= 60) s.append(svg('circle', { cx: X(i).toFixed(1), cy: Y(ser.values[i]).toFixed(1), r: 2.5, fill: colour }));
      }
      const sw = el('span', { class: 'sw' });
      sw.style.background = colour;
      legend.append(el('span', null, sw, ser.name));
    });
    return el('section', { id: id + '-section' }, el('h2', { text: title }), s, legend);
  }
  function bucketName(fn, state) { return (fn ? shortFn(fn) : '(no stack)') + (state ? ' [' + state + ']' : ''); }

  // ---- the three reports ----
  let flame = null;
  if (data.kind === 'analyze') {
    const sum = data.summary;
    app.append(header('leakhound analyze', data.sources.map((s) => s.name)));
    app.append(el('div', { class: 'cards', id: 'cards' },
                  card('goroutines', fmt(sum.goroutines), null, data.sources.length + ' input' + (data.sources.length === 1 ? '' : 's')),
                  card('buckets', fmt(sum.buckets), null, sum.table < sum.shown ? fmt(sum.table) + ' largest in the table'
                       : sum.shown < sum.buckets ? sum.shown + ' shown (--top)' : 'similarity ' + data.similarity),
                  ...verdictCards(sum)));
    app.append(sourceList(data.sources));
    app.append(bucketTable(ANALYZE_COLUMNS, 'count'));
    flame = icicle('verdict');
    app.append(flame.section);
  } else if (data.kind === 'diff') {
    const sum = data.summary;
    const snaps = data.snapshots;
    app.append(header('leakhound diff', snaps.map((s) => s.name)));
    const suspects = { definite: sum.definite, suspect: sum.suspect };
    app.append(el('div', { class: 'cards', id: 'cards' },
                  card('snapshots', String(snaps.length), null, data.timed && snaps[snaps.length - 1].minute !== null
                       ? 'over ' + Math.round(snaps[snaps.length - 1].minute) + ' min' : 'untimed'),
                  card('goroutines', fmt(sum.first) + ' → ' + fmt(sum.last), null, signed(sum.growth)),
                  card('buckets', fmt(sum.buckets), null, sum.grown + ' grown, ' + sum.new + ' new, ' + sum.shrunk + ' shrunk, ' + sum.vanished + ' vanished'),
                  card('definite', fmt(suspects.definite), 'definite'), card('suspect', fmt(suspects.suspect), 'suspect')));
    app.append(sourceList(snaps));
    const xs = snaps.map((s, i) => (data.timed && s.minute !== null ? '+' + Math.round(s.minute) + ' min' : '#' + (i + 1)));
    const top = buckets.filter((b) => b.growth > 0).slice(0, 5);
    app.append(trendChart('trend', 'Goroutines per snapshot',
                          xs, [{ name: 'total', values: snaps.map((s) => s.goroutines), colour: '#6e7781' }].concat(
                              top.map((b) => ({ name: bucketName(b.blockSite && b.blockSite.fn, b.state), values: b.counts })))));
    app.append(bucketTable(DIFF_COLUMNS, 'growth'));
    flame = icicle('growth');
    app.append(flame.section);
  } else if (data.kind === 'watch') {
    const targets = data.targets;
    const many = targets.length > 1;
    const totalsOf = (t) => t.samples.map((s) => s.total);
    const firstOf = (t) => (t.samples.length ? t.samples[0].total : 0);
    const lastOf = (t) => (t.samples.length ? t.samples[t.samples.length - 1].total : 0);
    const span = (ss) => (ss.length ? new Date(ss[0].t).toISOString().slice(11, 19) + ' – ' +
                          new Date(ss[ss.length - 1].t).toISOString().slice(11, 19) + ' UTC' : '');
    app.append(header('leakhound watch', many ? [targets.length + ' targets'] : targets.map((t) => t.url || t.name)));
    if (!many) {
      const t = targets[0] || { samples: [], series: [] };
      const first = firstOf(t), last = lastOf(t);
      app.append(el('div', { class: 'cards', id: 'cards' },
                    card('samples', fmt(t.samples.length), null, span(t.samples)),
                    card('goroutines', fmt(first) + ' → ' + fmt(last), null, signed(last - first)),
                    card('peak', fmt(Math.max(0, ...totalsOf(t)))),
                    card('tracked buckets', fmt(t.series.length))));
    } else {
      const first = targets.reduce((n, t) => n + firstOf(t), 0), last = targets.reduce((n, t) => n + lastOf(t), 0);
      const longest = targets.reduce((m, t) => (t.samples.length > m.length ? t.samples : m), []);
      app.append(el('div', { class: 'cards', id: 'cards' },
                    card('targets', fmt(targets.length)),
                    card('samples', fmt(longest.length), null, span(longest)),
                    card('goroutines', fmt(first) + ' → ' + fmt(last), null, signed(last - first)),
                    card('alerts', fmt(targets.reduce((n, t) => n + t.alerts, 0)))));
      // The overview: every target, the fastest growing first, each linking to its charts.
      const order = targets.map((t, i) => i).sort((i, j) => (lastOf(targets[j]) - firstOf(targets[j])) -
                                                            (lastOf(targets[i]) - firstOf(targets[i])) || i - j);
      const tbody = el('tbody');
      for (const i of order) {
        const t = targets[i];
        const top = t.series.length ? bucketName(t.series[0].function, t.series[0].state) : '';
        tbody.append(el('tr', { 'data-target': t.name },
                        el('td', null, el('a', { href: '#target-' + i, text: t.name })),
                        el('td', { class: 'num', text: fmt(t.samples.length) }),
                        el('td', { class: 'num', text: fmt(firstOf(t)) + ' → ' + fmt(lastOf(t)) }),
                        el('td', { class: 'num', text: signed(lastOf(t) - firstOf(t)) }),
                        el('td', { class: 'num', text: fmt(Math.max(0, ...totalsOf(t))) }),
                        el('td', { class: 'num', text: fmt(t.alerts) }),
                        el('td', { class: 'site', text: top })));
      }
      const head = el('tr', null, ...['target', 'samples', 'goroutines', 'growth', 'peak', 'alerts', 'top bucket']
        .map((h, k) => el('th', { class: k > 0 && k < 6 ? 'num' : null, text: h })));
      app.append(el('section', { id: 'targets' }, el('h2', { text: 'Targets' }),
                    el('div', { class: 'table-wrap' }, el('table', { id: 'target-table' }, el('thead', null, head), tbody))));
    }
    const utc = (ms) => new Date(ms).toISOString().slice(11, 19);
    if (data.alert) {
      // The page beside a dump: which alert it was taken for.
      const a = data.alert;
      app.append(el('section', { id: 'alert', class: 'alert-banner', 'data-verdict': a.verdict || 'suspect' },
                    el('strong', { text: 'Dump taken on alert' }), ' ', utc(a.t) + ' UTC · ' + a.rule + ' · ',
                    a.bucket ? bucketName(a.bucket, '') + ' · ' : '', verdictBadge(a.verdict || 'suspect'),
                    el('div', { text: a.message })));
    }
    targets.forEach((t, i) => {
      const suffix = i ? '-' + i : '';
      const section = el('section', { id: 'target-' + i, class: 'watch-target' });
      if (many) section.append(el('h2', { text: t.name + (t.url && t.url !== t.name ? ' · ' + t.url : '') }));
      const xs = t.samples.map((s) => utc(s.t));
      const alerts = t.alert_list || [];
      // Each alert at the first sample taken at or after it (the one that fired it).
      const markers = alerts.map((a) => {
        let k = t.samples.findIndex((s) => s.t >= a.t - 1);
        if (k < 0) k = t.samples.length - 1;
        return { i: Math.max(0, k), verdict: a.verdict, label: utc(a.t) + ' ' + a.rule + (a.bucket ? ' ' + a.bucket : '') + (a.verdict ? ' (' + a.verdict + ')' : '') };
      });
      section.append(trendChart('trend-total' + suffix, 'Total goroutines over time', xs,
                                [{ name: 'total', values: totalsOf(t), colour: '#6e7781' }], markers));
      if (t.series.length) {
        section.append(trendChart('trend-buckets' + suffix, 'Top buckets over time', xs,
                                  t.series.map((b, j) => ({ name: bucketName(b.function, b.state) + ' · ' +
                                                                  (b.alert_verdict ? 'alert: ' + b.alert_verdict : b.verdict),
                                                            values: t.samples.map((s) => s.counts[j] || 0) })), markers));
      }
      if (alerts.length) {
        const tbody = el('tbody');
        for (const a of alerts) {
          tbody.append(el('tr', { class: 'alert-row' },
                          el('td', { text: utc(a.t) }),
                          el('td', { text: a.rule }),
                          el('td', { class: 'site', text: a.bucket ? bucketName(a.bucket, '') + (a.blocking ? ' @ ' + a.blocking : '') : '' }),
                          el('td', null, a.verdict ? verdictBadge(a.verdict) : ''),
                          el('td', { text: a.message }),
                          el('td', null, a.page ? el('a', { href: a.page, text: 'dump page' }) : (a.dump || ''))));
        }
        const head = el('tr', null, ...['time (UTC)', 'rule', 'bucket', 'verdict', 'alert', 'dump'].map((h) => el('th', { text: h })));
        section.append(el('div', { class: 'table-wrap' },
                          el('table', { class: 'alert-list', id: 'alerts' + suffix }, el('thead', null, head), tbody)));
      }
      app.append(section);
    });
    if (data.buckets) {
      app.append(el('h2', { text: 'Latest snapshot' + (data.latest_source ? ': ' + data.latest_source : '') }));
      app.append(bucketTable(ANALYZE_COLUMNS, 'count'));
      flame = icicle('verdict');
      app.append(flame.section);
    }
  }
  app.append(footer());
  if (flame) flame.draw();
  if (window.matchMedia) {
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { for (const f of redraws) f(); });
  }

  performance.mark('leakhound-rendered');
  const m = performance.measure('leakhound-render', 'leakhound-start', 'leakhound-rendered');
  window.leakhoundReport = { kind: data.kind, renderMs: m.duration, flame: flame ? flame.stats : null };
})();
