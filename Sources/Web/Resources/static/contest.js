// A contest: join, a countdown, and the scoreboard pushed by the server as it changes.
(function () {
  var article = document.querySelector('article.contest');
  var id = article.dataset.id;
  var slugs = JSON.parse(document.getElementById('contest-slugs').textContent || '[]');
  document.querySelectorAll('.when').forEach(function (n) { n.textContent = new Date(n.dataset.time).toLocaleString(); });

  var join = document.getElementById('join-btn');
  if (join) join.addEventListener('click', function () {
    fetch('/api/contests/' + id + '/join', { method: 'POST', credentials: 'same-origin' }).then(function (r) {
      return r.json().then(function (b) { return { status: r.status, body: b }; });
    }).then(function (res) {
      if (res.status === 200) location.reload();
      else document.getElementById('join-error').textContent = res.body.error || 'Could not join.';
    });
  });

  var times = article.querySelectorAll('.when');
  var starts = new Date(times[0].dataset.time), ends = new Date(times[1].dataset.time);
  function tick() {
    var now = new Date(), node = document.getElementById('countdown');
    var target = now < starts ? starts : ends, label = now < starts ? 'starts in ' : 'ends in ';
    if (now > ends) { node.textContent = 'over'; return; }
    var s = Math.max(0, Math.round((target - now) / 1000));
    node.textContent = label + Math.floor(s / 3600) + 'h' + String(Math.floor(s % 3600 / 60)).padStart(2, '0') + 'm' + String(s % 60).padStart(2, '0') + 's';
  }
  tick();
  setInterval(tick, 1000);

  function cell(tag, text, cls) { var n = document.createElement(tag); n.textContent = text; if (cls) n.className = cls; return n; }
  function render(board) {
    document.getElementById('frozen').hidden = !board.frozen;
    var head = document.getElementById('board-head'), body = document.getElementById('board-body');
    head.textContent = ''; body.textContent = '';
    var hr = document.createElement('tr');
    ['#', 'Player', 'Solved', 'Penalty', 'Points'].concat(slugs).forEach(function (h) { hr.appendChild(cell('th', h)); });
    head.appendChild(hr);
    board.rows.forEach(function (row) {
      var tr = document.createElement('tr');
      tr.dataset.user = row.username;
      tr.appendChild(cell('td', row.rank));
      tr.appendChild(cell('td', row.username, 'name'));
      tr.appendChild(cell('td', row.solved));
      tr.appendChild(cell('td', row.penalty_minutes));
      tr.appendChild(cell('td', row.points));
      row.items.forEach(function (item) {
        var text = item.solved ? '+' + (item.attempts > 1 ? item.attempts - 1 : '') + ' ' + item.minutes + 'm' : item.attempts ? '−' + item.attempts : '';
        tr.appendChild(cell('td', text, item.solved ? 'solved' : item.attempts ? 'tried' : ''));
      });
      body.appendChild(tr);
    });
  }
  function connect() {
    var source = new EventSource('/api/contests/' + id + '/scoreboard/events');
    source.onmessage = function (event) { render(JSON.parse(event.data)); };
    source.onerror = function () { source.close(); setTimeout(connect, 2000); };
  }
  connect();
})();
