// The replay page: plays a session's asciicast v2 recording with xterm.js — play/pause, speed,
// seek, and a timeline with the check attempts (OK/NO) and clue reveals marked. Idle gaps longer
// than IDLE seconds are shortened to IDLE, as asciinema's idle_time_limit does.
(function () {
  var IDLE = 2;
  var root = document.querySelector('.replay');
  var id = root.dataset.sessionId;
  var key = root.dataset.key;
  var url = '/api/sessions/' + id + '/recording' + (key ? '?key=' + encodeURIComponent(key) : '');
  var term, header, events = [], markers = [], duration = 0;
  var position = 0, index = 0, playing = false, speed = 1, last = 0;

  function $(sel) { return document.querySelector(sel); }
  function fmt(t) { t = Math.floor(t); return Math.floor(t / 60) + ':' + ('0' + t % 60).slice(-2); }

  function parse(text) {
    var lines = text.split('\n').filter(function (l) { return l.trim() !== ''; });
    header = JSON.parse(lines[0]);
    var previous = 0, shifted = 0;
    for (var i = 1; i < lines.length; i++) {
      var e;
      try { e = JSON.parse(lines[i]); } catch (err) { continue; }  // a cut last line
      if (!Array.isArray(e) || e.length !== 3) continue;
      var gap = Math.max(0, e[0] - previous);
      previous = e[0];
      shifted += Math.min(gap, IDLE);
      events.push({ t: shifted, code: e[1], data: e[2] });
      if (e[1] === 'm') markers.push({ t: shifted, label: e[2] });
    }
    duration = events.length ? events[events.length - 1].t : 0;
  }

  function apply(e) {
    if (e.code === 'o') term.write(e.data);
    else if (e.code === 'r') {
      var m = /^(\d+)x(\d+)$/.exec(e.data);
      if (m) term.resize(Number(m[1]), Number(m[2]));
    }
  }

  function seek(t) {
    position = Math.max(0, Math.min(t, duration));
    term.reset();
    term.resize(header.width || 80, header.height || 24);
    var out = '';
    index = 0;
    while (index < events.length && events[index].t <= position) {
      var e = events[index];
      if (e.code === 'o') out += e.data;
      else if (e.code === 'r') { if (out) { term.write(out); out = ''; } apply(e); }
      index++;
    }
    if (out) term.write(out);
    show();
  }

  function show() {
    $('#clock').textContent = fmt(position) + ' / ' + fmt(duration);
    $('#seek').value = duration ? Math.round(position / duration * 1000) : 0;
  }

  function frame(now) {
    if (!playing) return;
    var dt = (now - last) / 1000;
    last = now;
    position += dt * speed;
    while (index < events.length && events[index].t <= position) { apply(events[index]); index++; }
    if (index >= events.length) { position = duration; playing = false; $('#play-btn').textContent = 'Play'; }
    show();
    if (playing) requestAnimationFrame(frame);
  }

  function play() {
    if (index >= events.length) seek(0);
    playing = true;
    $('#play-btn').textContent = 'Pause';
    last = performance.now();
    requestAnimationFrame(frame);
  }

  function pause() { playing = false; $('#play-btn').textContent = 'Play'; }

  function timeline() {
    var bar = $('#timeline');
    var list = $('#markers');
    markers.forEach(function (m) {
      var kind = /: OK$/.test(m.label) ? 'ok' : /: NO$|: ERROR$/.test(m.label) ? 'no' : 'clue';
      var tick = document.createElement('button');
      tick.className = 'tick ' + kind;
      tick.title = m.label + ' at ' + fmt(m.t);
      tick.style.left = (duration ? m.t / duration * 100 : 0) + '%';
      tick.addEventListener('click', function () { pause(); seek(m.t); });
      bar.appendChild(tick);
      var li = document.createElement('li');
      var jump = document.createElement('button');
      jump.className = 'link marker-jump ' + kind;
      jump.textContent = fmt(m.t) + ' ' + m.label;
      jump.addEventListener('click', function () { pause(); seek(m.t); });
      li.appendChild(jump);
      list.appendChild(li);
    });
  }

  $('#play-btn').addEventListener('click', function () { playing ? pause() : play(); });
  $('#speed').addEventListener('change', function () { speed = Number($('#speed').value); });
  $('#seek').addEventListener('input', function () { seek(Number($('#seek').value) / 1000 * duration); });
  $('#download').href = url;

  fetch(url, { credentials: 'same-origin' }).then(function (r) {
    if (!r.ok) return r.json().then(function (b) { throw new Error(b.error || 'No recording.'); });
    return r.text();
  }).then(function (text) {
    parse(text);
    term = new Terminal({ rendererType: 'dom', disableStdin: true, cols: header.width || 80, rows: header.height || 24,
      fontSize: 14, scrollback: 5000, theme: { background: '#0b0e14' } });
    term.open($('#terminal'));
    timeline();
    seek(0);
    root.dataset.loaded = 'true';
    window.breakfixReplay = { seek: seek, duration: function () { return duration; }, markers: markers };
  }).catch(function (err) {
    $('#replay-error').hidden = false;
    $('#replay-error').textContent = err.message;
  });
})();
