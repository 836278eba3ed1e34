"""The explorer's HTML, CSS and JavaScript (filled in by :func:`visualize.explorer.render_explorer`).

Every text that comes from a document reaches the page through ``textContent`` (or vis-network's
canvas labels and ``innerText`` tooltips); ``innerHTML`` is never used. Placeholders: ``@@TITLE@@``
(HTML-escaped), ``@@VIS_CSS@@``, ``@@VIS_JS@@`` (the vendored vis-network build) and ``@@DATA@@``
(:func:`visualize.views.safe_json`).
"""

PAGE = r"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>@@VIS_CSS@@</style>
<style>
* { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; display: flex; flex-direction: column; font: 13px/1.45 "Noto Sans CJK JP", "IPAGothic", "Hiragino Sans", "Yu Gothic", sans-serif; color: #222; }
header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 6px 10px; border-bottom: 1px solid #ddd; background: #fafafa; }
header h1 { font-size: 16px; margin: 0 10px 0 0; }
header label { font-size: 12px; color: #444; }
#search { width: 280px; font-size: 14px; padding: 4px 6px; }
select { font-size: 12px; max-width: 220px; }
main { flex: 1; min-height: 0; display: grid; grid-template-columns: 280px 1fr 440px; }
#results { overflow-y: auto; border-right: 1px solid #ddd; margin: 0; padding: 0; list-style: none; }
#results li button { display: block; width: 100%; text-align: left; border: 0; border-bottom: 1px solid #eee; background: #fff; padding: 5px 8px; cursor: pointer; font: inherit; }
#results li button:hover, #results li button.current { background: #eef5ff; }
#results .kind { display: block; font-size: 11px; color: #666; }
#results .swatch, .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; vertical-align: baseline; }
#results .count { padding: 5px 8px; color: #666; font-size: 12px; }
#ego { position: relative; border-right: 1px solid #ddd; }
#ego-empty { position: absolute; top: 40%; width: 100%; text-align: center; color: #888; }
#legend { position: absolute; left: 6px; bottom: 6px; background: rgba(255,255,255,.9); border: 1px solid #ddd; padding: 4px 8px; font-size: 11px; z-index: 3; }
#legend .line { display: inline-block; width: 22px; margin-right: 5px; vertical-align: middle; border-top: 3px solid #888; }
#detail { overflow-y: auto; padding: 8px 12px; }
#detail h2 { font-size: 16px; margin: 4px 0; }
#detail h3 { font-size: 13px; margin: 14px 0 4px; border-bottom: 1px solid #ddd; }
#detail .meta { color: #555; font-size: 12px; }
#detail table { border-collapse: collapse; width: 100%; font-size: 12px; }
#detail th, #detail td { border-bottom: 1px solid #eee; padding: 2px 4px; text-align: left; vertical-align: top; }
#detail td.num, #detail th.num { text-align: right; white-space: nowrap; }
#detail tr.current td { background: #fff7d6; }
#detail .empty { color: #888; }
#detail a { color: #1a55b0; text-decoration: none; }
#detail a:hover { text-decoration: underline; }
.inferred { color: #b14a00; }
#detail span.doc { display: block; font-size: 11px; color: #777; }
</style>
<script>@@VIS_JS@@</script>
</head>
<body>
<header>
  <h1>@@TITLE@@</h1>
  <input id="search" type="search" placeholder="検索 search: 事業・施策・SDG 8・団体…" autocomplete="off">
  <label>文書 document <select id="f-doc"><option value="">all</option></select></label>
  <label>年度 FY <select id="f-fy"><option value="">document's</option></select></label>
  <label>goal <select id="f-goal"><option value="">all</option></select></label>
  <label>SDG links <select id="f-src"><option value="">stated + inferred</option><option value="stated">stated (記載)</option><option value="inferred">inferred (推定)</option></select></label>
  <label>depth <select id="f-depth"><option value="1">1</option><option value="2">2</option></select></label>
</header>
<main>
  <ul id="results"></ul>
  <div id="ego"><div id="ego-empty">検索して選ぶ — search and select an entity</div><div id="legend"></div></div>
  <section id="detail"><p class="empty">Nothing selected.</p></section>
</main>
<script type="application/json" id="explorer-data">@@DATA@@</script>
<script>
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("explorer-data").textContent);
  var E = D.entities, N = E.length;
  var $ = function (id) { return document.getElementById(id); };
  var MAX_RESULTS = 60, MAX_EGO = 160;

  // ---- helpers: every text goes through textContent ----
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function yen(v) {
    if (v === null || v === undefined || v === "") { return "－"; }
    return Number(v).toLocaleString("ja-JP") + " 円";
  }
  function norm(s) { return String(s || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
  function typeName(t) { return (D.types[t] || { name: t }).name; }
  function colour(t) { return (D.types[t] || { colour: "#999" }).colour; }

  // ---- indexes ----
  var out = [], inn = [];
  for (var i = 0; i < N; i++) { out.push([]); inn.push([]); }
  D.edges.forEach(function (e) { out[e[0]].push(e); inn[e[1]].push(e); });
  var linksOf = {};
  D.links.forEach(function (l) {
    (linksOf[l.project] = linksOf[l.project] || []).push(l);
    (linksOf["t" + l.target] = linksOf["t" + l.target] || []).push(l);
  });
  var indicatorsOf = {};
  D.indicators.forEach(function (ind) { (indicatorsOf[ind.owner] = indicatorsOf[ind.owner] || []).push(ind); });
  var haystack = E.map(function (e) { return norm([e.label, e.en, e.code, e.keys, e.file].concat(e.alt || []).join(" | ")); });
  var TYPE_RANK = { sdg_goal: 0, sdg_target: 1, measure: 2, policy_field: 3, project: 4, department: 5, organisation: 6, part: 7, document: 8 };

  // ---- state (mirrored in the URL hash) ----
  var state = { q: "", id: "", doc: "", fy: "", goal: "", src: "", depth: "1" };
  function readHash() {
    var h = location.hash.replace(/^#/, "");
    var next = { q: "", id: "", doc: "", fy: "", goal: "", src: "", depth: "1" };
    h.split("&").forEach(function (part) {
      if (!part) { return; }
      var kv = part.split("="), k = decodeURIComponent(kv[0]), v = decodeURIComponent((kv[1] || "").replace(/\+/g, " "));
      if (k in next) { next[k] = v; }
    });
    return next;
  }
  function writeHash(replace) {
    var parts = [];
    Object.keys(state).forEach(function (k) {
      if (state[k] !== "" && !(k === "depth" && state[k] === "1")) { parts.push(k + "=" + encodeURIComponent(state[k])); }
    });
    var h = "#" + parts.join("&");
    if (h === location.hash) { return; }
    if (replace) { history.replaceState(null, "", h); } else { location.hash = h; }
  }
  function entityId(e) { return e.iri; }
  var byIri = {};
  E.forEach(function (e, i) { byIri[e.iri] = i; });

  // ---- filters ----
  function passesDoc(i) {
    if (state.doc === "") { return true; }
    var e = E[i], d = Number(state.doc);
    if (e.doc === d) { return true; }
    return (e.docs || []).indexOf(d) >= 0;
  }
  function goalsOf(i) {
    var g = E[i].goals;
    if (!g) { return []; }
    if (state.src === "stated") { return g.s; }
    if (state.src === "inferred") { return g.i; }
    return g.s.concat(g.i);
  }
  function passesGoal(i) { return state.goal === "" || goalsOf(i).indexOf(state.goal) >= 0; }
  function passesLink(l) { return state.src === "" || l.source === state.src; }
  function passes(i) { return passesDoc(i) && passesGoal(i); }

  // ---- search ----
  function search(q) {
    var nq = norm(q), hits = [];
    if (!nq) { return []; }
    var terms = nq.split(" ");
    for (var i = 0; i < N; i++) {
      if (!passes(i)) { continue; }
      var h = haystack[i], ok = true;
      for (var t = 0; t < terms.length; t++) { if (h.indexOf(terms[t]) < 0) { ok = false; break; } }
      if (!ok) { continue; }
      var e = E[i], label = norm(e.label), score = 3;
      if (e.code !== undefined && (norm(e.code) === nq || ("goal " + e.code) === nq || ("sdg " + e.code) === nq)) { score = 0; }
      else if (label === nq) { score = 1; }
      else if (label.indexOf(nq) === 0) { score = 2; }
      hits.push([score, TYPE_RANK[e.type] === undefined ? 9 : TYPE_RANK[e.type], label.length, i]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]; });
    return hits.map(function (h) { return h[3]; });
  }
  function showResults() {
    var list = $("results");
    list.textContent = "";
    var hits = search(state.q);
    if (state.q && !hits.length) { list.appendChild(el("li", { "class": "count" }, "no match")); }
    hits.slice(0, MAX_RESULTS).forEach(function (i) {
      var e = E[i], li = el("li"), b = el("button", { type: "button", "data-entity": e.iri });
      var sw = el("span", { "class": "swatch" });
      sw.style.background = colour(e.type);
      b.appendChild(sw);
      b.appendChild(document.createTextNode(e.label));
      var kind = typeName(e.type) + (e.doc !== undefined ? " · " + D.documents[e.doc].title : "");
      b.appendChild(el("span", { "class": "kind" }, kind));
      if (e.iri === state.id) { b.className = "current"; }
      b.addEventListener("click", function () { select(e.iri); });
      li.appendChild(b);
      list.appendChild(li);
    });
    if (hits.length > MAX_RESULTS) { list.appendChild(el("li", { "class": "count" }, hits.length + " matches; first " + MAX_RESULTS + " shown")); }
    document.body.setAttribute("data-results", String(hits.length));
  }

  // ---- budgets ----
  function docYear(i) {
    var e = E[i];
    return e.doc !== undefined ? D.documents[e.doc].fiscal_year : null;
  }
  // the fiscal year a project's budget is read for: the filter's, else its document's, else its latest
  function budgetOf(i) {
    var b = D.budgets[i];
    if (!b) { return null; }
    var year = state.fy || (docYear(i) !== null && docYear(i) !== undefined && String(docYear(i)) in b ? String(docYear(i)) : null);
    if (!year) { var ys = Object.keys(b).sort(); year = ys[ys.length - 1]; }
    return year in b ? { year: year, value: b[year] } : { year: year, value: null };
  }
  function partsOf(i) { return inn[i].filter(function (e) { return e[2] === "part_of" && E[e[0]].type === "part"; }).map(function (e) { return e[0]; }); }
  // a project's budget with its parts' (as the sdg_coverage query sums them)
  function projectBudget(i) {
    var own = budgetOf(i), total = null, year = own ? own.year : null;
    if (own && own.value !== null) { total = own.value; }
    partsOf(i).forEach(function (p) {
      var b = D.budgets[p];
      var y = year || budgetOf(p) && budgetOf(p).year;
      if (b && y && y in b) { total = (total || 0) + b[y]; year = y; }
    });
    return { year: year, value: total };
  }

  // ---- detail panel ----
  function table(headers, rows, numeric) {
    var t = el("table"), tr = el("tr");
    headers.forEach(function (h, k) { tr.appendChild(el("th", numeric && numeric[k] ? { "class": "num" } : null, h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el("tr");
      if (r.current) { row.className = "current"; }
      r.cells.forEach(function (c, k) {
        var td = el("td", numeric && numeric[k] ? { "class": "num" } : null);
        if (c && c.nodeType) { td.appendChild(c); } else { td.textContent = c === null || c === undefined ? "" : String(c); }
        row.appendChild(td);
      });
      t.appendChild(row);
    });
    return t;
  }
  function link(i) {
    var a = el("a", { href: "#", "data-entity": E[i].iri }, E[i].label);
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(E[i].iri); });
    return a;
  }
  function section(parent, title, id) {
    var h = el("h3", null, title);
    parent.appendChild(h);
    var box = el("div", { id: id });
    parent.appendChild(box);
    return box;
  }
  function linkedProjects(i) {
    // projects served by a goal / target, or below a measure / field, or run / supported by an organisation
    var e = E[i], rows = [];
    function viaTarget(t) {
      (linksOf["t" + t] || []).filter(passesLink).forEach(function (l) { if (passesDoc(l.project)) { rows.push({ p: l.project, via: l }); } });
    }
    if (e.type === "sdg_goal") { out[i].forEach(function (ed) { if (ed[2] === "has_target") { viaTarget(ed[1]); } }); }
    else if (e.type === "sdg_target") { viaTarget(i); }
    else if (e.type === "measure" || e.type === "policy_field" || e.type === "document") {
      var seen = {}, stack = [i];
      while (stack.length) {
        var n = stack.pop();
        inn[n].forEach(function (ed) {
          if ((ed[2] === "part_of" || ed[2] === "in_document") && !seen[ed[0]]) {
            seen[ed[0]] = true;
            stack.push(ed[0]);
            if (E[ed[0]].type === "project" && passes(ed[0])) { rows.push({ p: ed[0] }); }
          }
        });
      }
    } else if (e.type === "department" || e.type === "organisation") {
      out[i].forEach(function (ed) { if ((ed[2] === "responsible_for" || ed[2] === "partner_of") && E[ed[1]].type === "project" && passes(ed[1])) { rows.push({ p: ed[1] }); } });
    }
    return rows;
  }
  function showDetail(i) {
    var box = $("detail"), e = E[i];
    box.textContent = "";
    document.body.setAttribute("data-selected", e.iri);
    var h = el("h2", { id: "detail-title" });
    var sw = el("span", { "class": "swatch" });
    sw.style.background = colour(e.type);
    h.appendChild(sw);
    h.appendChild(document.createTextNode(e.label));
    box.appendChild(h);
    var meta = [typeName(e.type)];
    if (e.en) { meta.push(e.en); }
    if (e.alt) { meta.push("also " + e.alt.join(" / ")); }
    if (e.doc !== undefined) { meta.push(D.documents[e.doc].title + " (" + D.documents[e.doc].file + ")"); }
    if (e.status) { meta.push("方向性 " + e.status); }
    if (e.source) { meta.push("source " + e.source); }
    box.appendChild(el("p", { "class": "meta" }, meta.join(" · ")));

    // budget by fiscal year
    var budget = section(box, "予算 budget by fiscal year (total cost)", "budget");
    var b = D.budgets[i], years = b ? Object.keys(b).sort() : [];
    var parts = partsOf(i);
    if (years.length || parts.length) {
      var allYears = {};
      years.forEach(function (y) { allYears[y] = true; });
      parts.forEach(function (p) { Object.keys(D.budgets[p] || {}).forEach(function (y) { allYears[y] = true; }); });
      var chosen = budgetOf(i) || projectBudget(i);
      var rows = Object.keys(allYears).sort().map(function (y) {
        var partSum = null;
        parts.forEach(function (p) { if (D.budgets[p] && y in D.budgets[p]) { partSum = (partSum || 0) + D.budgets[p][y]; } });
        return { current: chosen && chosen.year === y, cells: ["FY" + y, b && y in b ? yen(b[y]) : "－", parts.length ? yen(partSum) : ""] };
      });
      budget.appendChild(table(["fiscal year", "own total", parts.length ? "parts (内訳)" : ""], rows, [false, true, true]));
    } else { budget.appendChild(el("p", { "class": "empty" }, "no budget line of its own")); }

    // indicators: target vs actual
    var inds = indicatorsOf[i] || [];
    var ibox = section(box, "指標 indicators (target vs actual)", "indicators");
    if (inds.length) {
      var irows = [];
      inds.forEach(function (ind) {
        var byYear = {};
        ind.values.forEach(function (v) {
          var y = v.fy || "－", r = byYear[y] = byYear[y] || {};
          var text = v.value !== "" ? v.value : v.printed;
          r[v.role] = r[v.role] ? r[v.role] + " / " + text : text;
        });
        Object.keys(byYear).sort().forEach(function (y) {
          var r = byYear[y];
          irows.push({ current: state.fy && y === state.fy, cells: [ind.label + (ind.unit ? " (" + ind.unit + ")" : ""), y,
            r.target || r.plan || r.final_target || "", r.actual || "", r.baseline || ""] });
        });
      });
      ibox.appendChild(table(["indicator", "FY", "target / plan", "actual", "baseline"], irows, [false, false, true, true, true]));
    } else { ibox.appendChild(el("p", { "class": "empty" }, "no indicator")); }

    // SDG links of a project
    if (e.type === "project" || e.type === "part") {
      var sbox = section(box, "SDG links", "sdg");
      var ls = (linksOf[i] || []).filter(passesLink);
      if (ls.length) {
        sbox.appendChild(table(["target", "link", "score", "reason"], ls.map(function (l) {
          var kind = l.source === "stated" ? "stated (記載)" : "inferred (推定)" + (l.method ? " · " + l.method : "") + (l.rank ? " · rank " + l.rank : "");
          return { cells: [link(l.target), kind, l.score === null || l.score === undefined ? "" : Number(l.score).toFixed(2), l.reason || ""] };
        })));
      } else { sbox.appendChild(el("p", { "class": "empty" }, "no SDG link" + (state.src ? " (" + state.src + ")" : ""))); }
    }

    // projects linked to a goal / target / measure / organisation, with their budgets
    if (["sdg_goal", "sdg_target", "measure", "policy_field", "department", "organisation", "document"].indexOf(e.type) >= 0) {
      var pbox = section(box, "事業 projects", "projects");
      var prs = linkedProjects(i), total = 0, seen = {};
      if (prs.length) {
        pbox.appendChild(table(["project", "target", "link", "FY", "budget"], prs.map(function (r) {
          var pb = projectBudget(r.p);
          var key = r.p + "/" + (r.via ? r.via.source : "");
          if (!seen[r.p] && (!r.via || r.via.source === "stated") && pb.value !== null) { total += pb.value; seen[r.p] = true; }
          var who = el("span"), doc = E[r.p].doc;
          who.appendChild(link(r.p));
          if (doc !== undefined && e.type !== "document") { who.appendChild(el("span", { "class": "doc" }, D.documents[doc].title)); }
          return { cells: [who, r.via ? E[r.via.target].code : "", r.via ? r.via.source : "", pb.year ? "FY" + pb.year : "", yen(pb.value)] };
        }), [false, false, false, false, true]));
        pbox.appendChild(el("p", { "class": "meta", id: "projects-total" },
          prs.length + " rows · " + Object.keys(seen).length + " projects counted · total " + yen(total) +
          (e.type === "sdg_goal" || e.type === "sdg_target" ? " (stated links only; each project once)" : "")));
      } else { pbox.appendChild(el("p", { "class": "empty" }, "no project under the current filters")); }
    }

    // neighbours
    var nbox = section(box, "つながり neighbours", "neighbours");
    var ul = el("ul");
    neighbours(i).forEach(function (nb) {
      var li = el("li");
      li.appendChild(el("span", { "class": nb.link === "inferred" ? "inferred" : "" }, nb.kind + (nb.link ? " (" + nb.link + ")" : "") + ": "));
      li.appendChild(link(nb.n));
      ul.appendChild(li);
    });
    nbox.appendChild(ul);
  }
  var KIND_NAME = { part_of: "part of", in_document: "document", has_target: "target", sdg_link: "SDG", responsible_for: "responsible", unit_of: "unit of", partner_of: "partner" };
  var KIND_BACK = { part_of: "contains", in_document: "in this document", has_target: "goal", sdg_link: "SDG target", responsible_for: "responsible", unit_of: "division", partner_of: "partner" };
  function edgeOk(ed) { return ed[2] !== "sdg_link" || state.src === "" || ed[3] === state.src; }
  function neighbours(i) {
    var list = [];
    out[i].forEach(function (ed) { if (edgeOk(ed) && passes(ed[1])) { list.push({ n: ed[1], kind: KIND_NAME[ed[2]] || ed[2], link: ed[3] }); } });
    inn[i].forEach(function (ed) { if (edgeOk(ed) && passes(ed[0])) { list.push({ n: ed[0], kind: KIND_BACK[ed[2]] || ed[2], link: ed[3] }); } });
    return list;
  }

  // ---- ego network ----
  var network = null;
  function showEgo(i) {
    var depth = Number(state.depth) || 1, level = {}, order = [i], edgesOut = [], seenEdge = {};
    level[i] = 0;
    for (var k = 0; k < order.length; k++) {
      var n = order[k];
      if (level[n] >= depth) { continue; }
      var adj = out[n].map(function (ed) { return [ed, ed[1]]; }).concat(inn[n].map(function (ed) { return [ed, ed[0]]; }));
      for (var a = 0; a < adj.length; a++) {
        var ed = adj[a][0], m = adj[a][1];
        if (!edgeOk(ed) || !passes(m)) { continue; }
        if (!(m in level)) {
          if (order.length >= MAX_EGO) { continue; }
          level[m] = level[n] + 1;
          order.push(m);
        }
        var key = ed.join("/");
        if (!seenEdge[key]) { seenEdge[key] = true; edgesOut.push(ed); }
      }
    }
    var nodes = order.map(function (n) {
      var e = E[n];
      return { id: n, label: e.label.length > 40 ? e.label.slice(0, 39) + "…" : e.label, title: e.label + "\n" + typeName(e.type),
               level: level[n], shape: "box", color: { background: n === i ? "#ffe27a" : "#ffffff", border: colour(e.type) },
               borderWidth: n === i ? 3 : 2, font: { color: "#222" } };
    });
    // the tallest box sets the spacing of a level, so no two boxes of a level touch
    var lines = nodes.map(function (n) {
      return n.label.split("\n").reduce(function (sum, part) {
        var width = 0;
        for (var c = 0; c < part.length; c++) { width += part.charCodeAt(c) > 0x2e80 ? 14 : 8.4; }
        return sum + Math.max(1, Math.ceil(width / 196));
      }, 0);
    });
    var spacing = 20 * Math.max.apply(null, lines) + 28;
    var edges = edgesOut.filter(function (ed) { return ed[0] in level && ed[1] in level; }).map(function (ed, k) {
      var kind = ed[2] === "sdg_link" ? ed[3] : "structure", st = D.edge_style[kind];
      return { id: k, from: ed[0], to: ed[1], color: st.colour, dashes: st.dashed, title: (KIND_NAME[ed[2]] || ed[2]) + (ed[3] ? " (" + ed[3] + ")" : "") };
    });
    $("ego-empty").style.display = "none";
    var container = $("ego");
    if (network) { network.destroy(); }
    var holder = $("ego-net") || el("div", { id: "ego-net" });
    holder.style.position = "absolute"; holder.style.top = "0"; holder.style.bottom = "0"; holder.style.left = "0"; holder.style.right = "0";
    container.appendChild(holder);
    network = new vis.Network(holder, { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }, {
      physics: false,
      layout: { hierarchical: { enabled: true, direction: "LR", levelSeparation: 280, nodeSpacing: spacing, treeSpacing: 80,
                                sortMethod: "directed", shakeTowards: "roots", parentCentralization: false } },
      nodes: { font: { size: 14, face: "Noto Sans CJK JP, IPAGothic, sans-serif" }, widthConstraint: { maximum: 200 }, margin: 6 },
      edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, smooth: false },
      interaction: { hover: true, tooltipDelay: 150 }
    });
    var phase = 0;
    network.on("afterDrawing", function () {
      if (phase === 0) { phase = 1; network.fit({ animation: false }); return; }  // measure at the fitted zoom
      if (phase > 1) { return; }
      phase = 2;
      var ids = nodes.map(function (n) { return n.id; }), boxes = ids.map(function (id) { return network.getBoundingBox(id); }), overlaps = 0, pairs = [];
      for (var p = 0; p < boxes.length; p++) {
        for (var q = p + 1; q < boxes.length; q++) {
          var A = boxes[p], B = boxes[q];
          if (A.left < B.right - 1 && B.left < A.right - 1 && A.top < B.bottom - 1 && B.top < A.bottom - 1) {
            overlaps++;
            if (pairs.length < 5) { pairs.push(E[ids[p]].label + " ~ " + E[ids[q]].label + " " + JSON.stringify([A, B])); }
          }
        }
      }
      container.setAttribute("data-nodes", String(ids.length));
      container.setAttribute("data-overlaps", String(overlaps));
      container.setAttribute("data-overlap-pairs", pairs.join(" | "));
      container.setAttribute("data-scale", network.getScale().toFixed(3));
    });
    network.on("doubleClick", function (params) { if (params.nodes.length) { select(E[params.nodes[0]].iri); } });
  }
  function showLegend() {
    var lg = $("legend");
    ["stated", "inferred", "structure"].forEach(function (k) {
      var st = D.edge_style[k], row = el("div"), line = el("span", { "class": "line", "data-link": k });
      line.style.borderTopColor = st.colour;
      line.style.borderTopStyle = st.dashed ? "dashed" : "solid";
      row.appendChild(line);
      row.appendChild(document.createTextNode(st.name));
      lg.appendChild(row);
    });
    lg.appendChild(el("div", null, "double-click a box to select it"));
  }

  // ---- wiring ----
  function select(iri) { state.id = iri; writeHash(false); }
  function apply() {
    state = readHash();
    $("search").value = state.q;
    $("f-doc").value = state.doc; $("f-fy").value = state.fy; $("f-goal").value = state.goal;
    $("f-src").value = state.src; $("f-depth").value = state.depth;
    showResults();
    var i = byIri[state.id];
    if (i !== undefined) { showDetail(i); showEgo(i); }
    document.body.setAttribute("data-ready", "true");
    if (!document.body.hasAttribute("data-ready-ms")) { document.body.setAttribute("data-ready-ms", performance.now().toFixed(0)); }
  }
  D.documents.forEach(function (d, k) { $("f-doc").appendChild(el("option", { value: String(k) }, d.title)); });
  D.fiscal_years.forEach(function (y) { $("f-fy").appendChild(el("option", { value: String(y) }, "FY" + y)); });
  E.forEach(function (e) { if (e.type === "sdg_goal") { $("f-goal").appendChild(el("option", { value: e.code }, e.label)); } });
  $("search").addEventListener("input", function () { state.q = this.value; writeHash(true); showResults(); });
  $("search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var first = search(state.q)[0]; if (first !== undefined) { select(E[first].iri); } }
  });
  [["f-doc", "doc"], ["f-fy", "fy"], ["f-goal", "goal"], ["f-src", "src"], ["f-depth", "depth"]].forEach(function (p) {
    $(p[0]).addEventListener("change", function () { state[p[1]] = this.value; writeHash(false); });
  });
  window.addEventListener("hashchange", apply);
  showLegend();
  apply();
  window.policyKgExplorer = { search: search, select: select, data: D };
})();
</script>
</body>
</html>
"""
