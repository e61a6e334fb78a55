// The interviews page: create an interview (JSON API), then show its invite and observer links.
(function () {
  var form = document.getElementById('interview-form');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var scenarios = ['s1', 's2', 's3'].map(function (n) { return form.elements[n].value; }).filter(Boolean);
    var body = {
      scenarios: scenarios,
      time_limit_seconds: Math.round(Number(form.elements.minutes.value) * 60),
      clues_allowed: form.elements.clues.checked,
      note: form.elements.note.value
    };
    fetch('/api/interviews', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); })
      .then(function (res) {
        var error = document.getElementById('form-error');
        if (res.status !== 201) { error.hidden = false; error.textContent = res.body.error || 'Could not create the interview.'; return; }
        error.hidden = true;
        document.getElementById('created').hidden = false;
        document.getElementById('invite-url').value = res.body.invite_url;
        document.getElementById('observer-url').value = res.body.observer_url;
        document.getElementById('watch-link').href = '/interviews/' + res.body.id;
      });
  });
  Array.prototype.forEach.call(document.querySelectorAll('.link-box'), function (box) {
    box.addEventListener('focus', function () { box.select(); });
  });
})();
