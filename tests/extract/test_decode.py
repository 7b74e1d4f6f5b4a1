"""toolkit.extract.decode: bytes to text without garbling, whatever the page declares."""

from __future__ import annotations

import codecs

import pytest

from toolkit.extract.decode import (
    clean_text,
    declared_encoding,
    decode_bytes,
    mojibake_score,
    normalize_encoding,
    sniff_binary,
)

CHINESE = "杭州将举办二十国集团峰会，警方加强了火车站和酒店的安全检查。"
FRENCH = "Le sommet du G20 à Hangzhou : la sécurité renforcée près du lac de l’Ouest, déjà connu. "


def _page(body: str, charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("x-gbk", "gb18030"),
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("UTF8", "utf-8"),
        ("utf-8", "utf-8"),
        ("Shift_JIS", "cp932"),
        ("windows-1251", "cp1251"),
        ("no-such-charset", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_encoding_maps_labels_to_browser_supersets(label, codec):
    assert normalize_encoding(label) == codec


def test_declared_encoding_prefers_the_http_header_over_the_page():
    content = _page("x", "gb2312").encode()
    assert declared_encoding(content) == "gb18030"
    assert declared_encoding(content, "text/html; charset=ISO-8859-1") == "cp1252"
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=Big5">'
    assert declared_encoding(http_equiv) == "big5hkscs"
    assert declared_encoding(b'<?xml version="1.0" encoding="windows-1252"?><html/>') == "cp1252"


def test_byte_order_marks_win():
    text = _page("Grüße aus Hangzhou")
    for codec, bom in (("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                       ("utf-16-be", codecs.BOM_UTF16_BE)):
        decoded = decode_bytes(bom + text.encode(codec), content_type="text/html; charset=latin-1")
        assert decoded.text == text
        assert decoded.method == "bom"


def test_utf16_without_bom_is_recognised():
    text = _page("Grüße aus Hangzhou")
    assert decode_bytes(text.encode("utf-16-le")).text == text
    assert sniff_binary(text.encode("utf-16-le")) is None


def test_gbk_page_declared_gb2312_decodes_completely():
    # 喆 exists in GBK but not in GB2312: decoding with the label's codec would fail
    body = "Wang Zhe (王喆) reports: " + CHINESE
    content = _page(body, "gb2312").encode("gbk")
    decoded = decode_bytes(content)
    assert decoded.encoding == "gb18030"
    assert body in decoded.text
    assert decoded.replaced == 0


def test_one_invalid_byte_costs_one_character_not_the_page():
    from trafilatura.utils import decode_file

    good = _page(CHINESE * 20, "gb2312").encode("gb2312")
    position = good.index(CHINESE.encode("gb2312")) + 10
    bad = good[:position] + b"\xff" + good[position:]
    decoded = decode_bytes(bad)
    assert decoded.encoding == "gb18030"
    assert decoded.text.count("\ufffd") == 1
    assert decoded.text.count(CHINESE) == 19  # all but the sentence holding the bad byte
    # trafilatura ignores the declaration and loses every Chinese character
    raw = decode_file(bad)
    assert raw.count(CHINESE) == 0
    assert raw.count("\ufffd") > 100 or not any("\u4e00" <= ch <= "\u9fff" for ch in raw)


def test_page_declared_utf8_but_cp1252_is_redetected():
    content = _page(FRENCH * 30, "utf-8").encode("cp1252")
    decoded = decode_bytes(content)
    assert FRENCH.strip() in decoded.text
    assert decoded.encoding == "cp1252"
    assert "\ufffd" not in decoded.text


def test_page_declared_utf8_but_gbk_is_redetected():
    content = _page(CHINESE * 30, "utf-8").encode("gbk")
    decoded = decode_bytes(content)
    assert CHINESE in decoded.text
    assert decoded.encoding == "gb18030"


def test_page_declared_latin1_but_utf8_stays_utf8():
    text = _page(FRENCH * 5, "iso-8859-1")
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.text == text
    assert decoded.encoding == "utf-8"


def test_mixed_encodings_keep_the_majority_and_replace_the_rest():
    utf8_part = (FRENCH * 40).encode("utf-8")
    stray = "Vitória café".encode("cp1252")  # two stray cp1252 bytes
    content = _page("").encode().replace(b"<p>", b"<p>" + utf8_part + stray)
    decoded = decode_bytes(content, content_type="text/html; charset=utf-8")
    assert decoded.encoding == "utf-8"
    assert decoded.text.count(FRENCH) == 40
    assert "Vit\ufffdria caf\ufffd" in decoded.text
    assert decoded.replaced == 2


def test_nul_bytes_are_removed():
    decoded = decode_bytes(b"<html><body><p>Hang\x00zhou\x00</p></body></html>")
    assert "\x00" not in decoded.text
    assert "Hangzhou" in decoded.text


def test_encoded_lone_surrogates_are_removed():
    content = _page("Hang\ud800zhou café").encode("utf-8", "surrogatepass")
    decoded = decode_bytes(content)
    assert "Hangzhou café" in decoded.text
    assert "\ufffd" not in decoded.text
    decoded.text.encode("utf-8")  # writable: no surrogate left


def test_clean_text_removes_nul_and_lone_surrogates():
    assert clean_text("a\x00b\ud800c\udfffd") == "abcd"
    assert clean_text("plain ascii") == "plain ascii"
    assert clean_text("emoji 🙂 stays") == "emoji 🙂 stays"


def test_mojibake_score_prefers_the_right_code_page():
    content = (FRENCH * 10).encode("cp1252")
    assert mojibake_score(content.decode("cp1252")) < mojibake_score(content.decode("cp775"))
    assert mojibake_score("only ascii") == 0.0


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "GIF image"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP archive or Office document"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "gzip-compressed data (decompress it first)"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP image"),
        (bytes(range(32)) * 64, "binary data"),
    ],
)
def test_sniff_binary_names_non_text(content, kind):
    assert sniff_binary(content) == kind


@pytest.mark.parametrize(
    "content",
    [b"BMW and MZ are not images", b"<html><body>hi</body></html>", b"", "中文".encode("gbk")],
)
def test_sniff_binary_lets_text_through(content):
    assert sniff_binary(content) is None


def test_decode_never_raises_on_arbitrary_bytes():
    import random

    rng = random.Random(20160407)
    for size in (1, 7, 100, 5000):
        for _ in range(20):
            blob = bytes(rng.randrange(256) for _ in range(size))
            decoded = decode_bytes(blob, content_type=rng.choice([None, "text/html; charset=gbk"]))
            decoded.text.encode("utf-8")


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("cp1252", "Le sommet du G20 à Hangzhou : la sécurité renforcée près du lac, déjà. "),
        ("cp1250", "Szczyt G20 w Hangzhou: policja zaostrzyła kontrole, żeby zapewnić spokój. "),
        ("cp1251", "Саммит двадцатки в Ханчжоу: полиция усилила меры безопасности на вокзалах. "),
        ("koi8_r", "Саммит двадцатки в Ханчжоу: полиция усилила меры безопасности на вокзалах. "),
        ("cp1253", "Σύνοδος G20 στη Χανγκτσόου: η αστυνομία ενίσχυσε τα μέτρα ασφαλείας. "),
        ("shift_jis", "杭州でG20サミットが開かれ、警察は駅やホテルの警備を強化した。"),
        ("big5", "杭州舉辦二十國集團峰會，警方加強了火車站和酒店的安全檢查。"),
        ("euc_kr", "항저우에서 G20 정상회의가 열리고 경찰은 역과 호텔의 경비를 강화했다. "),
    ],
)
def test_misdeclared_legacy_encodings_are_detected(codec, text):
    content = _page(text * 20, "utf-8").encode(codec)
    assert text.strip() in decode_bytes(content).text
