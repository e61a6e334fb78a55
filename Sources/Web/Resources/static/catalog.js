// Catalog filters: difficulty buttons and a topic select, applied to the cards in place.
(function () {
  var difficulty = 'all';
  var kind = 'all';
  var tag = '';
  function apply() {
    document.querySelectorAll('a.card').forEach(function (card) {
      var okDifficulty = difficulty === 'all' || card.dataset.difficulty === difficulty;
      var okTag = !tag || (' ' + card.dataset.tags + ' ').indexOf(' ' + tag + ' ') >= 0;
      var okKind = kind === 'all' || card.dataset.kind === kind;
      card.classList.toggle('hidden', !(okDifficulty && okTag && okKind));
    });
  }
  document.querySelectorAll('button.filter').forEach(function (button) {
    button.addEventListener('click', function () {
      document.querySelectorAll('button.filter').forEach(function (b) { b.classList.remove('active'); });
      button.classList.add('active');
      difficulty = button.dataset.difficulty;
      apply();
    });
  });
  document.querySelectorAll('button.kind-filter').forEach(function (button) {
    button.addEventListener('click', function () {
      document.querySelectorAll('button.kind-filter').forEach(function (b) { b.classList.remove('active'); });
      button.classList.add('active');
      kind = button.dataset.kind;
      apply();
    });
  });
  var select = document.getElementById('tag-filter');
  if (select) select.addEventListener('change', function () { tag = select.value; apply(); });
})();
