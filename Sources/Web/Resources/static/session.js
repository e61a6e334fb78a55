// The session page: live progress (server-sent events), the terminal (xterm.js over a
// WebSocket that reconnects), Check, clues, the countdown, and End.
(function () {
  var root = document.querySelector('.session');
  var id = root.dataset.sessionId;
  var api = '/api/sessions/' + id;
  var phases = { queued: 5, provisioning: 15, creating: 25, booting: 55, preparing: 80, ready: 100 };
  var labels = {
    creating: 'Creating your sandbox…', booting: 'Booting the machine…',
    preparing: 'Breaking things for you…', ready: 'Ready.'
  };
  var state = null;
  var term = null, fit = null, socket = null, reconnectDelay = 500;
  var timerHandle = null;

  function $(sel) { return document.querySelector(sel); }

  function post(url) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: '{}' })
      .then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); });
  }

  function elapsed(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + 'm' + (s < 10 ? '0' : '') + s + 's';
  }

  function showProgress(s) {
    var key = s.state === 'provisioning' ? (s.phase || 'provisioning') : s.state;
    var pct = phases[key] || 5;
    $('#progress-bar').style.width = pct + '%';
    if (s.state === 'queued') {
      $('#progress-label').textContent = s.queue_position > 1
        ? 'Waiting in the queue: ' + (s.queue_position - 1) + ' ahead of you…' : 'Starting…';
    } else {
      $('#progress-label').textContent = labels[key] || 'Preparing…';
    }
  }

  function update(s) {
    state = s;
    var live = ['queued', 'provisioning', 'ready', 'solved'].indexOf(s.state) >= 0;
    if (s.state === 'queued' || s.state === 'provisioning') {
      $('#progress').hidden = false;
      showProgress(s);
      return;
    }
    $('#progress').hidden = true;
    if (live) {
      $('#check-btn').disabled = false;
      $('#clue-btn').disabled = (s.clues_revealed || []).length >= Number(root.dataset.clueCount);
      if (s.clues_allowed === false) $('#clue-btn').hidden = true;
      if (!term) openTerminal();
      startTimer(s.expires_at);
      if (s.solved_at && s.solve_seconds !== null && s.solve_seconds !== undefined) {
        showVerdict('ok', 'Solved in ' + elapsed(s.solve_seconds));
      }
    } else {
      ended(s);
    }
  }

  function ended(s) {
    $('#check-btn').disabled = true;
    $('#clue-btn').disabled = true;
    clearInterval(timerHandle);
    var box = $('#ended');
    box.hidden = false;
    box.innerHTML = '';
    var p = document.createElement('p');
    p.textContent = (s.reason || 'This session has ended.') + ' ';
    var a = document.createElement('a');
    a.href = '/sessions/' + id + '/results';
    a.textContent = 'See the results';
    p.appendChild(a);
    box.appendChild(p);
    if (socket) { socket.onclose = null; socket.close(); }
  }

  function startTimer(expiresAt) {
    if (!expiresAt || timerHandle) return;
    var end = Date.parse(expiresAt);
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      $('#timer').textContent = m + ':' + (s < 10 ? '0' : '') + s;
      $('#timer').classList.toggle('warning', left < 300);
      if (left === 0) refresh();
    }
    tick();
    timerHandle = setInterval(tick, 1000);
  }

  function refresh() {
    fetch(api, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(update);
  }

  function showVerdict(kind, text) {
    var v = $('#verdict');
    v.className = 'verdict ' + kind;
    v.textContent = text;
  }

  function openTerminal() {
    // The DOM renderer keeps the screen readable as text (tests, screen readers).
    term = new Terminal({ rendererType: 'dom', cursorBlink: true, fontSize: 14, scrollback: 5000,
      theme: { background: '#0b0e14' } });
    fit = new FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open($('#terminal'));
    fit.fit();
    term.onData(function (data) {
      if (socket && socket.readyState === 1) socket.send(new TextEncoder().encode(data));
    });
    window.addEventListener('resize', function () { fit.fit(); sendSize(); });
    connect();
    term.focus();
  }

  function sendSize() {
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows }));
    }
  }

  function connect() {
    var proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(proto + location.host + api + '/terminal');
    socket.binaryType = 'arraybuffer';
    socket.onopen = function () { reconnectDelay = 500; term.reset(); sendSize(); };
    socket.onmessage = function (event) {
      term.write(typeof event.data === 'string' ? event.data : new Uint8Array(event.data));
    };
    socket.onclose = function () {
      // A network blip or an exited shell: reconnect to the same session (a new shell if it exited).
      if (state && (state.state === 'ready' || state.state === 'solved')) {
        setTimeout(connect, reconnectDelay);
        reconnectDelay = Math.min(reconnectDelay * 2, 8000);
      }
    };
  }

  $('#check-btn').addEventListener('click', function () {
    var button = $('#check-btn');
    button.disabled = true;
    showVerdict('pending', 'Checking…');
    post(api + '/check').then(function (res) {
      button.disabled = false;
      if (res.status !== 200) { showVerdict('error', res.body.error || 'The check could not run.'); return; }
      var b = res.body;
      if (b.verdict === 'OK') {
        showVerdict('ok', 'Solved in ' + elapsed(b.solve_seconds || 0) + ' (attempt ' + b.attempt + ')');
      } else if (b.verdict === 'NO') {
        showVerdict('no', 'Not yet' + (b.message ? ': ' + b.message : '.') + ' (attempt ' + b.attempt + ')');
      } else {
        showVerdict('error', b.message || 'The check itself failed.');
      }
    }).catch(function () { button.disabled = false; showVerdict('error', 'The server did not answer; try again.'); });
  });

  $('#clue-btn').addEventListener('click', function () {
    post(api + '/clues').then(function (res) {
      if (res.status !== 200) { $('#clue-btn').disabled = true; return; }
      addClue(res.body.text);
      if ($('#clues').children.length >= Number(root.dataset.clueCount)) $('#clue-btn').disabled = true;
    });
  });

  function addClue(text) {
    var li = document.createElement('li');
    li.textContent = text;
    $('#clues').appendChild(li);
  }

  $('#end-btn').addEventListener('click', function () {
    if (!window.confirm('End this session? The sandbox will be removed.')) return;
    fetch(api, { method: 'DELETE', credentials: 'same-origin' }).then(function () {
      location.href = '/sessions/' + id + '/results';
    });
  });

  // Initial state (with clues already revealed), then live updates pushed by the server.
  fetch(api, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
    (s.clues_revealed || []).forEach(function (c) { addClue(c.text); });
    update(s);
    var events = new EventSource(api + '/events');
    events.onmessage = function (e) { update(JSON.parse(e.data)); };
  });
})();
