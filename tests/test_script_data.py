"""The Traditional-script test reads the characters OpenCC's t2s changes from a data file made from OpenCC; after an
OpenCC upgrade the file must be made again, or Traditional texts would be missed or Simplified ones converted."""

from importlib import resources

from gongbao.parse.script import TRADITIONAL_CHARS_FILE, is_traditional, search_form, traditional_chars_from_opencc


def test_the_data_file_holds_what_the_installed_opencc_changes():
    stored = (resources.files("gongbao") / "data" / TRADITIONAL_CHARS_FILE).read_text(encoding="utf-8")
    assert stored.split("\n", 1)[1].strip() == traditional_chars_from_opencc(), (
        "stale data file: run write_traditional_chars(Path('src/gongbao/data')) from gongbao.parse.script"
    )


def test_traditional_text_is_found_and_searched_as_simplified():
    printed = ["第一條　為了保障香港特別行政區的繁榮和穩定，根據憲法，制定本法。"] * 3
    assert is_traditional(printed)
    assert not is_traditional(["第一条　为了保障香港特别行政区的繁荣和稳定，根据宪法，制定本法。"] * 3)
    assert search_form("特別行政區") == "特别行政区"
    plain = "特别行政区"
    assert search_form(plain) is plain
