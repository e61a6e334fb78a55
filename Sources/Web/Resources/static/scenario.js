// Start a session; if one is already live, offer to resume it or end it first.
(function () {
  var slug = document.querySelector('article.scenario').dataset.slug;
  var startButton = document.getElementById('start-btn');
  var errorBox = document.getElementById('start-error');
  var conflict = document.getElementById('conflict');
  var other = null;
  // Started from a contest's page: the session counts for that contest.
  var contest = new URLSearchParams(location.search).get('contest');

  function start() {
    errorBox.textContent = '';
    startButton.disabled = true;
    fetch('/api/sessions', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(contest ? { scenario: slug, contest: contest } : { scenario: slug })
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      startButton.disabled = false;
      if (res.status === 202) { location.href = '/sessions/' + res.body.id; return; }
      if (res.status === 409 && res.body.session) {
        other = res.body.session;
        conflict.hidden = false;
        return;
      }
      errorBox.textContent = res.body.error || 'Could not start.';
    }).catch(function () {
      startButton.disabled = false;
      errorBox.textContent = 'The server did not answer; try again.';
    });
  }

  startButton.addEventListener('click', start);
  document.getElementById('resume-btn').addEventListener('click', function () {
    if (other) location.href = '/sessions/' + other;
  });
  document.getElementById('end-other-btn').addEventListener('click', function () {
    if (!other) return;
    fetch('/api/sessions/' + other, { method: 'DELETE', credentials: 'same-origin' }).then(function () {
      conflict.hidden = true;
      start();
    });
  });
})();
