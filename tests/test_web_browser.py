"""The web UI in a real browser (playwright driving Debian's chromium) over a server on a free loopback port and a
database built from the bundled samples: ask a question, land on the article that answers it, copy its citation,
move through the contents, check the citation against the original lines.  Screenshots of the home page, the results
and the longest document go to artifacts/screenshots/ (git-ignored) for a person to look at.

Skipped, with the reason, when /usr/bin/chromium is not installed (`make test` installs it)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import urlopen

import pytest

from gongbao.ingest import sample_paths
from web_helpers import ARTIFACTS, browser, build_db, require_chromium, screenshot, serve

QUESTION = "小区里扔垃圾没分类罚多少钱"
ANSWER_LAW = "山西省城乡垃圾管理条例"
LAW = "山西省民营经济发展促进条例"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    db = build_db(tmp_path_factory.mktemp("browser") / "gongbao.db", sample_paths())
    with serve(db) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(site: str) -> Iterator[object]:
    with browser() as b:
        yield b


def api(site: str, path: str) -> dict:
    with urlopen(site + path) as response:
        return json.load(response)


def document_id(site: str, title: str) -> str:
    docs = api(site, "/api/documents?per_page=100&issuer=" + quote(title))["documents"]
    return next(d["id"] for d in docs if d["title"] == title)


@pytest.fixture
def console() -> list[str]:
    """Errors the pages log (script errors, Content-Security-Policy violations): must stay empty."""
    return []


def open_page(chromium, site: str, console: list[str], viewport: dict, **options):
    context = chromium.new_context(viewport=viewport, locale="zh-CN", base_url=site, **options)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    return page


@pytest.fixture
def page(chromium, site: str, console: list[str]):
    page = open_page(chromium, site, console, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(chromium, site: str, console: list[str]):
    page = open_page(chromium, site, console, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    page.context.close()


def in_viewport(page, element_id: str) -> bool:
    """The top of the element (of the provision, for a short alias anchor) is on screen: what a reader sees after
    following a link to it."""
    return page.evaluate(
        "id => { const e = document.getElementById(id); const r = (e.closest('.prov') || e).getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight && r.height > 0; }",
        element_id,
    )


def test_a_question_leads_to_the_article_that_answers_it_and_its_citation(page, site: str, console) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    screenshot(page, "home")
    page.fill("input[name=q]", QUESTION)
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    expect(page.locator("li.hit").first).to_be_visible()
    screenshot(page, "results")

    best = api(site, "/api/search?q=" + quote(QUESTION))["hits"][0]
    target = (best["focus"] or {}).get("provision_id") or best["provision_id"]
    first = page.locator("li.hit h2 a").first
    expect(first).to_have_text((best["focus"] or best)["citation"])
    assert first.inner_text().startswith(f"《{ANSWER_LAW}》")
    first.click()
    page.wait_for_url(re.compile(r"/documents/"))
    assert urlsplit(page.url).fragment == target
    expect(page.locator("h1")).to_have_text(ANSWER_LAW)
    answer = page.locator(f"[id='{target}']")
    expect(answer).to_be_visible()
    assert in_viewport(page, target)
    assert "罚款" in answer.inner_text()
    assert answer.locator("mark").count() > 0, "the search terms are marked in the article"

    article = page.locator(f"xpath=//*[@id='{target}']/ancestor-or-self::section[contains(@class, 'art')]")
    button = article.locator("button.cite").first
    expect(button).to_be_visible()
    citation = button.get_attribute("data-cite")
    assert citation and citation.startswith(f"《{ANSWER_LAW}》第") and citation.endswith("条")
    button.click()
    expect(button).to_have_text("已复制")
    screenshot(page, "document-answer")
    assert page.evaluate("navigator.clipboard.readText()") == citation
    assert console == []


def test_contents_move_through_a_law_on_desktop_and_phone(page, phone, site: str, console) -> None:
    from playwright.sync_api import expect

    url = f"/documents/{document_id(site, LAW)}"
    page.goto(url)
    side = page.locator("nav.toc-side")
    expect(side).to_be_visible()
    side.get_by_role("link", name="第三章 政务服务").click()
    page.wait_for_url(re.compile("#chp_3$"))
    assert in_viewport(page, "chp_3")
    side.get_by_role("link", name=re.compile("^第十九条")).click()
    page.wait_for_url(re.compile("#art_19$"))  # the short anchor: article numbers are unique in a law
    assert in_viewport(page, "art_19")
    expect(page.locator("#chp_3__art_19 .art-head a.self")).to_have_text("第十九条")

    phone.goto(url)
    expect(phone.locator("nav.toc-side")).to_be_hidden()
    contents = phone.locator("details.toc-inline")
    expect(contents).to_be_visible()
    assert contents.get_attribute("open") is None, "the contents start folded on a phone"
    screenshot(phone, "document-phone")
    contents.locator("summary").click()
    contents.get_by_role("link", name="第二章 公平竞争").click()
    phone.wait_for_url(re.compile("#chp_2$"))
    assert in_viewport(phone, "chp_2")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing overflows the phone's width"
    assert console == []


def test_the_source_view_shows_the_cited_lines_of_the_original(page, site: str, console) -> None:
    from playwright.sync_api import expect

    page.goto(f"/documents/{document_id(site, LAW)}")
    meta = api(site, f"/api/documents/{document_id(site, LAW)}")["document"]["source"]
    page.locator(".meta-panel a[href^='/source/']").click()
    page.wait_for_url(re.compile(r"/source/"))
    first = meta["start_line"]
    assert urlsplit(page.url).fragment == f"L{first}"
    line = page.locator(f"#L{first}")
    expect(line).to_have_class(re.compile(r"\bsel\b"))
    assert in_viewport(page, f"L{first}")
    expect(line.locator(".no")).to_have_text(str(first))
    raw = Path(next(p for p in sample_paths() if p.name == meta["file"])).read_text(encoding="utf-8").split("\n")
    expect(line.locator(".tx")).to_have_text(raw[first - 1])
    assert page.locator(".ln.sel").count() == meta["end_line"] - first + 1
    screenshot(page, "source")
    page.locator(f"#L{first + 2} a.no").click()
    page.wait_for_url(re.compile(rf"#L{first + 2}$"))
    assert console == []


def test_the_longest_document_reads_well(page, phone, site: str, console) -> None:
    """The 十四五 纲要: the largest document of the samples; screenshots of its top and of a chapter."""
    from playwright.sync_api import expect

    docs = api(site, "/api/documents?per_page=100")["documents"]
    docs += api(site, "/api/documents?per_page=100&page=2")["documents"]
    longest = max(docs, key=lambda d: d["source"]["end_line"] - d["source"]["start_line"])
    assert "纲要" in longest["title"]
    page.goto(f"/documents/{longest['id']}")
    expect(page.locator("h1")).to_have_text(longest["title"])
    screenshot(page, "document-longest")
    chapters = page.locator("nav.toc-side a[href^='#chp_']")
    assert chapters.count() >= 10
    chapters.nth(5).click()
    screenshot(page, "document-longest-chapter")
    body_width = page.evaluate("document.querySelector('.doc-body').getBoundingClientRect().width")
    font_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.doc-body')).fontSize)")
    assert body_width / font_size <= 42, "lines of at most about 40 characters"
    phone.goto(f"/documents/{longest['id']}")
    screenshot(phone, "document-longest-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.goto("/search?q=" + quote("民营企业 融资"))
    screenshot(phone, "results-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert console == []


def test_everything_works_without_javascript(chromium, site: str, console) -> None:
    from playwright.sync_api import expect

    page = open_page(chromium, site, console, DESKTOP, java_script_enabled=False)
    try:
        page.goto("/")
        page.fill("input[name=q]", "民营企业 融资")
        page.press("input[name=q]", "Enter")
        page.wait_for_url(re.compile(r"/search\?"))
        page.locator("li.hit h2 a").first.click()
        page.wait_for_url(re.compile(r"/documents/.+#"))
        expect(page.locator(f"[id='{urlsplit(page.url).fragment}']")).to_be_visible()
        expect(page.locator("button.cite").first).to_be_hidden()  # copying needs script: hidden without it
    finally:
        page.context.close()


# ------------------------------------------------------------------------------------------ the phone (390×844)

PHONE_HTML_LIMIT = 300_000  # bytes of HTML a phone receives before it scrolls


def fits_the_phone(page) -> None:
    """No horizontal scroll, and no date split over two lines (a <time> is one line box)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    broken = page.evaluate(
        "Array.from(document.querySelectorAll('time')).filter(t => t.getClientRects().length > 1)"
        ".map(t => t.textContent)"
    )
    assert broken == [], f"dates broken over two lines on {page.url}"


