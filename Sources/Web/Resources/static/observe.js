// The live view of an interview: the candidate's terminal read-only (the server drops anything
// sent on an observer's socket), their check attempts and clue reveals as they happen, and the
// panel's private notes.
(function () {
  var root = document.querySelector('.observe');
  var id = root.dataset.interviewId;
  var key = root.dataset.key;
  var q = key ? '?key=' + encodeURIComponent(key) : '';
  var api = '/api/interviews/' + id;
  var term = null, fit = null, socket = null, watching = null;
  var seenEvents = {};

  function $(sel) { return document.querySelector(sel); }
  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }
  function clock(iso) { return new Date(iso).toLocaleTimeString(); }

  function ensureTerminal() {
    if (term) return;
    term = new Terminal({ rendererType: 'dom', disableStdin: true, fontSize: 14, scrollback: 5000,
      theme: { background: '#0b0e14' } });
    fit = new FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open($('#terminal'));
    fit.fit();
    window.addEventListener('resize', function () { fit.fit(); });
  }

  function watch(sessionID) {
    if (watching === sessionID) return;
    watching = sessionID;
    ensureTerminal();
    if (socket) { socket.onclose = null; socket.close(); }
    term.reset();
    var proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var url = proto + location.host + '/api/sessions/' + sessionID + '/terminal?mode=observe' + (key ? '&key=' + encodeURIComponent(key) : '');
    socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    socket.onmessage = function (event) {
      term.write(typeof event.data === 'string' ? event.data : new Uint8Array(event.data));
    };
    socket.onclose = function () {
      // The candidate's shell restarted or the network blinked: watch again on the next poll.
      if (watching === sessionID) watching = null;
    };
  }

  function render(iv) {
    var live = null;
    var list = $('#sessions');
    list.innerHTML = '';
    iv.sessions.forEach(function (s, i) {
      var li = text('li', s.title + ' — ' + (s.solved ? 'solved in ' + Math.floor(s.solve_seconds / 60) + 'm' + (s.solve_seconds % 60) + 's' : s.state) + ' ');
      var replay = document.createElement('a');
      replay.href = '/sessions/' + s.id + '/replay' + q;
      replay.textContent = 'replay';
      li.appendChild(replay);
      list.appendChild(li);
      if (['queued', 'provisioning', 'ready', 'solved'].indexOf(s.state) >= 0) live = s;
      s.attempts.forEach(function (a, n) {
        var k = s.id + ':a' + n;
        if (seenEvents[k]) return;
        seenEvents[k] = true;
        $('#events').appendChild(text('li', clock(a.at) + ' · ' + s.title + ': check ' + (n + 1) + ' → ' + a.verdict, a.verdict === 'OK' ? 'ok' : 'no'));
      });
      for (var c = 0; c < s.clues_used; c++) {
        var ck = s.id + ':c' + c;
        if (seenEvents[ck]) continue;
        seenEvents[ck] = true;
        $('#events').appendChild(text('li', s.title + ': clue ' + (c + 1) + ' opened', 'clue'));
      }
    });
    var notes = $('#notes');
    notes.innerHTML = '';
    iv.notes.forEach(function (n) { notes.appendChild(text('li', clock(n.at) + ' · ' + n.author + ': ' + n.text)); });
    if (!iv.candidate_started) {
      $('#status').textContent = 'Waiting for the candidate to start';
    } else if (iv.finished) {
      $('#status').textContent = 'Finished';
    } else if (iv.deadline) {
      var left = Math.max(0, Math.round((Date.parse(iv.deadline) - Date.now()) / 1000));
      $('#status').textContent = Math.floor(left / 60) + ':' + ('0' + left % 60).slice(-2) + ' left';
    }
    if (live && (live.state === 'ready' || live.state === 'solved')) watch(live.id);
    root.dataset.liveSession = live ? live.id : '';
  }

  function poll() {
    fetch(api + q, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (iv) { if (iv) render(iv); })
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }

  $('#note-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var value = $('#note-text').value.trim();
    if (!value) return;
    var body = { text: value };
    if (root.dataset.liveSession) body.session_id = root.dataset.liveSession;
    fetch(api + '/notes' + q, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (r) { if (r.status === 201) $('#note-text').value = ''; });
  });
  if (key) $('#report-link').href = '/interviews/' + id + '/report' + q;
  poll();
})();
