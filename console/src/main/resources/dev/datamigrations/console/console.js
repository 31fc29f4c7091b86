// The console's page: polls the JSON API and renders it with DOM calls only (textContent, never innerHTML), so
// that class names, reasons and error messages, which are user data, are always shown as text.
'use strict';
(function () {
  const REFRESH_MS = 1500;
  let session = { operator: '', csrfToken: null, actionsEnabled: false };
  const rendered = {};
  let timer = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function time(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC') : '—'; }
  function duration(ms) {
    if (ms === null || ms === undefined) return '—';
    if (ms < 1000) return ms + ' ms';
    const s = ms / 1000;
    if (s < 59.95) return s.toFixed(1) + ' s';
    // Round once, then split: 119.6 s is "2 min 0 s", never "1 min 60 s".
    const total = Math.round(s);
    const m = Math.floor(total / 60);
    if (m < 60) return m + ' min ' + (total % 60) + ' s';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }
  function number(n) { return Number(n).toLocaleString('en-US'); }

  async function api(path, options) {
    const response = await fetch(path, Object.assign({ credentials: 'same-origin', cache: 'no-store' }, options));
    if (response.status === 401) { window.location.href = 'login'; throw new Error('Not logged in'); }
    let body = {};
    try { body = await response.json(); } catch (e) { body = { error: 'HTTP ' + response.status }; }
    return { status: response.status, body };
  }

  function say(text, isError) {
    const box = document.getElementById('message');
    box.className = isError ? 'error' : '';
    box.textContent = text;
  }

  // --- Confirmation dialog: every action asks first; migrate, up and down also ask for a reason. ---
  function confirmAction(title, text, needsReason, path) {
    const dialog = document.getElementById('confirm');
    const reason = document.getElementById('reason');
    document.getElementById('confirm-title').textContent = title;
    document.getElementById('confirm-text').textContent = text;
    document.getElementById('reason-field').hidden = !needsReason;
    reason.required = needsReason;
    reason.value = '';
    const form = document.getElementById('confirm-form');
    form.onsubmit = async (event) => {
      event.preventDefault();
      if (needsReason && !reason.value.trim()) { reason.focus(); return; }
      dialog.close();
      const data = new URLSearchParams();
      if (needsReason) data.set('reason', reason.value);
      const result = await api(path, {
        method: 'POST',
        headers: { [session.csrfHeader || 'X-CSRF-Token']: session.csrfToken, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: data.toString(),
      });
      say(result.body.message || result.body.error, result.status !== 200);
      refresh();
    };
    document.getElementById('confirm-cancel').onclick = () => dialog.close();
    dialog.showModal();
    (needsReason ? reason : document.getElementById('confirm-ok')).focus();
  }

  function actionButton(label, action, m, danger) {
    const needsReason = action === 'up' || action === 'down';
    const path = needsReason ? 'api/migrations/' + m.version + '/' + action : 'api/backfills/' + m.version + '/' + action;
    const what = (needsReason ? 'Run ' + action + ' of ' : label + ' backfill ') + m.version + ' (' + m.description + ')?';
    return el('button', {
      type: 'button', class: danger ? 'danger' : null, 'data-action': action, 'data-version': m.version,
      'aria-label': label + ' ' + m.version + ' ' + m.description,
      onclick: () => confirmAction(label + ' ' + m.version, what, needsReason, path),
    }, label);
  }

  // --- Tables of migrations ---
  function migrationTable(list, group) {
    if (list.length === 0) return el('p', { class: 'muted', text: 'None.' });
    const head = el('tr', null, ...['Version', 'Description', 'Class', 'Applied at', 'By', 'Duration', 'Reason', '']
      .map((h) => el('th', { scope: 'col', text: h })));
    const rows = list.map((m) => el('tr', { 'data-version': m.version },
      el('td', { class: 'num' }, el('a', { href: '#/migrations/' + m.version, text: m.version })),
      el('td', { text: m.description }),
      el('td', { class: 'class', text: m.className }),
      el('td', { text: time(m.appliedAt) }),
      el('td', { text: m.appliedBy || '—' }),
      el('td', { class: 'num', text: duration(m.durationMs) }),
      el('td', { class: 'reason', text: m.reason || '—' }),
      el('td', { class: 'actions' }, ...rowActions(m, group))));
    return el('table', null, el('caption', { class: 'visually-hidden', text: group }),
      el('thead', null, head), el('tbody', null, ...rows));
  }

  function rowActions(m, group) {
    if (!session.actionsEnabled) return [];
    if (group === 'Pending') return [actionButton('Up', 'up', m)];
    if (group === 'Applied' && m.reversible) return [actionButton('Down', 'down', m, true)];
    return [];
  }

  function renderGroup(id, list, group) {
    const key = JSON.stringify([list, session.actionsEnabled]);
    if (rendered[id] === key) return; // unchanged: keep the nodes, and the keyboard focus in them
    rendered[id] = key;
    document.getElementById(id).replaceChildren(migrationTable(list, group));
  }

  // --- Backfill panels, updated in place ---
  function backfillPanel(m) {
    const p = m.progress;
    let panel = document.getElementById('backfill-' + m.version);
    if (!panel) {
      panel = el('article', { id: 'backfill-' + m.version, class: 'backfill', 'data-version': m.version,
        'aria-labelledby': 'backfill-title-' + m.version });
      panel.append(
        el('h3', { id: 'backfill-title-' + m.version },
          el('a', { href: '#/migrations/' + m.version, text: m.version + ' ' + m.description })),
        el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
          'aria-labelledby': 'backfill-title-' + m.version }, el('div')),
        el('dl', { class: 'facts' }),
        el('ul', { class: 'workers', 'aria-label': 'Workers seen in the last two minutes' }),
        chart(),
        el('p', { class: 'muted', text: 'Rows per 5 s over the last 2 minutes; now is on the right.' }),
        el('div', { class: 'errors' }),
        el('div', { class: 'actions' }));
    }
    const state = (p ? p.state : m.state).toLowerCase();
    panel.className = 'backfill ' + state;
    panel.dataset.state = state;
    if (!p) return panel;
    panel.dataset.rowsDone = p.rowsDone;
    const bar = panel.querySelector('.bar');
    bar.setAttribute('aria-valuenow', p.percent.toFixed(1));
    bar.setAttribute('aria-valuetext', p.percent.toFixed(1) + '% (' + number(p.rowsDone) + ' of ' + number(p.estimatedTotal) + ' rows)');
    bar.firstChild.style.width = p.percent.toFixed(2) + '%';
    const throttle = !p.throttle.known ? 'not known here (only the process running the workers hears it)'
      : p.throttle.waiting ? 'backing off: ' + p.throttle.reason : 'last backed off ' + time(p.throttle.at) + ': ' + p.throttle.reason;
    const facts = [
      ['State', state], ['Rows', number(p.rowsDone) + ' of ' + number(p.estimatedTotal) + ' (' + p.percent.toFixed(1) + '%)'],
      ['Rate', number(Math.round(p.rowsPerSecond)) + ' rows/s'], ['ETA', p.etaMs === null ? 'unknown' : duration(p.etaMs)],
      ['Batch size', number(p.batchSize)], ['Batches done', number(p.batchesDone)],
      ['Longest batch', duration(p.longestBatchMs)], ['Throttling', throttle],
      ['Workers active', String(p.activeWorkers)], ['Started', time(p.startedAt)],
    ];
    panel.querySelector('dl').replaceChildren(...facts.flatMap(([k, v]) =>
      [el('dt', { text: k }), el('dd', { 'data-fact': k.toLowerCase().replace(/ /g, '-'), text: v })]));
    panel.querySelector('.workers').replaceChildren(...p.workers.map((w) => el('li', {
      'data-active': w.active ? 'true' : 'false',
      text: w.name + ': ' + (w.active ? 'working' : 'stopped') + ', last batch ' + time(w.lastBatchAt) + ', ' + w.batches + ' batches in the last 2 min',
    })));
    drawChart(panel.querySelector('svg'), p.throughput, p.throughputBucketMs);
    const errorsKey = JSON.stringify(p.errors);
    const errors = panel.querySelector('.errors');
    if (errors.dataset.key !== errorsKey) {
      errors.dataset.key = errorsKey;
      errors.replaceChildren(...batchErrors(p.errors, state === 'failed'));
    }
    const actions = panel.querySelector('.actions');
    const key = state + session.actionsEnabled;
    if (actions.dataset.key !== key) {
      actions.dataset.key = key;
      const buttons = [];
      if (session.actionsEnabled) {
        if (state === 'running') buttons.push(actionButton('Pause', 'pause', m));
        if (state === 'paused' || state === 'cancelled' || state === 'failed') buttons.push(actionButton('Resume', 'resume', m));
        if (state === 'running' || state === 'paused' || state === 'failed') buttons.push(actionButton('Cancel', 'cancel', m, true));
      }
      actions.replaceChildren(...buttons);
    }
    return panel;
  }

  function chart() {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'chart');
    svg.setAttribute('role', 'img');
    svg.setAttribute('viewBox', '0 0 240 70');
    svg.setAttribute('preserveAspectRatio', 'none');
    return svg;
  }

  function drawChart(svg, buckets, bucketMs) {
    const max = Math.max(1, ...buckets);
    const width = 240 / buckets.length;
    svg.replaceChildren(...buckets.map((rows, i) => {
      const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      const h = Math.round((rows / max) * 66);
      rect.setAttribute('x', String(i * width + 1));
      rect.setAttribute('width', String(Math.max(1, width - 2)));
      rect.setAttribute('y', String(70 - h));
      rect.setAttribute('height', String(h));
      return rect;
    }));
    svg.setAttribute('aria-label', 'Throughput, rows per ' + bucketMs / 1000 + ' s over the last 2 minutes: latest '
      + number(buckets[buckets.length - 1]) + ', highest ' + number(max));
  }

  // A backfill's latest failed batch attempts, as recorded (bounded, secrets removed); a failed
  // backfill says what to do.
  function batchErrors(list, failed) {
    if (!list || list.length === 0) return [];
    return [
      el('h4', { text: failed ? 'Failed: its batches failed past the threshold. Fix the cause, then resume it.'
        : 'Failed batch attempts (retried)' }),
      el('ul', { class: 'failures batch-errors' }, ...list.map((f) => el('li', { 'data-batch': f.batch },
        'batch ' + f.batch + ' (keys ' + f.keys + '), attempt ' + f.attempt + ', ' + time(f.failedAt) + ' on ' + f.worker + ': ',
        el('code', { text: f.errorClass }),
        el('p', { class: 'failure-message', text: f.message || '' }),
        el('p', { class: 'muted', text: f.outcome }),
        f.stackTrace ? el('details', null, el('summary', { text: 'Stack trace' }),
          el('pre', { class: 'trace', text: f.stackTrace })) : null))),
    ];
  }

  function failureList(list, withTrace) {
    if (list.length === 0) return el('p', { class: 'muted', text: 'None recorded.' });
    return el('ul', { class: 'failures' }, ...list.map((f) => el('li', { 'data-version': f.version },
      el('a', { href: '#/migrations/' + f.version, text: String(f.version) }),
      ' ' + f.direction + ' failed ' + time(f.failedAt) + ' (by ' + (f.operator || 'unknown') + '): ',
      el('code', { text: f.errorClass }),
      el('p', { class: 'failure-message', text: f.message || '' }),
      withTrace && f.stackTrace ? el('details', null, el('summary', { text: 'Stack trace with causes' }),
        el('pre', { class: 'trace', text: f.stackTrace })) : null)));
  }

  // --- Pages ---
  function renderOverview(o) {
    const counts = [['Failed', o.counts.failed], ['Running', o.counts.running], ['Pending', o.counts.pending],
      ['Applied', o.counts.applied], ['Removed from code', o.counts.removed]];
    const countsKey = JSON.stringify(counts);
    if (rendered.counts !== countsKey) {
      rendered.counts = countsKey;
      document.getElementById('counts').replaceChildren(...counts.map(([k, v]) =>
        el('div', { 'data-count': k.toLowerCase().split(' ')[0] }, el('dt', { text: k }), el('dd', { text: v }))));
    }
    document.getElementById('empty').hidden = o.counts.total !== 0;
    renderPanels('failed', o.failed, 'No failed backfill.');
    renderPanels('running', o.running, 'No backfill under way.');
    renderGroup('pending', o.pending, 'Pending');
    renderGroup('applied', o.applied, 'Applied');
    renderGroup('removed', o.removed, 'Removed from code');
    const failuresKey = JSON.stringify(o.recentFailures);
    if (rendered.failures !== failuresKey) {
      rendered.failures = failuresKey;
      document.getElementById('failures').replaceChildren(failureList(o.recentFailures, false));
    }
  }

  function renderPanels(id, list, none) {
    const box = document.getElementById(id);
    const panels = list.map(backfillPanel);
    if (panels.length === 0) box.replaceChildren(el('p', { class: 'muted', text: none }));
    else if (panels.some((p, i) => box.children[i] !== p) || box.children.length !== panels.length) box.replaceChildren(...panels);
  }

  function renderDetail(m) {
    document.getElementById('detail-title').textContent = m.version + ' ' + m.description;
    const facts = [['State', m.state.toLowerCase()], ['Class', m.className], ['Kind', m.backfill ? 'backfill' : 'migration'],
      ['Reversible', m.reversible ? 'yes' : 'no'], ['Applied at', time(m.appliedAt)], ['Applied by', m.appliedBy || '—'],
      ['Duration', duration(m.durationMs)], ['Reason', m.reason || '—']];
    document.getElementById('detail-facts').replaceChildren(...facts.flatMap(([k, v]) =>
      [el('dt', { text: k }), el('dd', { 'data-fact': k.toLowerCase().replace(/ /g, '-'), text: v })]));
    const key = JSON.stringify([m.state, m.reversible, session.actionsEnabled]);
    if (rendered.detailActions !== key) {
      rendered.detailActions = key;
      document.getElementById('detail-actions').replaceChildren(...rowActions(m,
        m.state === 'PENDING' ? 'Pending' : m.state === 'APPLIED' ? 'Applied' : ''));
    }
    const backfill = document.getElementById('detail-backfill');
    if (m.progress) { const panel = backfillPanel(m); if (panel.parentNode !== backfill) backfill.replaceChildren(panel); }
    else backfill.replaceChildren();
    const failuresKey = JSON.stringify(m.failures);
    if (rendered.detailFailures !== failuresKey) {
      rendered.detailFailures = failuresKey;
      document.getElementById('detail-failures').replaceChildren(failureList(m.failures, true));
    }
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const match = /^#\/migrations\/(\d+)$/.exec(window.location.hash);
      document.getElementById('overview').hidden = !!match;
      document.getElementById('detail').hidden = !match;
      const result = await api(match ? 'api/migrations/' + match[1] : 'api/overview');
      if (result.status !== 200) throw new Error(result.body.error || 'HTTP ' + result.status);
      if (match) renderDetail(result.body); else renderOverview(result.body);
      const stamp = document.getElementById('refreshed');
      stamp.dataset.count = String(Number(stamp.dataset.count || 0) + 1);
      stamp.textContent = 'Refreshed ' + new Date().toISOString().substring(11, 19) + ' UTC, every ' + REFRESH_MS / 1000 + ' s';
    } catch (e) {
      document.getElementById('refreshed').textContent = 'Could not refresh: ' + e.message;
    }
    timer = setTimeout(refresh, REFRESH_MS);
  }

  async function start() {
    const result = await api('api/session');
    session = result.body;
    document.getElementById('operator').textContent = session.operator || 'API token';
    // Signed in by the application (Spring Security): it logs people out, not the console.
    document.getElementById('logout').closest('form').hidden = session.authenticatedBy === 'host';
    document.getElementById('read-only').hidden = session.actionsEnabled;
    document.getElementById('migrate-bar').hidden = !session.actionsEnabled;
    document.getElementById('migrate').addEventListener('click', () =>
      confirmAction('Run migrate', 'Apply every pending data migration, in version order?', true, 'api/migrate'));
    // The skip link only moves the focus: "#main" in the address would replace the route, the page shown.
    document.querySelector('a.skip').addEventListener('click', (event) => {
      event.preventDefault();
      document.getElementById('main').focus();
    });
    window.addEventListener('hashchange', () => {
      for (const key of Object.keys(rendered)) delete rendered[key];
      refresh();
      document.getElementById(window.location.hash.startsWith('#/migrations/') ? 'detail-title' : 'overview-title').focus?.();
    });
    refresh();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
