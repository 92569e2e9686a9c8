// Offline search over window.provplanIndex (assets/search-index.js). Thai is written without
// spaces between words, so a query matches any substring of the normalised text. Results are
// built with textContent: plan text never becomes markup.
(function () {
  "use strict";
  var index = window.provplanIndex;
  var LIMIT = 200;
  function normal(text) {
    return text.normalize("NFC").toLowerCase().replace(/[\s\u200b-\u200d\ufeff]+/g, "");
  }
  var entries = [];
  index.owners.forEach(function (o) {
    entries.push({ kind: "จังหวัด/กลุ่มจังหวัด", title: o[0], detail: "", href: o[1] });
  });
  index.issues.forEach(function (i) {
    var owner = index.owners[i[0]];
    entries.push({ kind: "ประเด็นยุทธศาสตร์", title: i[1] + " " + i[2], detail: owner[0],
                   href: owner[1] + "#issue-" + i[1] });
  });
  // owners, issues and agencies before projects: the few broad results first
  var agencyOwners = {};
  var projects = [];
  index.projects.forEach(function (p) {
    var plan = index.plans[p[0]];
    var owner = index.owners[plan[0]];
    var agency = index.agencies[p[3]];
    projects.push({ kind: "โครงการ", title: p[1] + " " + p[2], detail: owner[0] + " · " + agency,
                    href: plan[1] + p[1] + ".html" });
    var key = p[3] + "|" + plan[0];
    if (!agencyOwners[key]) {
      agencyOwners[key] = true;
      entries.push({ kind: "หน่วยงาน", title: agency, detail: owner[0], href: owner[1] + "#projects" });
    }
  });
  entries = entries.concat(projects);
  entries.forEach(function (e) { e.text = normal(e.title + " " + e.detail); });

  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var list = document.getElementById("results");
  function show() {
    var query = normal(input.value);
    list.textContent = "";
    if (!query) { status.textContent = "พิมพ์คำที่ต้องการค้นหา"; return; }
    var found = entries.filter(function (e) { return e.text.indexOf(query) !== -1; });
    status.textContent = "พบ " + found.length.toLocaleString("en-US") + " รายการ" +
      (found.length > LIMIT ? " (แสดง " + LIMIT + " รายการแรก)" : "");
    found.slice(0, LIMIT).forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e.href;
      link.textContent = e.title;
      var kind = document.createElement("div");
      kind.className = "kind";
      kind.textContent = e.kind + (e.detail ? " · " + e.detail : "");
      item.appendChild(link);
      item.appendChild(kind);
      list.appendChild(item);
    });
  }
  input.addEventListener("input", show);
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; }
  show();
})();
