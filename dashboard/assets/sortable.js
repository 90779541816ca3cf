/* Sort tables with class "sortable" by clicking (or pressing Enter/Space on) a column's header
   button. Numbers sort by the cell's data-sort value. Served locally from assets/. */
(function () {
  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) { return ""; }
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { return cell.textContent.trim().toLowerCase(); }
    var number = parseFloat(raw);
    return isNaN(number) ? raw.toLowerCase() : number;
  }
  function sortBy(button) {
    var th = button.closest("th");
    var table = th.closest("table");
    var headers = Array.prototype.slice.call(th.parentNode.children);
    var index = headers.indexOf(th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { if (h.hasAttribute("aria-sort")) { h.setAttribute("aria-sort", "none"); } });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      if (x === y) { return 0; }
      if (x === "" || x === null) { return 1; }
      if (y === "" || y === null) { return -1; }
      var order = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "nl");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("table.sortable .sort-button");
    if (button) { sortBy(button); }
  });
})();