def on_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < PHONE["height"] and box["height"] > 0


def longest_document(site: str) -> dict:
    docs = api(site, "/api/documents?per_page=100")["documents"]
    docs += api(site, "/api/documents?per_page=100&page=2")["documents"]
    return max(docs, key=lambda d: d["source"]["end_line"] - d["source"]["start_line"])


def test_home_a_law_and_the_lists_fit_a_phone(phone, site: str, console) -> None:
    phone.goto("/")
    fits_the_phone(phone)
    screenshot(phone, "home-phone")
    pages = {"law": f"/documents/{document_id(site, LAW)}", "documents": "/documents", "agencies": "/agencies",
             "duties": "/duties?agency=" + quote("省生态环境厅"), "api": "/docs"}  # fmt: skip
    for name, url in pages.items():
        phone.goto(url)
        fits_the_phone(phone)
        screenshot(phone, f"{name}-phone")
    assert console == []


def test_search_facets_are_one_tap_away_on_a_phone(phone, site: str, console) -> None:
    from playwright.sync_api import expect

    phone.goto("/search?q=" + quote("人民政府"))
    fits_the_phone(phone)
    toggle = phone.locator("details.facet-box > summary")
    assert on_screen(toggle), "the facets' button is on the first screen, above the results"
    assert phone.locator("details.facet-box").get_attribute("open") is None, "folded on a phone"
    first_hit = phone.locator("li.hit").first
    assert on_screen(first_hit), "results start on the first screen too"
    toggle.tap()
    facet = phone.locator(".facet a").first
    expect(facet).to_be_visible()
    assert on_screen(facet), "after one tap a facet is on screen"
    screenshot(phone, "results-phone-facets")
    with phone.expect_navigation():
        facet.tap()
    expect(phone.locator(".chips .chip")).to_have_count(1)  # the filter chosen is on
    fits_the_phone(phone)
    assert console == []


