"""decode_bytes: what a curator sees when a file arrives in an odd encoding or is not text."""
import codecs
import random

import pytest

from articles.ingest.decode import UndecodableInput, decode_bytes

SIMPLIFIED = (
    "苏州工业园区生物医药产业园今年新引进创新药企业四十余家，园区负责人在周三的发布会上介绍，"
    "这些企业覆盖抗体药物、细胞治疗、基因编辑和高端医疗器械等领域。为了缩短新药上市周期，园区联合"
    "多家三甲医院建立了临床试验协作网络，并为初创团队提供共享实验室、中试车间和法规咨询服务。"
    "业内人士认为，随着审评审批制度改革持续推进，长三角地区的创新药研发生态将进一步完善，更多国产"
    "原研药有望走向国际市场。明年园区还计划举办国际合作论坛，邀请海外投资机构与本地企业对接。"
)
TRADITIONAL = (
    "新竹生醫園區今年新增十餘家新藥研發公司，園區管理局在記者會上表示，這些公司的研究方向包括"
    "抗體藥物、細胞治療與精準醫療。為協助團隊加速臨床試驗，園區與多家醫學中心合作建立試驗平臺，"
    "並提供共用實驗室與法規諮詢。業界普遍認為，隨著審查制度持續改革，臺灣生技產業的國際競爭力將"
    "進一步提升，更多本土研發的新藥有機會進入海外市場。明年園區也將舉辦國際論壇，邀請投資機構參與。"
)


def test_gb18030_without_declaration():
    data = SIMPLIFIED.encode("gb18030")
    assert decode_bytes(data) == SIMPLIFIED


def test_gbk_bytes_decode_as_gb18030():
    data = SIMPLIFIED.encode("gbk")
    assert decode_bytes(data) == SIMPLIFIED


def test_big5_file():
    data = TRADITIONAL.encode("big5")
    assert decode_bytes(data) == TRADITIONAL


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom(bom, codec):
    text = "Title line\n" + SIMPLIFIED
    out = decode_bytes(bom + text.encode(codec))
    assert out == text
    assert "\ufeff" not in out


def test_utf32_with_bom():
    text = "Shanghai 上海\n" + TRADITIONAL
    out = decode_bytes(codecs.BOM_UTF32_LE + text.encode("utf-32-le"))
    assert out == text


def test_utf8_with_bom_leaves_no_bom():
    out = decode_bytes(codecs.BOM_UTF8 + "BOM first\r\n".encode() + SIMPLIFIED.encode("utf-8"))
    assert not out.startswith("\ufeff")
    assert "\ufeff" not in out
    assert out.startswith("BOM first\n")


def test_newlines_normalised_and_nuls_dropped():
    out = decode_bytes(b"line one\r\nline two\rline three\n\x00")
    assert out == "line one\nline two\nline three\n"
    assert "\x00" not in out and "\r" not in out


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\n\t \r\n", codecs.BOM_UTF8 + b"  \n", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")])
def test_empty_and_whitespace_rejected(data):
    with pytest.raises(UndecodableInput) as err:
        decode_bytes(data)
    assert err.value.reason == "empty file"


def test_png_rejected_by_name():
    data = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(UndecodableInput) as err:
        decode_bytes(data)
    assert "PNG" in err.value.reason


@pytest.mark.parametrize(
    "head,label",
    [(b"%PDF-1.7\n", "PDF"), (b"PK\x03\x04\x14\x00", "ZIP"), (b"\x1f\x8b\x08\x00", "gzip"), (b"\xff\xd8\xff\xe0", "JPEG"), (b"GIF89a", "GIF")],
)
def test_other_magic_numbers_rejected(head, label):
    with pytest.raises(UndecodableInput) as err:
        decode_bytes(head + b"some payload bytes " * 20)
    assert label in err.value.reason


def test_nul_bytes_rejected_even_though_valid_utf8():
    data = b"\x00" * 5000
    data.decode("utf-8")  # it *is* valid UTF-8
    with pytest.raises(UndecodableInput) as err:
        decode_bytes(data)
    assert err.value.reason == "mostly NUL/control bytes"


def test_random_binary_rejected():
    rng = random.Random(1234)
    data = bytes(rng.randrange(256) for _ in range(8192))
    with pytest.raises(UndecodableInput) as err:
        decode_bytes(data)
    assert "binary" in err.value.reason or "NUL" in err.value.reason or "cannot decode" in err.value.reason


def test_declared_meta_charset_is_honoured():
    # Short traditional text: too little for statistics, but the page says big5.
    body = "生技新聞：園區擴建".encode("big5")
    page = b'<html><head><meta charset="big5"><title>t</title></head><body><p>' + body + b"</p></body></html>"
    assert "生技新聞：園區擴建" in decode_bytes(page)


def test_declared_http_equiv_gb2312_decodes_gbk_superset():
    body = "镕铖生物医药".encode("gbk")  # 镕 is outside GB2312: the label lies, GB18030 reads it
    page = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
        + body
        + b"</body></html>"
    )
    assert "镕铖生物医药" in decode_bytes(page)


def test_caller_declared_charset_used_when_bytes_say_nothing():
    data = "藥".encode("big5")  # 2 bytes: statistics cannot tell
    assert decode_bytes(data, declared_charset="big5") == "藥"


def test_wrong_declared_charset_does_not_break_utf8():
    page = '<meta charset="gbk"><p>生物医药 UTF-8 really</p>'.encode("utf-8")
    assert "生物医药" in decode_bytes(page)


def test_xml_declaration_encoding():
    data = '<?xml version="1.0" encoding="big5"?><rss><item><title>生醫</title></item></rss>'.encode("big5")
    assert "生醫" in decode_bytes(data)


def test_latin1_text_gives_readable_text_or_clear_rejection():
    data = ("Le café de Genève accueille une réunion sur la biotechnologie. " * 5).encode("latin-1")
    try:
        out = decode_bytes(data)
    except UndecodableInput as err:
        assert err.reason == "cannot decode as UTF-8, GB18030 or Big5"
    else:
        assert "Genève" in out and "café" in out


def test_high_byte_garbage_rejected_or_text():
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    try:
        out = decode_bytes(data)
    except UndecodableInput as err:
        assert err.reason
    else:  # if a decoder accepted it, the result must at least be clean text
        assert "\x00" not in out and "\ufeff" not in out


def test_utf16_without_bom_ascii_text():
    text = "Plain English text saved as UTF-16 without a byte-order mark.\n" * 10
    assert decode_bytes(text.encode("utf-16-le")) == text


@pytest.mark.parametrize("codec,text", [("utf-8", SIMPLIFIED), ("gb18030", SIMPLIFIED), ("big5", TRADITIONAL)])
def test_file_cut_in_the_middle_of_a_character_keeps_its_text(codec, text):
    data = text.encode(codec)[:-1]  # the last character lost its last byte
    out = decode_bytes(data)
    assert out[:-1] == text[:-1]
    assert out.endswith("\ufffd")


@pytest.mark.parametrize("codec,text", [("utf-8", SIMPLIFIED), ("gb18030", SIMPLIFIED), ("big5", TRADITIONAL)])
def test_one_damaged_byte_inside_keeps_the_encoding(codec, text):
    data = text.encode(codec)
    mid = len(data) // 2
    out = decode_bytes(data[:mid] + b"\xff" + data[mid:])
    assert out.startswith(text[:40]) and out.endswith(text[-40:])
    assert 1 <= out.count("\ufffd") <= 2


def test_random_high_bytes_are_rejected():
    rng = random.Random(11)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(6000))
    with pytest.raises(UndecodableInput):
        decode_bytes(data)
