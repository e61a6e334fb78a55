// Creating a contest (admins): the form becomes POST /api/contests.
(function () {
  document.querySelectorAll('.when').forEach(function (n) { n.textContent = new Date(n.dataset.time).toLocaleString(); });
  var form = document.getElementById('contest-form');
  if (!form) return;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var items = data.getAll('item').map(function (v) { var i = v.indexOf(':'); return { kind: v.slice(0, i), slug: v.slice(i + 1) }; });
    var body = {
      title: data.get('title'), starts_at: new Date(data.get('starts_at')).toISOString(),
      ends_at: new Date(data.get('ends_at')).toISOString(), items: items, scoring: data.get('scoring'),
      freeze_minutes: parseInt(data.get('freeze_minutes') || '0', 10)
    };
    fetch('/api/contests', {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); }).then(function (res) {
      if (res.status === 201) location.href = '/contests/' + res.body.id;
      else document.getElementById('contest-error').textContent = res.body.error || 'Could not create it.';
    });
  });
})();
