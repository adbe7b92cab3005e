"""detect_language: English, simplified or traditional Chinese, on made-up texts."""
import pytest

from articles.ingest.language import detect_language

EN = (
    "Hangzhou's biotech park signed agreements with twelve companies on Monday, "
    "officials said, as the city tries to attract more drug developers to its western districts."
)
HANS = "杭州未来科技城生物医药小镇周一与十二家企业签约，官员表示，这座城市正努力吸引更多药物研发企业落户。"
HANT = "臺北生技園區週一與十二家企業簽約，官員表示，這座城市正努力吸引更多藥物研發企業進駐，並擴建實驗室與廠房。"


def test_english():
    assert detect_language(EN) == "en"


def test_simplified():
    assert detect_language(HANS) == "zh-hans"


def test_traditional():
    assert detect_language(HANT) == "zh-hant"


def test_traditional_article_with_a_simplified_spam_line_stays_traditional():
    spam = "手机游戏下载,热门小说排行,明星八卦新闻,最新电影资源"
    text = spam + "\n\n" + "\n".join([HANT] * 4)
    assert detect_language(text) == "zh-hant"


def test_english_article_quoting_chinese_names_stays_english():
    text = EN + " The park, known as 未来科技城 (Future Sci-Tech City), opened in 2011. " + EN
    assert detect_language(text) == "en"


def test_chinese_article_with_english_company_names_stays_chinese():
    text = HANS + "参与签约的企业包括 BeiGene、Insilico Medicine 和 WuXi AppTec 等。" + HANS
    assert detect_language(text) == "zh-hans"


@pytest.mark.parametrize("text,lang", [("", "en"), ("1234 5678", "en"), ("藥", "zh-hant"), ("药", "zh-hans")])
def test_degenerate_inputs(text, lang):
    assert detect_language(text) == lang


def test_long_text_is_fast_enough():
    import time

    text = "\n".join([HANT] * 2000)  # ~120k characters
    t = time.perf_counter()
    assert detect_language(text) == "zh-hant"
    assert time.perf_counter() - t < 0.5
