/*
 * Partner access: the little script the pages use (no framework).
 * - Copy buttons: [data-copy] copies the value of the element it names.
 * - Live banners on the dashboard (#banners[data-live]): banner events arrive over the WebSocket /ws;
 *   while the socket is not open the page polls data-poll (JSON) every 2 s. Either way new banners
 *   appear without a reload, with Approve / Deny forms (CSRF token from <meta name="csrf-token">).
 * - Partner pages (#partner-live): the partner's own banners (request approved or denied, access enabled,
 *   disabled, expired, disconnected, expiry warnings) appear live with a Refresh link; inside a customer
 *   account, "access ended" sends the partner back to the Customers page.
 * - Notifications (#notification-unread in the header, R27): a notification for the signed-in user arrives over
 *   the WebSocket; the unread count goes up and, on the notification centre (#notification-list), it appears on top.
 * - Times in the viewer's time zone: <time datetime="ISO" data-local="datetime|date"> is rewritten with the
 *   browser's locale and zone (the server's text, in UTC, stays when scripts do not run).
 * - Customers page (#customer-list): on an access change or a partner banner over /ws, the list, the
 *   "Needs attention" group and the counts per filter are fetched again and swapped in.
 * - The partner pages and the notification badge share one reconnecting /ws listener (partnerAccessListen).
 */
(function () {
  'use strict';
  function localise(root) {
    root.querySelectorAll('time[data-local]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d.getTime())) { return; }
      var opts = t.getAttribute('data-local') === 'date'
        ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
      try {
        t.textContent = d.toLocaleString(undefined, opts);
        t.setAttribute('title', d.toISOString());
        t.setAttribute('data-localised', 'true');
      } catch (e) { /* keep the server's text */ }
    });
  }
  window.partnerAccessLocalise = localise;
  localise(document);

  function socketUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  }
  window.partnerAccessSocketUrl = socketUrl;

  // The one reconnecting /ws listener of the live parts: a hello marks `marker` data-connected; every other
  // message goes to onMessage; a close clears the mark and reconnects after 5 s unless its code is final.
  window.partnerAccessListen = function (marker, onMessage, finalCodes) {
    function connect() {
      var socket;
      try {
        socket = new WebSocket(socketUrl());
      } catch (e) { return; }
      socket.onmessage = function (ev) {
        var msg;
        try { msg = JSON.parse(ev.data); } catch (e) { return; }
        if (msg.type === 'hello') {
          marker.setAttribute('data-connected', 'true');
        } else {
          onMessage(msg);
        }
      };
      socket.onclose = function (ev) {
        marker.removeAttribute('data-connected');
        if (finalCodes.indexOf(ev.code) < 0) { window.setTimeout(connect, 5000); }
      };
    }
    connect();
  };
})();

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

  // ---- R32: time-zone fields take the browser's zone unless one was typed ----
  document.querySelectorAll('input[data-timezone]').forEach(function (input) {
    if (!input.value && window.Intl) { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; }
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
      socket = new WebSocket(window.partnerAccessSocketUrl());
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

  // each outcome its own style: good news green, a warning amber, access lost or a disconnection red
  var STYLE = { request_approved: 'success', access_enabled: 'success', expiry_warning: 'warning',
    request_denied: 'warning', access_disabled: 'danger', access_expired: 'danger', disconnected: 'danger' };

  function notify(text, withRefresh, style) {
    var p = document.createElement('p');
    p.className = 'notice notice-' + (style || 'warning');
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

  // On the Customers page, swap in the current list, "Needs attention" group and counts per filter.
  function refreshCustomers() {
    var list = document.getElementById('customer-list');
    if (!list || !window.fetch || !window.DOMParser) { return; }
    fetch(location.pathname + location.search, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var doc = new DOMParser().parseFromString(html, 'text/html');
        ['customer-list', 'customer-summary'].forEach(function (id) {
          var fresh = doc.getElementById(id);
          var old = document.getElementById(id);
          if (fresh && old) { old.replaceWith(document.importNode(fresh, true)); }
        });
        if (window.partnerAccessLocalise) { window.partnerAccessLocalise(document); }
        live.setAttribute('data-refreshed', String(Number(live.getAttribute('data-refreshed') || '0') + 1));
      })
      .catch(function () { /* the Refresh link still works */ });
  }

  window.partnerAccessListen(live, function (msg) {
    if (msg.type === 'banner' && msg.banner && msg.banner.audience === 'partner' && msg.banner.message) {
      notify(msg.banner.message, !inside && !document.getElementById('customer-list'), STYLE[msg.banner.kind]);
      refreshCustomers();
    } else if (msg.type === 'access_changed' && !inside) {
      refreshCustomers();
    } else if (msg.type === 'access_ended' && inside) {
      notify('Your access to this account has ended. Taking you back to your Customers.', false, 'danger');
      window.setTimeout(function () { location.href = '/partner/customers'; }, 3000);
    }
  }, [4403, 1008]);
})();

(function () {
  'use strict';
  var badge = document.getElementById('notification-unread');
  if (!badge || !('WebSocket' in window)) { return; }
  var count = document.getElementById('notification-unread-count');
  var list = document.getElementById('notification-list');

  function arrived(n) {
    var unread = parseInt(badge.getAttribute('data-count') || '0', 10) + 1;
    badge.setAttribute('data-count', String(unread));
    count.textContent = unread >= 100 ? '99+' : String(unread);
    badge.hidden = false;
    if (!list) { return; }
    var li = document.createElement('li');
    li.className = 'notification unread';
    li.setAttribute('data-id', n.id);
    li.setAttribute('data-kind', n.kind);
    var p = document.createElement('p');
    var isNew = document.createElement('span');
    isNew.className = 'count-badge';
    isNew.textContent = 'New';
    var message = document.createElement('span');
    message.className = 'message';
    message.textContent = n.message;
    p.appendChild(isNew);
    p.appendChild(document.createTextNode(' '));
    p.appendChild(message);
    li.appendChild(p);
    if (n.link) {
      var open = document.createElement('p');
      var a = document.createElement('a');
      a.href = n.link;
      a.textContent = 'Open';
      open.appendChild(a);
      li.appendChild(open);
    }
    list.insertBefore(li, list.firstChild);
    var none = document.getElementById('no-notifications');
    if (none) { none.hidden = true; }
  }

  window.partnerAccessListen(badge, function (msg) {
    if (msg.type === 'notification' && msg.notification) {
      arrived(msg.notification);
    }
  }, [4401, 4403, 1008]);
})();
