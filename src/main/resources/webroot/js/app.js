/*
 * Partner access: the little script the pages use (no framework).
 * - Copy buttons: [data-copy] copies the value of the element it names.
 * - Live banners on the dashboard (#banners[data-live]): banner events arrive over the WebSocket /ws;
 *   while the socket is not open the page polls data-poll (JSON) every 2 s. Either way new banners
 *   appear without a reload, with Approve / Deny forms (CSRF token from <meta name="csrf-token">).
 * - Partner pages (#partner-live): the partner's own banners (request approved or denied, access enabled,
 *   disabled, expired, disconnected, expiry warnings) appear live with a Refresh link; inside a customer
 *   account, "access ended" sends the partner back to the Customers page.
 */
(function () {
  'use strict';

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  }

  // ---- copy buttons ----
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy'));
      var status = document.getElementById(button.getAttribute('data-copy') + '-status');
      if (!target) { return; }
      var done = function () { if (status) { status.textContent = 'Copied to the clipboard'; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(target.value).then(done, function () { target.select(); document.execCommand('copy'); done(); });
      } else {
        target.select();
        document.execCommand('copy');
        done();
      }
    });
  });

  // ---- live banners ----
  var box = document.getElementById('banners');
  if (!box || !box.hasAttribute('data-live')) { return; }
  var accountId = box.getAttribute('data-account');
  var pollUrl = box.getAttribute('data-poll');
  var socket = null;
  var pollTimer = null;

  function postForm(action, label, cls) {
    var f = document.createElement('form');
    f.method = 'post';
    f.action = action;
    var t = document.createElement('input');
    t.type = 'hidden';
    t.name = '_csrf';
    t.value = csrfToken();
    f.appendChild(t);
    var b = document.createElement('button');
    b.type = 'submit';
    b.textContent = label;
    if (cls) { b.className = cls; }
    f.appendChild(b);
    return f;
  }

  // R29: approve for a length of the owner's own choosing (the same choices as the page renders).
  var LENGTHS = [['1d', '1 day'], ['7d', '7 days'], ['30d', '30 days'], ['rule', 'Until the 60-day rule ends it']];
  function lengthForm(requestId) {
    var f = postForm('/app/requests/' + encodeURIComponent(requestId) + '/approve', 'Approve for this length', 'secondary');
    f.className = 'inline';
    var id = 'length-' + requestId;
    var label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = 'Or approve for';
    var select = document.createElement('select');
    select.id = id;
    select.name = 'length';
    LENGTHS.forEach(function (l) {
      var o = document.createElement('option');
      o.value = l[0];
      o.textContent = l[1];
      select.appendChild(o);
    });
    f.insertBefore(select, f.lastChild);
    f.insertBefore(label, select);
    return f;
  }

  function show(b) {
    if (!b || !b.id || !b.message) { return; }
    if (b.audience && b.audience !== 'account') { return; }
    if (b.accountId && accountId && b.accountId !== accountId) { return; }
    if (box.querySelector('[data-id="' + CSS.escape(b.id) + '"]')) { return; }
    var div = document.createElement('div');
    div.className = 'banner';
    div.setAttribute('data-id', b.id);
    div.setAttribute('data-kind', b.kind || '');
    var p = document.createElement('p');
    p.textContent = b.message;
    div.appendChild(p);
    if (b.kind === 'access_requested' && b.requestId) {
      div.appendChild(postForm('/app/requests/' + encodeURIComponent(b.requestId) + '/approve', 'Approve'));
      div.appendChild(lengthForm(b.requestId));
      div.appendChild(postForm('/app/requests/' + encodeURIComponent(b.requestId) + '/deny', 'Deny', 'secondary'));
    } else {
      if (b.kind === 'access_review') {
        var open = document.createElement('a');
        open.className = 'button';
        open.href = '/app/reviews';
        open.textContent = 'Open the access review';
        div.appendChild(open);
      }
      div.appendChild(postForm('/app/banners/' + encodeURIComponent(b.id) + '/dismiss', 'Dismiss', 'secondary'));
    }
    box.appendChild(div);
    var empty = document.getElementById('no-banners');
    if (empty) { empty.hidden = true; }
  }

  function poll() {
    fetch(pollUrl, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { banners: [] }; })
      .then(function (j) {
        var live = {};
        (j.banners || []).forEach(function (b) { live[b.id] = true; show(b); });
        box.querySelectorAll('.banner[data-id]').forEach(function (el) {
          if (!live[el.getAttribute('data-id')]) { el.remove(); }
        });
      })
      .catch(function () { /* try again on the next tick */ });
  }

  function startPolling() {
    if (!pollTimer && pollUrl) { pollTimer = window.setInterval(poll, 2000); poll(); }
  }

  function stopPolling() {
    if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
  }

  function connect() {
    if (!('WebSocket' in window)) { startPolling(); return; }
    try {
      socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    } catch (e) {
      startPolling();
      return;
    }
    var opened = false;
    socket.onopen = function () { opened = true; stopPolling(); poll(); };
    socket.onmessage = function (ev) {
      try {
        var msg = JSON.parse(ev.data);
        show(msg.banner || msg);
      } catch (e) { /* not a banner */ }
    };
    socket.onclose = function () {
      startPolling();
      if (opened) { window.setTimeout(connect, 5000); }
    };
    socket.onerror = function () { startPolling(); };
  }

  // Poll until the socket says it is open, so a missing or slow socket never hides a banner.
  startPolling();
  connect();
})();

(function () {
  'use strict';
  var live = document.getElementById('partner-live');
  if (!live || !('WebSocket' in window)) { return; }
  var inside = live.getAttribute('data-inside') === 'true';

  function notify(text, withRefresh) {
    var p = document.createElement('p');
    p.textContent = text + ' ';
    if (withRefresh) {
      var a = document.createElement('a');
      a.href = location.pathname + location.search;
      a.textContent = 'Refresh';
      p.appendChild(a);
    }
    live.appendChild(p);
    live.hidden = false;
  }

  // On the Customers page, swap in the current table (Log in / Request access follow the outcome).
  function refreshCustomers() {
    var table = document.getElementById('customers');
    if (!table || !window.fetch || !window.DOMParser) { return; }
    fetch(location.pathname + location.search, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('customers');
        if (fresh) { table.replaceWith(document.importNode(fresh, true)); }
      })
      .catch(function () { /* the Refresh link still works */ });
  }

  function connect() {
    var socket;
    try {
      socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    } catch (e) { return; }
    socket.onmessage = function (ev) {
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (msg.type === 'hello') {
        live.setAttribute('data-connected', 'true');
      } else if (msg.type === 'banner' && msg.banner && msg.banner.audience === 'partner' && msg.banner.message) {
        notify(msg.banner.message, !inside && !document.getElementById('customers'));
        refreshCustomers();
      } else if (msg.type === 'access_ended' && inside) {
        notify('Your access to this account has ended. Taking you back to your Customers.', false);
        window.setTimeout(function () { location.href = '/partner/customers'; }, 3000);
      }
    };
    socket.onclose = function (ev) {
      live.removeAttribute('data-connected');
      if (ev.code !== 4403 && ev.code !== 1008) { window.setTimeout(connect, 5000); }
    };
  }
  connect();
})();
