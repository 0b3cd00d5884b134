// Progressive enhancement only: every form and link works without this file.
(function () {
  "use strict";

  // Loaded before the body: the stylesheet folds the phone navigation only for scripted pages.
  document.documentElement.classList.add("js");

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function clickUrl(base, sid, rank, to) {
    var params = new URLSearchParams({ to: to, rank: String(rank) });
    if (sid) { params.set("sid", String(sid)); }
    return base + "?" + params.toString();
  }

  function setupInstantSearch(input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    if (!box) { return; }
    var controller = null;
    var active = -1;

    function options() { return box.querySelectorAll("[role=option]"); }

    function close() {
      box.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (el, i) { el.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function render(data) {
      box.textContent = "";
      if (!data.results.length) {
        var none = document.createElement("p");
        none.className = "instant-empty";
        none.textContent = box.dataset.labelNone;
        box.appendChild(none);
      }
      data.results.forEach(function (hit, i) {
        var a = document.createElement("a");
        a.id = input.id + "-opt-" + i;
        a.setAttribute("role", "option");
        a.href = clickUrl(input.dataset.click, data.search_id, i + 1, hit.url);
        var title = document.createElement("strong");
        title.textContent = hit.title;
        a.appendChild(title);
        if (hit.type === "video" || hit.type === "thread") {
          var badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = hit.type === "video" ? box.dataset.labelVideo : box.dataset.labelThread;
          a.appendChild(badge);
        }
        var snippet = document.createElement("span");
        snippet.className = "snippet";
        // The server escapes the text and adds only <mark> tags.
        snippet.innerHTML = hit.snippet;
        a.appendChild(snippet);
        box.appendChild(a);
      });
      var all = document.createElement("a");
      all.className = "instant-all";
      all.href = input.form.action + "?q=" + encodeURIComponent(input.value);
      all.textContent = box.dataset.labelAll;
      box.appendChild(all);
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    var search = debounce(function () {
      // Leading spaces go, a trailing one stays: it tells the server the last word is finished.
      var q = input.value.replace(/^\s+/, "");
      if (!q.trim()) { close(); return; }
      if (controller) { controller.abort(); }
      controller = new AbortController();
      var url = input.dataset.api + "?" + new URLSearchParams({ q: q, source: "instant", per_page: "5" });
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && input.value.replace(/^\s+/, "") === q) { render(data); } })
        .catch(function () { /* a newer keystroke aborted this one, or we are offline */ });
    }, 180);

    input.addEventListener("input", search);
    input.addEventListener("keydown", function (event) {
      if (box.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); options()[active].click(); }
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target) && event.target !== input) { close(); }
    });
  }

  function setupTranscript() {
    var player = document.getElementById("player");
    if (!player) { return; }
    document.querySelectorAll("[data-seek]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        player.currentTime = Number(link.dataset.seek);
        player.play().catch(function () { /* autoplay may be refused; the position is set */ });
        history.replaceState(null, "", "?t=" + link.dataset.seek);
      });
    });
    var cues = Array.prototype.slice.call(document.querySelectorAll(".transcript li"));
    player.addEventListener("timeupdate", function () {
      var current = null;
      cues.forEach(function (li) { if (Number(li.id.slice(1)) <= player.currentTime) { current = li; } });
      cues.forEach(function (li) { li.classList.toggle("current", li === current); });
    });
  }

  function setupComposer(form) {
    var aside = document.querySelector("[data-suggestions]");
    var title = form.querySelector("[data-suggest-source]");
    var csrf = form.querySelector("input[name=csrf_token]").value;
    if (aside && title) {
      var list = aside.querySelector("ol");
      var suggest = debounce(function () {
        var q = title.value.trim();
        if (q.length < 3) { aside.hidden = true; return; }
        var params = new URLSearchParams({ q: q, source: "composer", composer: form.dataset.composer, per_page: "5" });
        fetch(aside.dataset.api + "?" + params, { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data || title.value.trim() !== q) { return; }
            list.textContent = "";
            data.results.forEach(function (hit, i) {
              var li = document.createElement("li");
              var a = document.createElement("a");
              var link = new URLSearchParams({ to: hit.url, rank: String(i + 1), composer: form.dataset.composer });
              if (data.search_id) { link.set("sid", String(data.search_id)); }
              a.href = aside.dataset.click + "?" + link;
              a.target = "_blank";
              a.textContent = hit.title + (hit.solved ? " ✓" : "");
              li.appendChild(a);
              list.appendChild(li);
            });
            aside.hidden = data.results.length === 0;
          })
          .catch(function () { /* suggestions are a help, not a requirement */ });
      }, 350);
      title.addEventListener("input", suggest);
      if (title.value) { suggest(); }
    }
  }

  function setupPreview(form) {
    // Live preview, rendered and sanitised by the server exactly as a saved post is.
    var source = form.querySelector("[data-preview-source]");
    var target = form.querySelector("[data-preview-target]");
    var csrf = form.querySelector("input[name=csrf_token]");
    if (!source || !target || !csrf) { return; }
    var render = debounce(function () {
      if (!source.value.trim()) { target.hidden = true; return; }
      fetch(form.dataset.previewUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.value, Accept: "application/json" },
        body: JSON.stringify({ body: source.value })
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          target.innerHTML = data.html;
          target.hidden = false;
        })
        .catch(function () { /* the preview is a help; posting still works */ });
    }, 400);
    source.addEventListener("input", render);
  }

  function setupMenu(button) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) { return; }
    function toggle(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      toggle(button.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        toggle(false);
        button.focus();
      }
    });
  }

  function setupScrollingTables() {
    // A table wider than the screen scrolls in its box; the keyboard must be able to scroll it.
    function mark() {
      document.querySelectorAll(".table-scroll").forEach(function (box) {
        if (box.scrollWidth > box.clientWidth) { box.setAttribute("tabindex", "0"); }
        else { box.removeAttribute("tabindex"); }
      });
    }
    mark();
    window.addEventListener("resize", debounce(mark, 200));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".menu-button").forEach(setupMenu);
    setupScrollingTables();
    document.querySelectorAll("[data-instant-search]").forEach(setupInstantSearch);
    document.querySelectorAll("form[data-composer]").forEach(setupComposer);
    document.querySelectorAll("form[data-preview-url]").forEach(setupPreview);
    setupTranscript();
  });
})();
