// The candidate's briefing page: Start (or start the next scenario) through the invite API.
(function () {
  var root = document.querySelector('.briefing');
  var button = document.getElementById('start-btn');
  var deadline = document.getElementById('deadline');
  if (deadline) deadline.textContent = new Date(deadline.getAttribute('datetime')).toLocaleTimeString();
  if (!button) return;
  button.addEventListener('click', function () {
    button.disabled = true;
    fetch('/api/invites/' + root.dataset.token + '/start', {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: '{}'
    }).then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); })
      .then(function (res) {
        if (res.status === 202) { location.href = '/sessions/' + res.body.id; return; }
        if (res.status === 409 && res.body.session) { location.href = '/sessions/' + res.body.session; return; }
        var error = document.getElementById('start-error');
        error.hidden = false;
        error.textContent = res.body.error || 'The interview could not start.';
        button.disabled = false;
      });
  });
})();
