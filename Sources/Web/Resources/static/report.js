// The report page: a print button (the page has print styles).
document.getElementById('print-btn').addEventListener('click', function () { window.print(); });
