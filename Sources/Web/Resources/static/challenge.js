// A code challenge: the editor (a textarea with tab, unindent and auto-indent), the language
// picker with its starter, Submit, the verdict of each test as the judge pushes it (server-sent
// events), the history and the leaderboard.
(function () {
  var article = document.querySelector('article.challenge');
  var slug = article.dataset.slug;
  var contest = article.dataset.contest || null;
  var templates = JSON.parse(document.getElementById('templates').textContent || '{}');
  var editor = document.getElementById('source');
  var language = document.getElementById('language');
  var submitButton = document.getElementById('submit-btn');
  var errorBox = document.getElementById('submit-error');
  var INDENT = '    ';

  function draftKey() { return 'breakfix.draft.' + slug + '.' + language.value; }
  function loadDraft() {
    var saved = null;
    try { saved = localStorage.getItem(draftKey()); } catch (e) {}
    editor.value = saved !== null ? saved : (templates[language.value] || '');
  }
  function saveDraft() { try { localStorage.setItem(draftKey(), editor.value); } catch (e) {} }
  try {
    var lastLanguage = localStorage.getItem('breakfix.language');
    if (lastLanguage && templates[lastLanguage] !== undefined) language.value = lastLanguage;
  } catch (e) {}
  loadDraft();
  language.addEventListener('change', function () {
    try { localStorage.setItem('breakfix.language', language.value); } catch (e) {}
    loadDraft();
  });
  document.getElementById('reset-btn').addEventListener('click', function () {
    editor.value = templates[language.value] || '';
    saveDraft();
    editor.focus();
  });
  editor.addEventListener('input', saveDraft);

  // Editing keys. setRangeText keeps the browser's undo history working in Chromium and Firefox.
  editor.addEventListener('keydown', function (event) {
    var start = editor.selectionStart, end = editor.selectionEnd, text = editor.value;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
      return;
    }
    if (event.key === 'Tab') {
      event.preventDefault();
      var lineStart = text.lastIndexOf('\n', start - 1) + 1;
      if (start === end && !event.shiftKey) {
        editor.setRangeText(INDENT, start, end, 'end');
      } else {
        var block = text.slice(lineStart, end);
        var lines = block.split('\n');
        var changed = lines.map(function (line) {
          if (!event.shiftKey) return INDENT + line;
          var strip = line.match(/^( {1,4}|\t)/);
          return strip ? line.slice(strip[0].length) : line;
        }).join('\n');
        editor.setRangeText(changed, lineStart, end, 'select');
        if (start === end) editor.setSelectionRange(Math.max(lineStart, start + changed.length - block.length), Math.max(lineStart, start + changed.length - block.length));
      }
      saveDraft();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      var ls = text.lastIndexOf('\n', start - 1) + 1;
      var indent = text.slice(ls, start).match(/^[ \t]*/)[0];
      var before = text.slice(ls, start).trimEnd();
      if (/[{:(\[]$/.test(before)) indent += INDENT;
      editor.setRangeText('\n' + indent, start, end, 'end');
      saveDraft();
      return;
    }
    if (event.key === '}' && start === end) {
      var ls2 = text.lastIndexOf('\n', start - 1) + 1;
      var line = text.slice(ls2, start);
      if (/^[ \t]+$/.test(line)) {
        event.preventDefault();
        var trimmed = line.length >= INDENT.length ? line.slice(INDENT.length) : '';
        editor.setRangeText(trimmed + '}', ls2, start, 'end');
        saveDraft();
      }
    }
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function badge(verdict) { return el('span', 'verdict-badge v-' + verdict, verdict); }

  var names = {
    AC: 'Accepted', WA: 'Wrong answer', TLE: 'Time limit exceeded', MLE: 'Memory limit exceeded',
    RE: 'Runtime error', CE: 'Compilation error', OLE: 'Output limit exceeded', IE: 'Internal error (not your fault; try again)'
  };

  function render(s) {
    document.getElementById('result').hidden = false;
    var line = document.getElementById('verdict-line');
    line.textContent = '';
    line.dataset.state = s.state;
    line.dataset.verdict = s.verdict || '';
    if (s.state !== 'done') {
      line.appendChild(el('span', 'spinner'));
      line.appendChild(document.createTextNode(
        s.state === 'queued' ? ' Waiting for a judge…' : s.state === 'compiling' ? ' Compiling…' :
        ' Running test ' + Math.min(s.tests.length + 1, s.test_count) + ' of ' + s.test_count + '…'));
    } else {
      line.appendChild(badge(s.verdict));
      var text = ' ' + (names[s.verdict] || s.verdict);
      if (s.failed_test) text += ' on test ' + s.failed_test;
      if (s.verdict === 'AC') text += ': all ' + s.test_count + ' tests passed';
      else if (s.tests.length && s.verdict !== 'CE') {
        var passed = s.tests.filter(function (t) { return t.verdict === 'AC'; }).length;
        text += ' (' + passed + ' of ' + s.test_count + ' tests passed)';
      }
      line.appendChild(document.createTextNode(text));
    }
    var done = s.state === 'done' ? s.test_count : s.tests.length;
    document.getElementById('judge-progress').style.width = (s.test_count ? Math.round(100 * done / s.test_count) : 0) + '%';
    var compile = document.getElementById('compile-output');
    compile.hidden = !s.compile_output;
    compile.textContent = s.compile_output || '';
    var rows = document.getElementById('test-rows');
    rows.textContent = '';
    s.tests.forEach(function (t) {
      var tr = el('tr');
      tr.dataset.verdict = t.verdict;
      tr.appendChild(el('td', '', t.n));
      var v = el('td'); v.appendChild(badge(t.verdict)); tr.appendChild(v);
      tr.appendChild(el('td', '', t.cpu_ms + ' ms'));
      tr.appendChild(el('td', '', t.wall_ms + ' ms'));
      tr.appendChild(el('td', '', t.memory_kb + ' KiB'));
      tr.appendChild(el('td', 'muted', t.detail || ''));
      rows.appendChild(tr);
    });
  }

  function watch(id) {
    var source = new EventSource('/api/submissions/' + id + '/events');
    source.onmessage = function (event) {
      var s = JSON.parse(event.data);
      render(s);
      if (s.state === 'done') {
        source.close();
        submitButton.disabled = false;
        loadHistory();
        loadBoard();
      }
    };
    source.onerror = function () {
      source.close();
      fetch('/api/submissions/' + id, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
        render(s);
        if (s.state !== 'done') setTimeout(function () { watch(id); }, 1000); else submitButton.disabled = false;
      }).catch(function () { submitButton.disabled = false; });
    };
  }

  function submit() {
    if (submitButton.disabled) return;
    errorBox.textContent = '';
    submitButton.disabled = true;
    var body = { language: language.value, source: editor.value };
    if (contest) body.contest = contest;
    fetch('/api/challenges/' + encodeURIComponent(slug) + '/submissions', {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (b) { return { status: r.status, body: b }; });
    }).then(function (res) {
      if (res.status !== 202) {
        submitButton.disabled = false;
        errorBox.textContent = res.body.error || 'The submission was refused.';
        return;
      }
      render({ id: res.body.id, state: 'queued', tests: [], test_count: 0 });
      watch(res.body.id);
      loadHistory();
    }).catch(function () {
      submitButton.disabled = false;
      errorBox.textContent = 'The server did not answer; try again.';
    });
  }
  submitButton.addEventListener('click', submit);

  function loadHistory() {
    fetch('/api/challenges/' + encodeURIComponent(slug) + '/submissions', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); }).then(function (list) {
        var rows = document.getElementById('history-rows');
        if (!list.length) return;
        rows.textContent = '';
        list.forEach(function (s) {
          var tr = el('tr');
          tr.appendChild(el('td', '', new Date(s.created_at).toLocaleString()));
          tr.appendChild(el('td', '', s.language));
          var v = el('td');
          if (s.verdict) v.appendChild(badge(s.verdict)); else v.textContent = s.state;
          if (s.failed_test) v.appendChild(document.createTextNode(' test ' + s.failed_test));
          tr.appendChild(v);
          var passed = s.tests.filter(function (t) { return t.verdict === 'AC'; }).length;
          tr.appendChild(el('td', '', passed + '/' + s.test_count));
          var link = el('td'); var a = el('a', '', 'source and timings'); a.href = '/submissions/' + s.id; link.appendChild(a);
          tr.appendChild(link);
          rows.appendChild(tr);
        });
      }).catch(function () {});
  }

  function duration(seconds) {
    if (seconds >= 3600) return Math.floor(seconds / 3600) + 'h' + String(Math.floor(seconds % 3600 / 60)).padStart(2, '0') + 'm';
    return Math.floor(seconds / 60) + 'm' + String(seconds % 60).padStart(2, '0') + 's';
  }

  function loadBoard() {
    fetch('/api/challenges/' + encodeURIComponent(slug) + '/leaderboard').then(function (r) { return r.json(); }).then(function (list) {
      var rows = document.getElementById('board-rows');
      if (!list.length) return;
      rows.textContent = '';
      list.forEach(function (row) {
        var tr = el('tr');
        [row.rank, row.username, duration(row.solve_seconds), row.attempts, row.language].forEach(function (v) { tr.appendChild(el('td', '', v)); });
        rows.appendChild(tr);
      });
    }).catch(function () {});
  }
  loadHistory();
  loadBoard();
})();