def test_the_longest_document_comes_in_parts_with_an_outline_on_a_phone(phone, site: str, console) -> None:
    from playwright.sync_api import expect

    longest = longest_document(site)
    assert "纲要" in longest["title"]
    response = phone.goto(f"/documents/{longest['id']}")
    first_html = len(response.body())
    assert first_html <= PHONE_HTML_LIMIT, f"the first page of the 纲要 is {first_html} bytes"
    fits_the_phone(phone)
    (ARTIFACTS.parent / "phone-sizes.txt").write_text(f"纲要 first page: {first_html} bytes of HTML\n")
    # the floating 目录 link, from deep down the page, opens the outline
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    to_toc = phone.locator("a.to-toc")
    expect(to_toc).to_be_visible()
    assert on_screen(to_toc)
    to_toc.tap()
    contents = phone.locator("details.toc-inline")
    assert contents.get_attribute("open") is not None
    # a chapter in a later part: the outline's link leads to that part, at the chapter
    entries = api(site, f"/api/documents/{longest['id']}")["toc"]
    last_chapter = [e for e in entries if e["kind"] == "chapter"][-1]
    link = contents.locator(f"a[href$='#{last_chapter['anchor']}']")
    assert "part=" in link.get_attribute("href"), "the last chapter is not in the first part"
    link.tap()
    phone.wait_for_url(re.compile(rf"part=\d+#{last_chapter['anchor']}$"))
    assert in_viewport(phone, last_chapter["anchor"])
    screenshot(phone, "document-longest-phone-part")
    fits_the_phone(phone)
    assert console == []


def test_a_part_of_a_long_document_reads_without_javascript(chromium, site: str, console) -> None:
    longest = longest_document(site)
    page = open_page(chromium, site, console, PHONE, java_script_enabled=False, is_mobile=True, has_touch=True)
    try:
        page.goto(f"/documents/{longest['id']}")
        titles = [page.locator(".doc-body").inner_text()]
        while page.locator("nav.pager a[rel=next]").count():
            page.locator("nav.pager a[rel=next]").first.click()
            page.wait_for_load_state()
            titles.append(page.locator(".doc-body").inner_text())
        assert len(titles) > 1, "the 纲要 is sent in parts"
        assert page.locator("nav.pager a[rel=next]").count() == 0
        fits_the_phone(page)
    finally:
        page.context.close()
