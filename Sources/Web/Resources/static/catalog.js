// Catalog filters: difficulty buttons and a topic select, applied to the cards in place.
(function () {
  var difficulty = 'all';
  var tag = '';
  function apply() {
    document.querySelectorAll('a.card').forEach(function (card) {
      var okDifficulty = difficulty === 'all' || card.dataset.difficulty === difficulty;
      var okTag = !tag || (' ' + card.dataset.tags + ' ').indexOf(' ' + tag + ' ') >= 0;
      card.classList.toggle('hidden', !(okDifficulty && okTag));
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
  var select = document.getElementById('tag-filter');
  if (select) select.addEventListener('change', function () { tag = select.value; apply(); });
})();
