/* paperkg interactive graph page (handwritten, no framework).
 *
 * Safety rule: every string that comes from the graph (titles, labels, aliases,
 * abstracts, urls) is inserted with textContent / value / createElement only;
 * this file never assigns innerHTML and never builds event-handler attributes.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("paperkg-data").textContent);
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  var DIM_NODE = { background: "#eef1f5", border: "#dde2e8" };
  var DIM_FONT = "#c4cad3";
  var DIM_EDGE = "rgba(203, 213, 225, 0.25)";
  // vis-network draws a node's own label only from this many screen pixels up ...
  var LABEL_MIN_PX = 8;
  // ... below it, the first LANDMARKS entities (by paper count) that fit get a label of
  // LANDMARK_PX screen pixels, drawn by us, so the zoomed-out first view is readable.
  var LANDMARKS = 40;
  var LANDMARK_PX = 12;
  // Above this many edges, relation edges are drawn straight and solid: curves and dash
  // patterns double the cost of a frame on large graphs.
  var PLAIN_EDGES_ABOVE = 5000;
  var plainEdges = data.edges.length > PLAIN_EDGES_ABOVE;

  // ---------------------------------------------------------------- indexes
  var byId = new Map();
  var typeStyle = new Map();
  var relStyle = new Map();
  var neighbours = new Map();
  var edgesOf = new Map();
  data.types.forEach(function (t) { typeStyle.set(t.name, t); });
  data.relations.forEach(function (r) { relStyle.set(r.name, r); });
  data.nodes.forEach(function (n) {
    byId.set(n.id, n);
    neighbours.set(n.id, new Set());
    edgesOf.set(n.id, []);
  });
  data.edges.forEach(function (e) {
    neighbours.get(e.from).add(e.to);
    neighbours.get(e.to).add(e.from);
    edgesOf.get(e.from).push(e);
    edgesOf.get(e.to).push(e);
  });

  var legendButtons = new Map();
  var legendCounts = new Map();
  var communityButtons = [];
  var communityCounts = [];
  var state = {
    hiddenTypes: new Set(),
    hiddenRels: new Set(),
    hiddenComms: new Set(),
    minPc: Math.max(data.min_pc, data.start_pc || 0),
    colorBy: data.color_by === "community" ? "community" : "type",
    selected: null,
    relaxTimer: null,
    landmarks: []
  };

  // ---------------------------------------------------------------- DOM helpers
  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function isHttpUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url);
  }

  function externalLink(url, text) {
    var a = el("a", "pk-link", text);
    if (isHttpUrl(url)) {
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    return a;
  }

  function linkText(url) {
    var host = url.replace(/^https?:\/\//i, "").split(/[/?#]/)[0];
    return host + " \u2197";
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function fmt(n) { return Number(n).toLocaleString("en-US"); }

  function swatch(style, square) {
    var s = el("span", "pk-swatch" + (square ? " pk-square" : ""));
    s.style.backgroundColor = style.color;
    s.style.borderColor = style.border;
    return s;
  }

  function relLine(style) {
    var cls = "pk-line";
    if (style.dashes === "dotted") { cls += " pk-dotted"; } else if (style.dashes) { cls += " pk-dashed"; }
    var s = el("span", cls);
    s.style.borderTopColor = style.color;
    return s;
  }

  // ---------------------------------------------------------------- vis data
  function dashPattern(dashes) {
    if (dashes === "dotted") { return [2, 4]; }
    if (dashes) { return [7, 4]; }
    return false;
  }

  function baseNodeStyle(n) {
    var t = typeStyle.get(n.type) || typeStyle.get("Paper");
    if (state.colorBy === "community" && n.kind !== "paper" && data.communities[n.c]) {
      t = data.communities[n.c];
    }
    return {
      color: {
        background: t.color,
        border: t.border,
        highlight: { background: t.color, border: "#0f172a" },
        hover: { background: t.color, border: "#0f172a" }
      },
      font: { color: n.kind === "paper" ? "#64748b" : "#1f2937" },
      opacity: 1
    };
  }

  function visNode(n) {
    var style = baseNodeStyle(n);
    n._hidden = !nodePasses(n);
    return {
      id: n.id,
      hidden: n._hidden,
      label: n.label,
      title: n.tip,
      x: n.x,
      y: n.y,
      size: n.size,
      shape: n.kind === "paper" ? "square" : "dot",
      borderWidth: n.kind === "paper" ? 1 : 1.5,
      color: style.color,
      font: { size: n.font, face: FONT, color: style.font.color, strokeWidth: 3, strokeColor: "#ffffff" }
    };
  }

  function baseEdgeColor(e) {
    var r = relStyle.get(e.rel);
    return { color: r.color, highlight: r.highlight, hover: r.highlight, inherit: false };
  }

  function visEdge(e) {
    var r = relStyle.get(e.rel);
    e._hidden = false;
    var arrows = r.arrow ? { to: { enabled: true, scaleFactor: 0.55 } } : { to: { enabled: false } };
    var edge = {
      id: e.id,
      from: e.from,
      to: e.to,
      title: e.tip,
      width: e.w,
      color: baseEdgeColor(e),
      dashes: plainEdges ? false : dashPattern(r.dashes),
      arrows: arrows
    };
    if (e.rel !== "mentions" && !plainEdges) {
      edge.smooth = { enabled: true, type: "curvedCW", roundness: 0.12 };
    }
    return edge;
  }

  var container = $("pk-graph");
  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var big = data.nodes.length > 800;
  // Created empty: the data goes in by setData() inside the first batch() below, so the
  // page draws once, at its final view, instead of once per setup step.
  var network = new vis.Network(container, {}, {
    autoResize: true,
    physics: {
      enabled: false,
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -45, springLength: 90, springConstant: 0.05, avoidOverlap: 0.3 },
      stabilization: false
    },
    layout: { improvedLayout: false, randomSeed: data.seed },
    interaction: {
      hover: true,
      tooltipDelay: 120,
      hideEdgesOnDrag: big,
      hideEdgesOnZoom: big,
      multiselect: false,
      navigationButtons: false,
      keyboard: false
    },
    nodes: { borderWidthSelected: 3, chosen: true, scaling: { label: { drawThreshold: LABEL_MIN_PX } } },
    edges: { selectionWidth: 1.5, hoverWidth: 0.6, smooth: false }
  });

  // With physics off, vis-network redraws synchronously after every DataSet change; on
  // a large graph a frame costs up to a second. batch() holds drawing back (vis' own
  // _blockRedraw/_allowRedraw events) while fn runs, then draws once.
  var batchDepth = 0;
  function batch(fn) {
    var emitter = network.body && network.body.emitter;
    if (!emitter) { return fn(); }
    if (batchDepth === 0) { emitter.emit("_blockRedraw"); }
    batchDepth += 1;
    try {
      return fn();
    } finally {
      batchDepth -= 1;
      if (batchDepth === 0) {
        emitter.emit("_allowRedraw");
        network.redraw();
      }
    }
  }

  // ---------------------------------------------------------------- filters
  function entityPasses(n) {
    return !state.hiddenTypes.has(n.type) && n.pc >= state.minPc && !state.hiddenComms.has(n.c);
  }

  function nodePasses(n) {
    if (n.kind !== "paper") { return entityPasses(n); }
    if (state.hiddenTypes.has("Paper")) { return false; }
    var shown = 0;
    var linked = 0;
    n.ents.forEach(function (m) {
      var other = byId.get(m.o);
      if (other) {
        linked += 1;
        if (entityPasses(other)) { shown += 1; }
      }
    });
    return linked === 0 || shown > 0;
  }

  function applyFilters() {
    var nodeUpdates = [];
    var visible = new Set();
    data.nodes.forEach(function (n) {
      var show = nodePasses(n);
      if (show) { visible.add(n.id); }
      if (n._hidden !== !show) {
        n._hidden = !show;
        nodeUpdates.push({ id: n.id, hidden: !show });
      }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var hide = state.hiddenRels.has(e.rel);
      if (e._hidden !== hide) {
        e._hidden = hide;
        edgeUpdates.push({ id: e.id, hidden: hide });
      }
    });
    batch(function () {
      if (nodeUpdates.length) { nodes.update(nodeUpdates); }
      if (edgeUpdates.length) { edges.update(edgeUpdates); }
    });
    if (state.selected && !visible.has(state.selected)) { clearSelection(); }
    updateLegendCounts(visible);
    updateHeader(visible.size);
    return visible.size;
  }

  function updateHeader(shown) {
    $("pk-stats").textContent = data.totals + " \u2014 showing " + fmt(shown) + " of " + fmt(data.all_nodes) + " nodes";
    var hidden = 0;
    data.nodes.forEach(function (n) { if (n.kind !== "paper" && n.pc < state.minPc) { hidden += 1; } });
    $("pk-filter-note").textContent = hidden ? "Entities in fewer than " + fmt(state.minPc) + " papers are hidden (" +
      fmt(hidden) + "); lower \u201cMin. papers per entity\u201d or search to see them." : "";
  }

  function updateLegendCounts(visible) {
    var counts = new Map();
    data.nodes.forEach(function (n) {
      if (visible.has(n.id)) { counts.set(n.type, (counts.get(n.type) || 0) + 1); }
    });
    data.types.forEach(function (t) {
      var c = legendCounts.get(t.name);
      if (c) { c.textContent = (counts.get(t.name) || 0) + " / " + t.count; }
    });
    var perCommunity = data.communities.map(function () { return 0; });
    data.nodes.forEach(function (n) {
      if (n.kind !== "paper" && visible.has(n.id)) { perCommunity[n.c] += 1; }
    });
    communityCounts.forEach(function (c, i) { c.textContent = perCommunity[i] + " / " + data.communities[i].count; });
  }

  function buildCommunities() {
    var list = $("pk-communities");
    data.communities.forEach(function (com, i) {
      var li = el("li");
      var b = el("button");
      b.type = "button";
      b.dataset.community = String(i);
      b.setAttribute("aria-pressed", "true");
      b.title = com.name;
      b.appendChild(swatch(com, false));
      b.appendChild(el("span", "pk-com-name", com.name));
      var c = el("span", "pk-count", com.count + " / " + com.count);
      b.appendChild(c);
      communityButtons.push(b);
      communityCounts.push(c);
      b.addEventListener("click", function () { toggleCommunity(i); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function toggleCommunity(i, show) {
    var makeVisible = show === undefined ? state.hiddenComms.has(i) : show;
    if (makeVisible) { state.hiddenComms.delete(i); } else { state.hiddenComms.add(i); }
    if (communityButtons[i]) { communityButtons[i].setAttribute("aria-pressed", makeVisible ? "true" : "false"); }
    return applyFilters();
  }

  function showColourControls() {
    ["type", "community"].forEach(function (m) {
      $("pk-colour-" + m).setAttribute("aria-pressed", m === state.colorBy ? "true" : "false");
    });
    $("pk-communities-box").hidden = state.colorBy !== "community";
    $("pk-legend").classList.toggle("pk-neutral", state.colorBy === "community");
  }

  function setColorBy(mode) {
    state.colorBy = mode === "community" ? "community" : "type";
    showColourControls();
    if (state.selected !== null) { highlight(state.selected); } else { unhighlight(); }
    return state.colorBy;
  }

  function buildLegend() {
    var list = $("pk-legend");
    data.types.forEach(function (t) {
      var li = el("li");
      var b = el("button");
      b.type = "button";
      b.dataset.type = t.name;
      b.setAttribute("aria-pressed", "true");
      b.appendChild(swatch(t, t.name === "Paper"));
      b.appendChild(el("span", null, t.name === "Paper" ? "Paper" : t.name));
      var c = el("span", "pk-count", t.count + " / " + t.count);
      b.appendChild(c);
      legendButtons.set(t.name, b);
      legendCounts.set(t.name, c);
      b.addEventListener("click", function () { toggleType(t.name); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function toggleType(name, show) {
    var hidden = state.hiddenTypes.has(name);
    var makeVisible = show === undefined ? hidden : show;
    if (makeVisible) { state.hiddenTypes.delete(name); } else { state.hiddenTypes.add(name); }
    var b = legendButtons.get(name);
    if (b) { b.setAttribute("aria-pressed", makeVisible ? "true" : "false"); }
    return applyFilters();
  }

  function buildRelations() {
    var list = $("pk-relations");
    data.relations.forEach(function (r) {
      if (!r.count) { return; }
      var li = el("li");
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.rel = r.name;
      box.addEventListener("change", function () {
        if (box.checked) { state.hiddenRels.delete(r.name); } else { state.hiddenRels.add(r.name); }
        applyFilters();
      });
      label.appendChild(box);
      label.appendChild(relLine(r));
      label.appendChild(el("span", null, r.name));
      label.appendChild(el("span", "pk-count", r.count));
      li.appendChild(label);
      list.appendChild(li);
    });
    if (plainEdges) {
      list.parentNode.appendChild(el("p", "pk-muted pk-small",
        "Above " + fmt(PLAIN_EDGES_ABOVE) + " edges, edges are drawn straight and solid, for speed."));
    }
  }

  function setupMinPc() {
    var input = $("pk-minpc");
    input.min = String(data.min_pc);
    input.max = String(Math.max(data.min_pc, data.max_pc));
    input.disabled = data.max_pc <= data.min_pc;
    setMinPc(state.minPc);
    input.addEventListener("input", function () {
      state.minPc = Number(input.value) || 0;
      $("pk-minpc-out").textContent = String(state.minPc);
      applyFilters();
    });
  }

  function setMinPc(value) {
    var input = $("pk-minpc");
    input.value = String(value);
    state.minPc = value;
    $("pk-minpc-out").textContent = String(value);
  }

  // ---------------------------------------------------------------- selection
  function highlight(id) {
    var keep = new Set([id]);
    neighbours.get(id).forEach(function (o) { keep.add(o); });
    batch(function () {
      nodes.update(data.nodes.map(function (n) {
        if (keep.has(n.id)) {
          var s = baseNodeStyle(n);
          return { id: n.id, color: s.color, font: { color: s.font.color } };
        }
        return { id: n.id, color: DIM_NODE, font: { color: DIM_FONT } };
      }));
      edges.update(data.edges.map(function (e) {
        var on = e.from === id || e.to === id;
        return { id: e.id, color: on ? baseEdgeColor(e) : { color: DIM_EDGE, highlight: DIM_EDGE, hover: DIM_EDGE, inherit: false } };
      }));
    });
  }

  function unhighlight() {
    batch(function () {
      nodes.update(data.nodes.map(function (n) {
        var s = baseNodeStyle(n);
        return { id: n.id, color: s.color, font: { color: s.font.color } };
      }));
      edges.update(data.edges.map(function (e) { return { id: e.id, color: baseEdgeColor(e) }; }));
    });
  }

  function ensureVisible(n) {
    if (state.hiddenTypes.has(n.type)) { toggleType(n.type, true); }
    if (n.kind !== "paper" && state.hiddenComms.has(n.c)) { toggleCommunity(n.c, true); }
    if (n.kind !== "paper" && n.pc < state.minPc) { setMinPc(n.pc); applyFilters(); }
    if (n.kind === "paper" && !nodePasses(n)) {
      setMinPc(data.min_pc);
      data.types.forEach(function (t) { if (state.hiddenTypes.has(t.name)) { toggleType(t.name, true); } });
      state.hiddenComms.forEach(function (i) { toggleCommunity(i, true); });
      applyFilters();
    }
  }

  function select(id, options) {
    var n = byId.get(id);
    if (!n) { return false; }
    var opts = options || {};
    ensureVisible(n);
    state.selected = id;
    network.selectNodes([id], true);
    highlight(id);
    renderPanel(n);
    if (opts.focus) {
      network.focus(id, {
        scale: Math.max(network.getScale(), 1.1),
        animation: { duration: 450, easingFunction: "easeInOutQuad" }
      });
    }
    return true;
  }

  function clearSelection() {
    if (state.selected === null) { return; }
    state.selected = null;
    network.unselectAll();
    unhighlight();
    renderEmptyPanel();
  }

  // Frame the visible nodes (all of them when none is visible). Computed from the
  // positions, so it works before the first drawing: the page opens at its final view.
  function fitAll(animate) {
    var ids = [];
    data.nodes.forEach(function (n) { if (!n._hidden) { ids.push(n.id); } });
    if (!ids.length) { ids = data.nodes.map(function (n) { return n.id; }); }
    if (!ids.length) { return; }
    var pos = network.getPositions(ids);
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id];
      var r = byId.get(id).size + 4;
      x0 = Math.min(x0, p.x - r); x1 = Math.max(x1, p.x + r);
      y0 = Math.min(y0, p.y - r); y1 = Math.max(y1, p.y + r + 16);
    });
    var width = Math.max(container.clientWidth - 60, 50);
    var height = Math.max(container.clientHeight - 60, 50);
    var scale = Math.min(1.5, width / Math.max(x1 - x0, 1), height / Math.max(y1 - y0, 1));
    network.moveTo({
      position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 },
      scale: scale,
      animation: animate ? { duration: 350, easingFunction: "easeInOutQuad" } : false
    });
  }

  // ---------------------------------------------------------------- landmark labels
  function landmarkCandidates() {
    if (state.selected === null) { return data.landmarks; }
    var around = [];
    neighbours.get(state.selected).forEach(function (id) { around.push(byId.get(id)); });
    around.sort(function (a, b) {
      return (a.kind === "paper") - (b.kind === "paper") || (b.pc || 0) - (a.pc || 0) ||
        (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
    });
    return [state.selected].concat(around.map(function (n) { return n.id; }));
  }

  function drawLandmarks(ctx) {
    var scale = network.getScale();
    var drawn = [];
    var boxes = [];
    var topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
    var bottomRight = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    var candidates = landmarkCandidates();
    var pos = network.getPositions(candidates);
    var px = LANDMARK_PX / scale;
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    for (var i = 0; i < candidates.length && drawn.length < LANDMARKS; i += 1) {
      var n = byId.get(candidates[i]);
      var p = pos[candidates[i]];
      if (!n || !p || n._hidden || n.font * scale >= LABEL_MIN_PX) { continue; }
      if (p.x < topLeft.x || p.x > bottomRight.x || p.y < topLeft.y || p.y > bottomRight.y) { continue; }
      var strong = n.kind !== "paper";
      ctx.font = (strong ? "600 " : "") + px + "px " + FONT;
      var text = n.label;
      var w = ctx.measureText(text).width;
      var top = p.y + n.size + 2 / scale;
      var box = { x0: p.x - w / 2 - 2 / scale, x1: p.x + w / 2 + 2 / scale, y0: top, y1: top + px * 1.2 };
      if (box.x0 < topLeft.x || box.x1 > bottomRight.x || box.y1 > bottomRight.y) { continue; }
      var clash = boxes.some(function (b) { return b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1; });
      if (clash) { continue; }
      boxes.push(box);
      drawn.push(n.id);
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.92)";
      ctx.strokeText(text, p.x, top);
      ctx.fillStyle = strong ? "#111827" : "#475569";
      ctx.fillText(text, p.x, top);
    }
    ctx.restore();
    state.landmarks = drawn;
  }

  network.on("afterDrawing", drawLandmarks);

  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0], { focus: false });
    } else if (!params.edges.length) {
      clearSelection();
    }
  });

  // ---------------------------------------------------------------- panel
  function nodeButton(id, text) {
    if (!byId.has(id)) { return el("span", "pk-out", text); }
    var b = el("button", "pk-node-link", text);
    b.type = "button";
    b.addEventListener("click", function () { select(id, { focus: true }); });
    return b;
  }

  function renderEmptyPanel() {
    var panel = $("pk-panel");
    clear(panel);
    panel.appendChild(el("p", "pk-muted pk-empty",
      "Click a node, or search for a method, dataset, task, metric or concept, to see its papers and the sentences that mention it."));
  }

  function panelHeader(panel, n, typeName) {
    var close = el("button", "pk-close", "\u00d7");
    close.type = "button";
    close.title = "Close";
    close.setAttribute("aria-label", "Close details");
    close.addEventListener("click", clearSelection);
    panel.appendChild(close);
    var badge = el("p", "pk-badge");
    var t = typeStyle.get(typeName);
    if (t) { badge.appendChild(swatch(t, typeName === "Paper")); }
    badge.appendChild(el("span", null, typeName));
    panel.appendChild(badge);
    var h = el("h2", null, n.kind === "paper" ? n.title : n.label);
    h.id = "pk-panel-title";
    panel.appendChild(h);
  }

  function paperLine(pid) {
    var info = data.papers[pid] || { t: pid, y: null, u: null };
    var li = el("li");
    li.appendChild(nodeButton(pid, info.t));
    var meta = el("div", "pk-meta");
    if (info.y !== null && info.y !== undefined) { meta.appendChild(document.createTextNode(String(info.y))); }
    if (isHttpUrl(info.u)) {
      if (meta.firstChild) { meta.appendChild(document.createTextNode(" \u00b7 ")); }
      meta.appendChild(externalLink(info.u, linkText(info.u)));
    }
    if (meta.firstChild) { li.appendChild(meta); }
    return li;
  }

  function renderEntity(panel, n) {
    panelHeader(panel, n, n.type);
    panel.appendChild(el("p", "pk-meta", plural(n.pc, "paper") + " \u00b7 " + plural(n.mc, "mention")));
    if (n.aliases.length) {
      var p = el("p");
      p.appendChild(el("span", "pk-meta", "Also: "));
      p.appendChild(el("span", "pk-aliases", n.aliases.join(", ")));
      panel.appendChild(p);
    }
    if (n.rels.length) {
      panel.appendChild(el("h3", null, "Relations"));
      var ul = el("ul");
      n.rels.forEach(function (r) {
        var li = el("li", "pk-relrow");
        var tag = el("span", "pk-rel", (r.d === "out" ? r.r + " \u2192" : "\u2190 " + r.r));
        var style = relStyle.get(r.r);
        if (style) { tag.style.color = style.color; }
        li.appendChild(tag);
        var target = el("span");
        target.appendChild(nodeButton(r.o, r.ol));
        target.appendChild(el("span", "pk-year", plural(r.s, "paper")));
        li.appendChild(target);
        ul.appendChild(li);
      });
      panel.appendChild(ul);
      if (n.more_rels > 0) { panel.appendChild(el("p", "pk-meta", "\u2026 and " + n.more_rels + " more")); }
    }
    panel.appendChild(el("h3", null, "Papers (" + n.pc + ")"));
    var list = el("ul", "pk-papers");
    n.papers.forEach(function (pid) { list.appendChild(paperLine(pid)); });
    panel.appendChild(list);
    if (n.more > 0) { panel.appendChild(el("p", "pk-meta", "\u2026 and " + n.more + " more")); }
    if (n.ev.length) {
      panel.appendChild(el("h3", null, "Evidence"));
      n.ev.forEach(function (ev) {
        var box = el("div", "pk-evidence");
        var p = el("p");
        ev.s.forEach(function (seg) {
          p.appendChild(seg[1] ? el("mark", null, seg[0]) : document.createTextNode(seg[0]));
        });
        box.appendChild(p);
        var info = data.papers[ev.p] || { t: ev.p, y: null };
        var cite = el("cite", null, info.t + (info.y ? " (" + info.y + ")" : "") + " \u00b7 " + ev.f);
        box.appendChild(cite);
        panel.appendChild(box);
      });
    }
  }

  function renderPaper(panel, n) {
    panelHeader(panel, n, "Paper");
    var meta = [];
    if (n.year !== null) { meta.push(String(n.year)); }
    if (n.authors.length) { meta.push(n.authors.join(", ")); }
    if (meta.length) { panel.appendChild(el("p", "pk-meta", meta.join(" \u00b7 "))); }
    var idLine = el("p", "pk-meta", n.pid);
    if (isHttpUrl(n.url)) {
      idLine.appendChild(document.createTextNode(" \u00b7 "));
      idLine.appendChild(externalLink(n.url, linkText(n.url)));
    }
    panel.appendChild(idLine);
    if (n.ents.length) {
      panel.appendChild(el("h3", null, "Entities (" + n.ents.length + ")"));
      var ul = el("ul");
      n.ents.forEach(function (m) {
        var li = el("li");
        var t = typeStyle.get(m.ot);
        if (t) { li.appendChild(swatch(t, false)); li.appendChild(document.createTextNode(" ")); }
        li.appendChild(nodeButton(m.o, m.ol));
        if (m.r === "proposes") { li.appendChild(el("span", "pk-year", "(proposed)")); }
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    if (n.abs.length) {
      panel.appendChild(el("h3", null, "Abstract"));
      var p = el("p", "pk-abstract");
      n.abs.forEach(function (seg) {
        if (seg[1] === null) {
          p.appendChild(document.createTextNode(seg[0]));
        } else {
          var mark = el("mark", null, seg[0]);
          var target = seg[1];
          if (byId.has(target)) {
            mark.addEventListener("click", function () { select(target, { focus: true }); });
          }
          p.appendChild(mark);
        }
      });
      panel.appendChild(p);
    }
  }

  function renderPanel(n) {
    var panel = $("pk-panel");
    clear(panel);
    if (n.kind === "paper") { renderPaper(panel, n); } else { renderEntity(panel, n); }
    panel.scrollTop = 0;
  }

  // ---------------------------------------------------------------- search
  var nameIndex = new Map();
  function indexName(name, id) {
    var key = String(name).trim().toLowerCase();
    if (key && !nameIndex.has(key)) { nameIndex.set(key, id); }
  }
  // Order: entity labels (most papers first), then aliases, then paper titles.
  var ranked = data.nodes.filter(function (n) { return n.kind !== "paper"; })
    .sort(function (a, b) { return b.pc - a.pc || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
  ranked.forEach(function (n) { indexName(n.label, n.id); });
  ranked.forEach(function (n) { n.aliases.forEach(function (a) { indexName(a, n.id); }); });
  data.nodes.forEach(function (n) { if (n.kind === "paper") { indexName(n.title, n.id); } });

  function buildDatalist() {
    var list = $("pk-names");
    var frag = document.createDocumentFragment();
    ranked.forEach(function (n) {
      var o = el("option");
      o.value = n.label;
      frag.appendChild(o);
      n.aliases.forEach(function (a) {
        var alias = el("option");
        alias.value = a;
        alias.label = "\u2192 " + n.label;
        frag.appendChild(alias);
      });
    });
    data.nodes.forEach(function (n) {
      if (n.kind === "paper") {
        var o = el("option");
        o.value = n.title;
        o.label = "paper";
        frag.appendChild(o);
      }
    });
    list.appendChild(frag);
  }

  function findByName(query) {
    var key = String(query).trim().toLowerCase();
    if (!key) { return null; }
    if (nameIndex.has(key)) { return nameIndex.get(key); }
    var best = null;
    nameIndex.forEach(function (id, name) {
      if (best === null && name.indexOf(key) === 0) { best = id; }
    });
    if (best !== null) { return best; }
    nameIndex.forEach(function (id, name) {
      if (best === null && name.indexOf(key) >= 0) { best = id; }
    });
    return best;
  }

  function search(query) {
    var msg = $("pk-search-msg");
    var id = findByName(query);
    if (id === null) {
      msg.textContent = String(query).trim() ? "No match for \u201c" + String(query).trim() + "\u201d" : "";
      return null;
    }
    var n = byId.get(id);
    var shown = n.kind === "paper" ? n.title : n.label;
    msg.textContent = shown.toLowerCase() === String(query).trim().toLowerCase() ? "" : "\u2192 " + shown;
    select(id, { focus: true });
    return id;
  }

  function setupSearch() {
    var input = $("pk-search");
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); search(input.value); }
    });
    input.addEventListener("input", function (ev) {
      // A pick from the datalist arrives as an input event without a typed character.
      if (!ev.inputType || ev.inputType === "insertReplacementText") {
        if (nameIndex.has(input.value.trim().toLowerCase())) { search(input.value); }
      }
    });
    input.addEventListener("change", function () { search(input.value); });
  }

  // ---------------------------------------------------------------- buttons
  function setRelax(on) {
    var b = $("pk-relax");
    if (state.relaxTimer !== null) { clearTimeout(state.relaxTimer); state.relaxTimer = null; }
    network.setOptions({ physics: { enabled: on } });
    b.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) { state.relaxTimer = setTimeout(function () { setRelax(false); }, 4000); }
  }

  $("pk-fit").addEventListener("click", function () { fitAll(true); });
  $("pk-colour-type").addEventListener("click", function () { setColorBy("type"); });
  $("pk-colour-community").addEventListener("click", function () { setColorBy("community"); });
  $("pk-relax").addEventListener("click", function () {
    setRelax($("pk-relax").getAttribute("aria-pressed") !== "true");
  });

  buildLegend();
  buildCommunities();
  buildRelations();
  setupMinPc();
  buildDatalist();
  setupSearch();
  batch(function () {
    network.setData({ nodes: nodes, edges: edges });
    applyFilters();  // the nodes start filtered (visNode): this only fills the header and legend
    showColourControls();
    fitAll(false);
    network.once("afterDrawing", function () {
      // The first complete drawing at the first view, every node placed (bench/html.py waits for it).
      if (window.performance && performance.mark) { performance.mark("paperkg-drawn"); }
    });
  });

  // A small API for notebooks, tests and power users.
  window.paperkg = {
    network: network,
    nodes: nodes,
    edges: edges,
    data: data,
    select: select,
    search: search,
    clearSelection: clearSelection,
    toggleType: toggleType,
    toggleCommunity: toggleCommunity,
    setColorBy: setColorBy,
    fitAll: fitAll,
    landmarks: function () { return state.landmarks.slice(); },
    applyFilters: applyFilters,
    state: state
  };
})();
