'use strict';
// The Quartet dashboard: plain DOM, no framework, no build step. Every action goes through the
// app's public HTTP API; live updates arrive as server-sent events from /dashboard/stream.
(function () {
  const $ = (id) => document.getElementById(id);
  const state = {
    key: null, lastPayment: null, payments: {}, endpoint: null, link: null,
    rate: [], filter: 'all', timers: {}
  };
  const TERMINAL = ['SUCCEEDED', 'FAILED', 'PARTIALLY_REFUNDED', 'REFUNDED'];
  const CARDS = {
    pm_card_visa: 'approved card', pm_card_declined: 'declined card', pm_card_flaky: 'flaky card',
    pm_card_timeout: 'timeout card', pm_card_unavailable: 'provider down', pm_card_refund_declined: 'refunds declined'
  };

  // ---------- helpers ----------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([name, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : value);
    });
    children.flat().forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return node;
  }
  function fill(list, items, empty) {
    list.replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, empty)]));
  }
  const short = (id) => (id ? String(id).slice(0, 8) : '');
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '–');
  const ago = (iso) => {
    if (!iso) return 'never';
    const s = Math.max(0, Math.round((Date.now() - new Date(iso)) / 1000));
    return s < 60 ? s + ' s ago' : s < 3600 ? Math.round(s / 60) + ' min ago' : new Date(iso).toLocaleString();
  };
  const uuid = () => (window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
      const r = Math.random() * 16 | 0; return (c === 'x' ? r : (r & 3 | 8)).toString(16);
    }));
  function chip(text, kind) { return el('span', { class: 'chip ' + (kind || '') }, text); }
  function statusKind(status) {
    if (['SUCCEEDED', 'PAID', 'active'].includes(status)) return 'ok';
    if (['FAILED', 'CANCELLED', 'expired', 'disabled'].includes(status)) return 'bad';
    if (['PROCESSING', 'PENDING'].includes(status)) return 'warn';
    if (['REFUNDED', 'PARTIALLY_REFUNDED'].includes(status)) return 'info';
    return '';
  }
  function httpKind(code) { return code >= 200 && code < 300 ? 'ok' : code === 410 || code >= 500 || code === 401 ? 'bad' : 'warn'; }
  let toastTimer;
  function toast(message) {
    const box = $('toast');
    box.textContent = message; box.hidden = false;
    clearTimeout(toastTimer); toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
  }
  function later(name, fn, ms) {
    clearTimeout(state.timers[name]);
    state.timers[name] = setTimeout(fn, ms);
  }

  async function api(method, path, body, headers) {
    const init = { method, headers: Object.assign({}, headers || {}), cache: 'no-store' };
    if (state.key) init.headers['X-API-Key'] = state.key;
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      // A dropped connection or a stopped server: say so instead of leaving a button that silently did nothing.
      toast('Could not reach Quartet (' + method + ' ' + path + '): ' + e.message);
      return { status: 0, headers: new Headers(), data: null };
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
    if (response.status === 429 && path.startsWith('/api/')) toast('The API allows 120 calls a minute per client: slowing down for a moment.');
    return { status: response.status, headers: response.headers, data };
  }
  function problem(result) {
    return (result.data && (result.data.detail || result.data.title)) || ('HTTP ' + result.status);
  }

  // ---------- payments ----------
  async function pay(event) {
    event.preventDefault();
    const minor = Math.round(parseFloat($('pay-amount').value) * 100);
    const card = $('pay-card').value;
    $('pay').disabled = true;
    try {
      const order = await api('POST', '/api/orders', {
        customerReference: 'dashboard', currency: 'EUR',
        items: [{ description: 'Demo order', quantity: 1, unitPrice: minor }]
      });
      if (order.status !== 201) { toast('Order refused: ' + problem(order)); return; }
      const request = { orderId: order.data.id, amount: minor, currency: 'EUR', paymentMethod: card };
      const key = uuid();
      const payment = await api('POST', '/api/payments', request, { 'Idempotency-Key': key });
      if (payment.status >= 300) { toast('Payment refused: ' + problem(payment)); return; }
      state.lastPayment = { request, key, id: payment.data.id };
      state.payments[order.data.id] = payment.data;
      $('replay').disabled = false;
      $('replay-result').textContent = 'Idempotency-Key ' + short(key) + '… used for payment ' + short(payment.data.id) + '. Send it again:';
      refreshOrders();
    } finally {
      $('pay').disabled = false;
    }
  }

  async function replay() {
    const last = state.lastPayment;
    if (!last) return;
    const again = await api('POST', '/api/payments', last.request, { 'Idempotency-Key': last.key });
    if (again.status === 0) {
      $('replay-result').textContent = 'The request did not reach the server; send it again.';
      return;
    }
    const replayed = again.headers.get('Idempotent-Replayed');
    const same = again.data && again.data.id === last.id;
    $('replay-result').replaceChildren(
      chip(replayed === 'true' ? 'Idempotent-Replayed: true' : 'not replayed', replayed === 'true' ? 'ok' : 'bad'),
      ' HTTP ' + again.status + (same ? ', the same payment ' + short(last.id) + ': charged once.' : ''));
  }

  async function refreshOrders() {
    const orders = await api('GET', '/api/orders?page=0&size=6');
    if (orders.status !== 200) return;
    const items = orders.data.items || [];
    fill($('payments-list'), items.map(orderRow), 'No orders yet. Create one above.');
    await Promise.all(items.map(async (order) => {
      const known = state.payments[order.id];
      if (known && TERMINAL.includes(known.status) && !(order.status === 'CREATED' && known.status === 'SUCCEEDED')) return;
      const found = await api('GET', '/api/payments?orderId=' + order.id);
      if (found.status === 200 && found.data.length) state.payments[order.id] = found.data[0];
    }));
    fill($('payments-list'), items.map(orderRow), 'No orders yet. Create one above.');
    const moving = items.some((order) => {
      const payment = state.payments[order.id];
      return payment && (!TERMINAL.includes(payment.status) || (payment.status === 'SUCCEEDED' && order.status !== 'PAID'));
    });
    if (moving) later('orders', refreshOrders, 1500);
    refreshDeadLetters();
  }

  function orderRow(order) {
    const payment = state.payments[order.id];
    const steps = payment ? (payment.transitions || []).map((t) => t.toStatus) : [];
    if (payment && !steps.length) steps.push(payment.status);
    const path = steps.flatMap((status, i) => (i ? [el('span', { class: 'arrow' }, '›'), chip(status, statusKind(status))] : [chip(status, statusKind(status))]));
    return el('li', { 'data-order': order.id, 'data-status': payment ? payment.status : 'NONE' },
      el('div', { class: 'main' },
        el('div', { class: 'title' }, order.display + ' ', el('span', { class: 'muted' }, '· order ' + short(order.id))),
        el('div', { class: 'sub' }, payment ? (CARDS[payment.paymentMethod] || payment.paymentMethod) + ' · ' + time(payment.createdAt)
          + (payment.failureReason ? ' · ' + payment.failureReason : '') : 'no payment yet')),
      el('span', { class: 'steps' }, path),
      el('span', { class: 'order-status' }, chip('order ' + order.status, statusKind(order.status))),
      payment ? el('button', { class: 'small', type: 'button', onclick: () => openTimeline(payment.id) }, 'Timeline') : null);
  }

  async function openTimeline(paymentId) {
    const result = await api('GET', '/api/payments/' + paymentId + '/timeline');
    if (result.status !== 200) { toast(problem(result)); return; }
    fill($('timeline-entries'), result.data.map((entry) => el('li', {},
      el('time', {}, time(entry.at)), el('span', {}, chip(entry.kind, entry.kind === 'dead-letter' ? 'bad' : entry.kind === 'transition' ? 'info' : '')),
      el('span', { class: 'what' }, entry.description))), 'Nothing recorded yet.');
    $('timeline').showModal();
  }

  async function refreshDeadLetters() {
    const result = await api('GET', '/api/payments/dead-letters');
    if (result.status !== 200) return;
    fill($('dead-letters'), result.data.slice(0, 6).map((letter) => el('li', {},
      el('div', { class: 'main' },
        el('div', { class: 'title' }, 'payment ' + short(letter.paymentId) + ' ', chip(letter.paymentStatus || '', statusKind(letter.paymentStatus))),
        el('div', { class: 'sub' }, (letter.error || 'no error recorded') + ' · ' + time(letter.deadAt)
          + (letter.requeuedAt ? ' · requeued ' + time(letter.requeuedAt) : ''))),
      letter.requeuedAt ? chip('requeued', 'info') : el('button', {
        class: 'small', type: 'button', onclick: async () => {
          const done = await api('POST', '/api/payments/dead-letters/' + letter.paymentId + '/requeue');
          toast(done.status === 202 ? 'Requeued: the payment is processed again.' : problem(done));
          refreshOrders();
        }
      }, 'Requeue'))), 'Nothing dead-lettered. Pay with the "Provider down" card to see one.');
  }

  // ---------- webhooks ----------
  async function refreshWebhooks() {
    const endpoints = await api('GET', '/api/webhooks/endpoints');
    if (endpoints.status === 200) {
      state.endpoint = (endpoints.data || []).find((e) => e.description === 'Demo receiver') || null;
      renderEndpoint();
    }
    const behaviour = await api('GET', '/demo/webhooks/behaviour');
    if (behaviour.status === 200) {
      const b = behaviour.data;
      $('behaviour').textContent = 'The receiver ' + (b.gone ? 'answers 410 Gone: DispatchGo disables the endpoint.'
        : b.failNext > 0 ? 'will answer 500 to the next ' + b.failNext + (b.failNext === 1 ? ' request' : ' requests') + ', then 204.'
          : 'answers 204 to every correctly signed request.');
    }
    const received = await api('GET', '/demo/webhooks/received');
    if (received.status === 200) {
      fill($('received'), received.data.slice(0, 8).map((r) => el('li', { 'data-valid': String(r.signatureValid) },
        el('div', { class: 'main' },
          el('div', { class: 'title' }, r.eventType || 'unknown event'),
          el('div', { class: 'sub' }, time(r.receivedAt) + ' · ' + short(r.webhookId.replace('msg_', '')))),
        r.signatureValid ? el('span', { class: 'check', title: 'HMAC-SHA256 signature verified' }, '✓ valid signature')
          : el('span', { class: 'cross' }, '✗ bad signature'),
        chip(String(r.answeredStatus), httpKind(r.answeredStatus)))), 'Nothing received yet.');
    }
    if (!state.endpoint) { fill($('deliveries'), [], 'No demo endpoint yet.'); return; }
    const deliveries = await api('GET', '/api/webhooks/deliveries?limit=8&endpointId=' + state.endpoint.id);
    if (deliveries.status !== 200) return;
    fill($('deliveries'), deliveries.data.map(deliveryRow), 'No deliveries yet. Pay an order or send a test message.');
    const due = deliveries.data.filter((d) => d.status === 'PENDING' || d.status === 'PROCESSING')
      .map((d) => (d.nextAttemptAt ? new Date(d.nextAttemptAt) - Date.now() : 0));
    if (due.length) later('webhooks', refreshWebhooks, Math.min(10000, Math.max(800, Math.min(...due) + 700)));
  }

  function renderEndpoint() {
    const e = state.endpoint;
    if (!e) { $('endpoint').replaceChildren(el('span', { class: 'muted' }, 'No demo receiver subscribed (demo mode off?).')); return; }
    $('endpoint').replaceChildren(...[
      el('strong', {}, 'Demo receiver'), el('code', {}, e.url), chip('subscribed to ' + e.eventTypes.join(', '), 'info'),
      e.enabled ? chip('enabled', 'ok') : chip('disabled', 'bad'),
      e.enabled ? null : el('span', { class: 'muted' }, e.disabledReason || ''),
      e.enabled ? null : el('button', {
        class: 'small', type: 'button', onclick: async () => {
          await api('PUT', '/demo/webhooks/behaviour', { failNext: 0, gone: false });
          await api('PATCH', '/api/webhooks/endpoints/' + e.id, { enabled: true });
          refreshWebhooks();
        }
      }, 'Re-enable')].filter(Boolean));
  }

  function deliveryRow(d) {
    const attempts = d.attempts || [];
    const dots = attempts.map((a) => el('span', {
      class: 'dot ' + (a.statusCode ? httpKind(a.statusCode) : 'bad'),
      title: 'attempt ' + a.number + ': ' + (a.statusCode || a.error || 'no answer') + ' in ' + a.latencyMillis + ' ms'
    }));
    let detail = attempts.length + (attempts.length === 1 ? ' attempt' : ' attempts');
    if (d.status === 'PENDING' && d.nextAttemptAt && attempts.length) {
      const wait = Math.max(0, Math.round((new Date(d.nextAttemptAt) - Date.now()) / 1000));
      detail += ' · backing off, next try in ' + wait + ' s';
    }
    if (d.lastError && d.status !== 'SUCCEEDED') detail += ' · ' + d.lastError;
    return el('li', { 'data-status': d.status, 'data-type': d.eventType },
      el('div', { class: 'main' }, el('div', { class: 'title' }, d.eventType), el('div', { class: 'sub' }, time(d.createdAt) + ' · ' + detail)),
      el('span', { class: 'dots' }, dots), chip(d.status === 'FAILED' ? 'FAILED · in DLQ' : d.status, statusKind(d.status)),
      d.status === 'FAILED' ? el('button', {
        class: 'small', type: 'button', onclick: async () => {
          const done = await api('POST', '/api/webhooks/deliveries/' + d.id + '/redrive');
          toast(done.status === 202 ? 'Redriven: the delivery starts over.' : problem(done));
          refreshWebhooks();
        }
      }, 'Redrive') : null);
  }

  async function behave(change, message) {
    await api('PUT', '/demo/webhooks/behaviour', change);
    toast(message);
    refreshWebhooks();
  }

  // ---------- shortener ----------
  async function shorten(event) {
    event.preventDefault();
    const created = await api('POST', '/api/links', { targetUrl: $('link-target').value });
    if (created.status !== 201) { toast('Link refused: ' + problem(created)); return; }
    state.link = created.data;
    await refreshLinks();
    showLink();
  }

  async function refreshLinks() {
    const page = await api('GET', '/api/links?page=0&size=5');
    if (page.status !== 200) return;
    if (!state.link && page.data.links.length) { state.link = page.data.links[0]; showLink(); }
    fill($('links'), page.data.links.map((link) => el('li', {
      class: 'clickable' + (state.link && state.link.code === link.code ? ' selected' : ''),
      onclick: () => { state.link = link; showLink(); refreshLinks(); }
    }, el('div', { class: 'main' }, el('div', { class: 'title' }, '/' + link.code), el('div', { class: 'sub' }, link.targetUrl)),
      chip(link.state, statusKind(link.state)))), 'No links yet.');
  }

  function shortUrl(code) { return location.origin + '/' + code; }

  function showLink() {
    const link = state.link;
    if (!link) return;
    const qr = el('img', { class: 'qr', alt: 'QR code for ' + shortUrl(link.code) });
    $('link-detail').replaceChildren(
      el('div', {},
        el('div', { class: 'short' }, el('a', { id: 'short-url', href: shortUrl(link.code), target: '_blank', rel: 'noopener' }, shortUrl(link.code))),
        el('div', { class: 'target' }, '→ ' + link.targetUrl),
        el('div', { class: 'stats' },
          el('div', { class: 'stat' }, el('b', { id: 'clicks' }, '0'), el('span', {}, 'clicks')),
          el('div', { class: 'stat' }, el('b', { id: 'last-accessed' }, '–'), el('span', {}, 'last accessed')),
          el('div', { class: 'stat' }, el('b', { id: 'bots' }, '0'), el('span', {}, 'from bots'))),
        el('div', { class: 'controls buttons' },
          el('button', { id: 'click-link', type: 'button', class: 'primary', onclick: clickLink }, 'Click it'),
          el('a', { href: shortUrl(link.code), target: '_blank', rel: 'noopener' }, 'open in a new tab'),
          el('span', { id: 'click-note', class: 'hint' }, ''))),
      qr,
      el('div', { class: 'wide' }, el('h3', {}, 'Clicks per day ', el('small', {}, 'last 14 days, UTC')),
        el('svg', {}), el('h3', {}, 'Top referrers'), el('ul', { id: 'referrers', class: 'referrers' })));
    const chart = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    chart.setAttribute('id', 'daily-chart'); chart.setAttribute('class', 'chart');
    chart.setAttribute('viewBox', '0 0 600 120'); chart.setAttribute('preserveAspectRatio', 'none');
    $('link-detail').querySelector('.wide svg').replaceWith(chart);
    fetch('/api/links/' + link.code + '/qr?format=svg&size=240', { headers: { 'X-API-Key': state.key } })
      .then((r) => (r.ok ? r.blob() : null)).then((blob) => { if (blob) qr.src = URL.createObjectURL(blob); });
    refreshStats();
  }

  async function clickLink() {
    const code = state.link.code;
    // A redirect is a click: fetch it without following it (the target may be offline).
    await fetch('/' + code, { redirect: 'manual', cache: 'no-store' });
    $('click-note').textContent = 'Redirect served. Clicks are counted in batches every few seconds…';
    let tries = 0;
    const before = Number($('clicks').textContent);
    const poll = async () => {
      await refreshStats();
      const counted = !$('clicks') || Number($('clicks').textContent) > before;
      if (++tries < 15 && !counted && state.link && state.link.code === code) later('stats', poll, 2000);
      else if ($('click-note')) $('click-note').textContent = counted ? 'Counted.' : '';
    };
    later('stats', poll, 1500);
  }

  async function refreshStats() {
    const link = state.link;
    if (!link) return;
    const stats = await api('GET', '/api/links/' + link.code + '/stats');
    if (stats.status !== 200 || !state.link || state.link.code !== link.code) return;
    const s = stats.data;
    $('clicks').textContent = s.totalClicks;
    $('last-accessed').textContent = s.lastAccessedAt ? ago(s.lastAccessedAt) : 'never';
    $('bots').textContent = s.botClicks;
    drawDaily(s.daily || []);
    fill($('referrers'), (s.referrers || []).map((r) => el('li', {}, el('span', {}, r.host), el('b', {}, r.clicks))), 'No referrers yet: clicks from this page count as direct or from localhost.');
  }

  function drawDaily(daily) {
    const svg = $('daily-chart');
    if (!svg) return;
    const counts = {};
    daily.forEach((d) => { counts[d.day] = d.clicks; });
    const days = [];
    for (let i = 13; i >= 0; i--) {
      const d = new Date(Date.now() - i * 86400000).toISOString().slice(0, 10);
      days.push({ day: d, clicks: counts[d] || 0 });
    }
    const max = Math.max(1, ...days.map((d) => d.clicks));
    const ns = 'http://www.w3.org/2000/svg';
    const parts = [];
    days.forEach((d, i) => {
      const h = d.clicks ? Math.max(3, (d.clicks / max) * 90) : 0;
      const bar = document.createElementNS(ns, 'rect');
      bar.setAttribute('x', 8 + i * 42); bar.setAttribute('y', 100 - h); bar.setAttribute('width', 30); bar.setAttribute('height', h);
      bar.setAttribute('rx', 3); bar.setAttribute('fill', '#c46a0a');
      const title = document.createElementNS(ns, 'title'); title.textContent = d.day + ': ' + d.clicks + ' clicks'; bar.append(title);
      const label = document.createElementNS(ns, 'text');
      label.setAttribute('x', 23 + i * 42); label.setAttribute('y', 114); label.setAttribute('text-anchor', 'middle');
      label.setAttribute('font-size', '10'); label.setAttribute('fill', '#5d6780'); label.textContent = d.day.slice(8);
      const base = document.createElementNS(ns, 'rect');
      base.setAttribute('x', 8 + i * 42); base.setAttribute('y', 100); base.setAttribute('width', 30); base.setAttribute('height', 1.5); base.setAttribute('fill', '#dfe4ee');
      parts.push(base, bar, label);
      if (d.clicks) {
        const value = document.createElementNS(ns, 'text');
        value.setAttribute('x', 23 + i * 42); value.setAttribute('y', 96 - h); value.setAttribute('text-anchor', 'middle');
        value.setAttribute('font-size', '10'); value.setAttribute('fill', '#16203a'); value.textContent = d.clicks;
        parts.push(value);
      }
    });
    svg.replaceChildren(...parts);
  }

  // ---------- rate limiter ----------
  async function burst() {
    $('burst').disabled = true;
    try {
      const responses = await Promise.all(Array.from({ length: 30 }, () =>
        fetch('/demo/limited', { cache: 'no-store' }).then((r) => r).catch(() => null)));
      const now = Math.floor(Date.now() / 1000);
      let ok = 0; let rejected = 0;
      $('burst-strip').replaceChildren(...responses.map((r) => {
        const good = r && r.status === 200;
        if (good) ok++; else rejected++;
        return el('span', { class: good ? 'ok' : 'bad', title: r ? 'HTTP ' + r.status : 'no answer' });
      }));
      state.rate.push({ t: now, ok, bad: rejected });
      $('burst-result').replaceChildren(chip(ok + ' allowed', 'ok'), ' ', chip(rejected + ' rejected with 429', rejected ? 'bad' : ''));
      const shown = responses.filter(Boolean).reverse().find((r) => r.status === 429) || responses.filter(Boolean).pop();
      if (shown) {
        const dl = $('rate-headers');
        dl.replaceChildren(...['RateLimit-Policy', 'RateLimit', 'Retry-After'].flatMap((name) =>
          [el('dt', {}, name), el('dd', {}, shown.headers.get(name) || (name === 'Retry-After' ? '– (sent only with a 429)' : '–'))]));
        dl.setAttribute('data-status', String(shown.status));
      }
      drawRate();
    } finally {
      $('burst').disabled = false;
    }
  }

  function drawRate() {
    const svg = $('rate-chart');
    const now = Math.floor(Date.now() / 1000);
    state.rate = state.rate.filter((r) => r.t > now - 60);
    const perSecond = {};
    state.rate.forEach((r) => {
      const slot = perSecond[r.t] || (perSecond[r.t] = { ok: 0, bad: 0 });
      slot.ok += r.ok; slot.bad += r.bad;
    });
    const max = Math.max(10, ...Object.values(perSecond).map((s) => s.ok + s.bad));
    const ns = 'http://www.w3.org/2000/svg';
    const parts = [];
    for (let i = 0; i < 60; i++) {
      const slot = perSecond[now - 59 + i];
      if (!slot) continue;
      const hOk = (slot.ok / max) * 120; const hBad = (slot.bad / max) * 120;
      [[hOk, 130 - hOk, '#15803d'], [hBad, 130 - hOk - hBad, '#c2283b']].forEach(([h, y, color]) => {
        const bar = document.createElementNS(ns, 'rect');
        bar.setAttribute('x', i * 10 + 1); bar.setAttribute('y', y); bar.setAttribute('width', 8); bar.setAttribute('height', h); bar.setAttribute('fill', color);
        parts.push(bar);
      });
    }
    const axis = document.createElementNS(ns, 'line');
    axis.setAttribute('x1', 0); axis.setAttribute('x2', 600); axis.setAttribute('y1', 130); axis.setAttribute('y2', 130); axis.setAttribute('stroke', '#dfe4ee');
    parts.push(axis);
    if (!state.rate.length) {
      const text = document.createElementNS(ns, 'text');
      text.setAttribute('x', 300); text.setAttribute('y', 72); text.setAttribute('text-anchor', 'middle'); text.setAttribute('fill', '#8a93a8'); text.setAttribute('font-size', '14');
      text.textContent = 'Fire a burst: allowed and rejected requests appear here';
      parts.push(text);
    }
    svg.replaceChildren(...parts);
  }

  // ---------- failed listeners ----------
  const until = (iso) => {
    const s = Math.max(0, Math.round((new Date(iso) - Date.now()) / 1000));
    return s < 90 ? s + ' s' : Math.round(s / 60) + ' min';
  };
  async function refreshFailedListeners() {
    const result = await api('GET', '/api/events/failed?limit=6');
    if (result.status !== 200) return;
    fill($('failed-listeners'), result.data.map((p) => el('li', { 'data-publication': p.id, 'data-given-up': String(p.givenUp) },
      el('div', { class: 'main' },
        el('div', { class: 'title' }, p.listenerId + ' ', el('span', { class: 'muted' }, '· ' + p.eventType.split('.').pop() + ' · ' + short(p.id))),
        el('div', { class: 'sub' }, (p.lastReason || 'no failure recorded: an instance stopped mid-delivery') + ' · '
          + p.attempts + (p.attempts === 1 ? ' attempt' : ' attempts')
          + (p.nextAttemptAt ? ' · next try in ' + until(p.nextAttemptAt) : ''))),
      chip(p.givenUp ? 'given up' : p.status === 'FAILED' ? 'retrying' : p.status, p.givenUp ? 'bad' : 'warn'),
      p.status === 'FAILED' ? el('button', {
        class: 'small', type: 'button', onclick: async () => {
          const done = await api('POST', '/api/events/failed/' + p.id + '/resubmit');
          toast(done.status === 202 ? 'Resubmitted: the listener runs again.' : problem(done));
          later('failed-listeners', refreshFailedListeners, 800);
        }
      }, 'Resubmit') : null)), 'No listener is failing.');
    // One running again settles within moments; a retrying one changes when its next try is due.
    const due = result.data.map((p) => (p.status !== 'FAILED' ? 0 : p.nextAttemptAt ? new Date(p.nextAttemptAt) - Date.now() : null))
      .filter((ms) => ms !== null);
    if (due.length) later('failed-listeners', refreshFailedListeners, Math.min(60000, Math.max(1000, Math.min(...due) + 1500)));
  }

  // ---------- live events ----------
  function showEvent(event) {
    const list = $('events');
    const empty = list.querySelector('.empty');
    if (empty) empty.remove();
    const fresh = Date.now() - new Date(event.at) < 5000;
    const item = el('li', { class: fresh ? 'fresh' : null, 'data-source': event.source },
      el('span', { class: 'time' }, time(event.at)),
      el('span', { class: 'src ' + event.source }, { kafka: 'Kafka', amqp: 'AMQP', app: 'in-process', receiver: 'receiver' }[event.source] || event.source),
      el('span', { class: 'where' }, event.channel, event.key ? el('small', {}, 'key ' + (event.key.length > 24 ? event.key.slice(0, 24) + '…' : event.key)) : null),
      el('span', { class: 'what' }, event.summary));
    item.hidden = state.filter !== 'all' && state.filter !== event.source;
    list.prepend(item);
    while (list.children.length > 150) list.lastElementChild.remove();
  }

  function onEvent(event) {
    showEvent(event);
    const refs = event.refs || {};
    if (refs.paymentId || refs.orderId) {
      if (refs.orderId) delete state.payments[refs.orderId];
      later('orders', refreshOrders, 400);
    }
    if (event.source === 'receiver' || event.channel.startsWith('webhooks.') || ['PaymentSucceeded', 'PaymentFailed', 'OrderPaid', 'RefundSucceeded'].includes(event.channel)) {
      later('webhooks', refreshWebhooks, 600);
    }
    if (refs.code && state.link && refs.code.split(',').includes(state.link.code)) later('link-stats', refreshStats, 300);
    if (event.channel === 'LinkCreated') later('links', refreshLinks, 500);
    if (event.channel === 'ListenerFailed') later('failed-listeners', refreshFailedListeners, 300);
  }

  function connect() {
    const source = new EventSource('/dashboard/stream');
    source.addEventListener('event', (message) => onEvent(JSON.parse(message.data)));
    source.onopen = () => { $('live').textContent = 'live'; $('live').className = 'live on'; };
    source.onerror = () => { $('live').textContent = 'reconnecting…'; $('live').className = 'live off'; };
  }

  // ---------- start ----------
  async function start() {
    const config = await fetch('/dashboard/config', { cache: 'no-store' }).then((r) => r.json()).catch(() => ({ demo: false }));
    state.key = config.apiKey || null;
    if (config.grpcPort) {
      $('grpc-port').textContent = config.grpcPort;
      $('grpc-port-cmd').textContent = config.grpcPort;
      if (config.demo) $('grpc-key').textContent = config.apiKey;
      $('grpc-note').hidden = false;
    }
    if (config.demo) $('api-key').textContent = config.apiKey;
    else $('demo-note').textContent = 'Demo mode is off (quartet.demo.enabled=false): the dashboard gets no API key and the demo routes are closed.';
    $('pay-form').addEventListener('submit', pay);
    $('replay').addEventListener('click', replay);
    $('fail3').addEventListener('click', () => behave({ failNext: 3 }, 'The receiver answers 500 to the next 3 requests: watch the retries back off.'));
    $('gone').addEventListener('click', () => behave({ gone: true }, 'The receiver answers 410: the next delivery disables the endpoint.'));
    $('reset-receiver').addEventListener('click', () => behave({ failNext: 0, gone: false }, 'The receiver answers 204 again.'));
    $('ping').addEventListener('click', async () => {
      const sent = await api('POST', '/api/webhooks/messages', { eventType: 'demo.ping', payload: { message: 'Hello from the dashboard', sentAt: new Date().toISOString() } });
      toast(sent.status === 202 ? 'Accepted (202): ' + sent.data.deliveries.length + ' delivery queued.' : problem(sent));
      later('webhooks', refreshWebhooks, 300);
    });
    $('link-form').addEventListener('submit', shorten);
    $('burst').addEventListener('click', burst);
    document.querySelectorAll('.filters button').forEach((button) => button.addEventListener('click', () => {
      state.filter = button.dataset.filter;
      document.querySelectorAll('.filters button').forEach((b) => b.classList.toggle('on', b === button));
      document.querySelectorAll('#events li[data-source]').forEach((li) => { li.hidden = state.filter !== 'all' && state.filter !== li.dataset.source; });
    }));
    document.querySelector('#timeline .close').addEventListener('click', () => $('timeline').close());
    setInterval(drawRate, 1000);
    drawRate();
    connect();
    if (state.key) { refreshOrders(); refreshWebhooks(); refreshLinks(); refreshFailedListeners(); }
  }
  start();
})();
