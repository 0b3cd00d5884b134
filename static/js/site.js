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
    // The ARIA 1.2 combobox pattern: focus stays in the input, arrow keys move
    // aria-activedescendant through the listbox's options, Escape closes the list.
    var popup = document.getElementById(input.dataset.popup);
    var list = popup && popup.querySelector("[role=listbox]");
    if (!list) { return; }
    var empty = popup.querySelector(".instant-empty");
    var controller = null;
    var active = -1;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    function options() { return list.querySelectorAll("[role=option]"); }

    function select(index) {
      var items = options();
      active = index;
      items.forEach(function (el, i) { el.setAttribute("aria-selected", i === active ? "true" : "false"); });
      if (active >= 0) { input.setAttribute("aria-activedescendant", items[active].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    }

    function close() {
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      select(-1);
    }

    function option(id, href) {
      var a = document.createElement("a");
      a.id = id;
      a.href = href;
      a.tabIndex = -1;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      return a;
    }

    function render(data) {
      list.textContent = "";
      empty.hidden = data.results.length > 0;
      data.results.forEach(function (hit, i) {
        var a = option(input.id + "-opt-" + i, clickUrl(input.dataset.click, data.search_id, i + 1, hit.url));
        var title = document.createElement("strong");
        title.textContent = hit.title;
        a.appendChild(title);
        if (hit.type === "video" || hit.type === "thread") {
          var badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = hit.type === "video" ? popup.dataset.labelVideo : popup.dataset.labelThread;
          a.appendChild(badge);
        }
        var snippet = document.createElement("span");
        snippet.className = "snippet";
        // The server escapes the text and adds only <mark> tags.
        snippet.innerHTML = hit.snippet;
        a.appendChild(snippet);
        list.appendChild(a);
      });
      var all = option(input.id + "-opt-all", input.form.action + "?q=" + encodeURIComponent(input.value));
      all.className = "instant-all";
      all.textContent = popup.dataset.labelAll;
      list.appendChild(all);
      popup.hidden = false;
      input.setAttribute("aria-expanded", "true");
      select(-1);
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
      if (popup.hidden) { return; }  // closed: keys keep their usual meaning
      var count = options().length;
      if (event.key === "ArrowDown") { event.preventDefault(); select((active + 1) % count); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select((active - 1 + count) % count); }
      else if (event.key === "Escape") {
        // Chromium clears a type=search field on Escape: close the list and keep the words.
        event.preventDefault();
        close();
      }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); options()[active].click(); }
    });
    document.addEventListener("click", function (event) {
      if (!popup.contains(event.target) && event.target !== input) { close(); }
    });
  }

  function setupTranscript() {
    var panel = document.querySelector(".transcript");
    if (!panel) { return; }
    var cues = Array.prototype.slice.call(panel.querySelectorAll("li"));

    function reveal(li) {
      // Scroll the panel only: scrollIntoView would move the page too, and focus() would take
      // the reader's keyboard away from whatever they are doing.
      var box = panel.getBoundingClientRect();
      var line = li.getBoundingClientRect();
      if (line.top >= box.top && line.bottom <= box.bottom) { return; }
      panel.scrollTop += line.top - box.top - panel.clientHeight / 3;
    }

    var current = panel.querySelector("li.current");
    if (current) { reveal(current); }  // ?t= from a search hit: show its line

    var player = document.getElementById("player");
    if (!player) { return; }
    panel.querySelectorAll("[data-seek]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        player.currentTime = Number(link.dataset.seek);
        player.play().catch(function () { /* autoplay may be refused; the position is set */ });
        history.replaceState(null, "", "?t=" + link.dataset.seek);
      });
    });
    player.addEventListener("timeupdate", function () {
      var now = null;
      cues.forEach(function (li) { if (Number(li.id.slice(1)) <= player.currentTime) { now = li; } });
      if (now === current) { return; }
      cues.forEach(function (li) { li.classList.toggle("current", li === now); });
      current = now;
      if (current) { reveal(current); }
    });
  }

  function setupFeedback(box) {
    // Send "Was this helpful?" without leaving the page: the server answers with the box alone
    // (the thanks, or the reasons), swapped in where the reader is looking. Without this, the
    // form posts and the redirect lands on the box's anchor.
    box.addEventListener("submit", function (event) {
      var form = event.target;
      var submitter = event.submitter;
      if (!window.fetch || !window.DOMParser || box.dataset.plain) { return; }
      event.preventDefault();
      function plainly() { box.dataset.plain = "1"; form.requestSubmit(submitter); }
      var data = new FormData(form);
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
      fetch(form.action, { method: "POST", body: data, headers: { "X-Feedback-Box": "1" } })
        .then(function (r) { return r.text().then(function (html) { return { ok: r.ok || r.status === 400, html: html }; }); })
        .then(function (answer) {
          if (!answer.ok) { plainly(); return; }
          var fresh = new DOMParser().parseFromString(answer.html, "text/html").querySelector("[data-feedback]");
          if (!fresh) { plainly(); return; }
          box.innerHTML = fresh.innerHTML;
          // The clicked button is gone: give focus to the answer so screen readers read it,
          // without scrolling (it is already where the reader is looking), unless the shorter
          // box near the page's end pulled the page up past it: then just back into view.
          var target = box.querySelector("[tabindex='-1']");
          if (target) {
            target.focus({ preventScroll: true });
            target.scrollIntoView({ block: "nearest" });
          }
        })
        .catch(plainly);
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

  function focusFirstError() {
    // A form sent back with errors puts the focus on the first field in error: a screen reader
    // then reads its label and, through aria-describedby, what is wrong with it.
    var invalid = document.querySelector("main [aria-invalid=true]");
    if (invalid && document.activeElement === document.body) { invalid.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusFirstError();
    document.querySelectorAll(".menu-button").forEach(setupMenu);
    setupScrollingTables();
    document.querySelectorAll("[data-feedback]").forEach(setupFeedback);
    document.querySelectorAll("[data-instant-search]").forEach(setupInstantSearch);
    document.querySelectorAll("form[data-composer]").forEach(setupComposer);
    document.querySelectorAll("form[data-preview-url]").forEach(setupPreview);
    setupTranscript();
  });
})();
