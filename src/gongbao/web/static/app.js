// gongbao: conveniences only — every page works without this file.
// Copy-citation buttons: shown when JavaScript runs; a click copies the article's human citation
// (《…》第十九条) to the clipboard.  The last copied text is also kept in <html data-copied> for tests and tools.
"use strict";

(function () {
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function onCite(event) {
    var button = event.target.closest("button.cite");
    if (!button) return;
    var text = button.getAttribute("data-cite") || "";
    copy(text).then(
      function () {
        document.documentElement.setAttribute("data-copied", text);
        flash(button, "已复制", "done");
      },
      function () {
        flash(button, "复制失败", "");
      }
    );
  }

  function flash(button, label, cls) {
    var old = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", old);
    button.textContent = label;
    if (cls) button.classList.add(cls);
    window.setTimeout(function () {
      button.textContent = old;
      button.classList.remove("done");
    }, 1600);
  }

  // Facets: folded behind one tap on a phone, open beside the results on a wide screen.
  function openWide() {
    if (!window.matchMedia("(min-width: 60rem)").matches) return;
    var boxes = document.querySelectorAll("details.facet-box");
    for (var i = 0; i < boxes.length; i++) boxes[i].open = true;
  }

  // The floating 目录 link of a long document opens the contents it jumps to.
  function onToToc(event) {
    if (!event.target.closest("a.to-toc")) return;
    var toc = document.getElementById("toc");
    if (toc) toc.open = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button.cite[hidden]");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
    openWide();
    document.addEventListener("click", onCite);
    document.addEventListener("click", onToToc);
  });
})();
