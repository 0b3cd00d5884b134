"""A synthetic help center of any size, in English and Japanese, for the scale benchmarks.

Pages look like help-center articles: a title of a few topic words, then 150-600 words in
paragraphs, headings and lists. Words follow a Zipf law over a vocabulary of real help-center
words followed by a long tail of made-up product and feature names, so a few words are on most
pages and most words on a few, as in real collections. Each page has a topic whose words it
uses more often. The same seed always writes the same corpus and the same queries.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

TOPICS = ["account", "billing", "projects", "integrations", "mobile", "admin", "reports", "trouble"]

EN_COMMON = """the to and a you your in of for is on it this with can be that from or are
if as by not an at will when which all page new more use then select open click""".split()

EN_WORDS = """password reset sign login account email address verify verification code
two-step authentication single sign-on saml sso workspace owner admin member invite team
role permission guest project task board list card checklist due date calendar reminder
notification mobile app iphone android desktop browser chrome safari offline sync upload
file attachment image storage limit plan upgrade downgrade subscription trial invoice receipt
payment card credit refund tax billing cycle annual monthly price discount coupon export
import csv excel pdf report dashboard chart filter search archive delete restore trash
history activity log audit api token webhook integration slack teams github zapier google
outlook ical timezone language settings profile avatar name username security session device
backup data retention privacy gdpr domain custom field template automation rule trigger
action label tag priority status comment mention reply thread chat message share link public
private access request approve deny error loading slow blank screen crash update version
release beta feature shortcut keyboard print copy move duplicate rename sort group view
gantt timeline milestone dependency estimate time tracking timer hours budget cost client
portal form survey contact support ticket chat bot help guide tutorial video onboarding""".split()

EN_TOPIC_WORDS = {
    "account": "password reset login sign email verify two-step sso saml session device",
    "billing": "invoice receipt payment card refund tax plan upgrade subscription coupon",
    "projects": "project task board card checklist due calendar milestone gantt timeline",
    "integrations": "api token webhook slack teams github zapier google outlook ical",
    "mobile": "mobile app iphone android offline sync notification upload image device",
    "admin": "workspace owner admin member invite role permission guest domain audit",
    "reports": "report dashboard chart export csv excel pdf filter time tracking",
    "trouble": "error loading slow blank screen crash browser cache update version",
}

JA_PARTICLES = "は を に が で の と も から まで へ や".split()
JA_ENDINGS = ["します。", "できます。", "してください。", "されます。", "ありません。", "です。"]
JA_WORDS = """パスワード 再設定 ログイン アカウント メール アドレス 認証 確認 コード 二段階認証
シングルサインオン ワークスペース 管理者 メンバー 招待 権限 ゲスト プロジェクト タスク ボード
リスト カード チェックリスト 期限 カレンダー リマインダー 通知 スマートフォン アプリ ブラウザ
同期 アップロード ファイル 添付 画像 容量 上限 プラン 変更 契約 請求書 領収書 支払い
クレジットカード 返金 税金 料金 年額 月額 割引 エクスポート インポート レポート 集計 グラフ
検索 削除 復元 履歴 操作 ログ 連携 設定 言語 時間帯 プロフィール 表示 名前 セキュリティ
端末 保存 データ 個人情報 テンプレート 自動化 条件 ラベル 優先度 状態 コメント 返信 共有
公開 非公開 申請 承認 エラー 読み込み 画面 更新 機能 ショートカット 印刷 複製 移動 並べ替え
担当者 進捗 工数 予算 顧客 問い合わせ サポート 案内 動画 手順 方法 解約 登録 無料 期間""".split()

JA_TOPIC_WORDS = {
    "account": "パスワード 再設定 ログイン メール 認証 二段階認証 シングルサインオン 端末",
    "billing": "請求書 領収書 支払い クレジットカード 返金 税金 プラン 料金 解約",
    "projects": "プロジェクト タスク ボード カード 期限 カレンダー 進捗 担当者 工数",
    "integrations": "連携 通知 設定 ファイル 共有 公開 自動化 条件 テンプレート",
    "mobile": "スマートフォン アプリ 同期 通知 アップロード 画像 端末 表示",
    "admin": "ワークスペース 管理者 メンバー 招待 権限 ゲスト 承認 履歴",
    "reports": "レポート 集計 グラフ エクスポート インポート データ 検索 予算",
    "trouble": "エラー 読み込み 画面 ブラウザ 更新 表示 ログイン 問い合わせ",
}

_EN_SYLLABLES = (
    "ka ro mi ten vel sar dor lin qua zen tro fle mar bis cor pex lum rad nov ext "
    "ba de fi go hu ja ke lo mu ni pa re si tu vo wa xi yo za"
).split()
_JA_KANA = list(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
)
_KANJI = list("案件票帳簿型式値域層網鍵盤枠束軸点線面表図録冊版段組系統器具材質量")


@dataclass(frozen=True)
class Page:
    slug: str
    lang: str
    topic: str
    title: str
    body: str


class Vocabulary:
    """Words of one language, drawn by a Zipf law; topic words drawn more often on their topic."""

    def __init__(self, words: list[str], topics: dict[str, list[str]], rng: random.Random):
        self.words = words
        self.topics = topics
        self.rng = rng
        weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(words))]
        self._cumulative = list(itertools.accumulate(weights))

    def draw(self, topic: str) -> str:
        if self.rng.random() < 0.18:
            return self.rng.choice(self.topics[topic])
        x = self.rng.random() * self._cumulative[-1]
        return self.words[bisect.bisect(self._cumulative, x)]


def _long_tail(rng: random.Random, make, count: int) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen[make(rng)] = None
    return list(seen)


def _en_name(rng: random.Random) -> str:
    return "".join(rng.choice(_EN_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _ja_name(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return "".join(rng.choice(_JA_KANA) for _ in range(rng.randint(3, 5))) + "ー"
    return "".join(rng.choice(_KANJI) for _ in range(2))


def _vocabulary(seed: int, lang: str) -> Vocabulary:
    rng = random.Random(f"{seed}-{lang}")
    if lang == "en":
        tail, words, topics = _long_tail(rng, _en_name, 12_000), EN_WORDS, EN_TOPIC_WORDS
    else:
        tail, words, topics = _long_tail(rng, _ja_name, 12_000), JA_WORDS, JA_TOPIC_WORDS
    return Vocabulary(words + tail, {t: w.split() for t, w in topics.items()}, rng)


def _en_sentence(vocab: Vocabulary, topic: str) -> str:
    rng = vocab.rng
    words = []
    for _ in range(rng.randint(6, 16)):
        words.append(rng.choice(EN_COMMON) if rng.random() < 0.4 else vocab.draw(topic))
    return " ".join(words).capitalize() + "."


def _ja_sentence(vocab: Vocabulary, topic: str) -> str:
    rng = vocab.rng
    parts = []
    for _ in range(rng.randint(3, 7)):
        parts.append(vocab.draw(topic) + rng.choice(JA_PARTICLES))
    return "".join(parts) + vocab.draw(topic) + rng.choice(JA_ENDINGS)


def _page(vocab: Vocabulary, lang: str, number: int) -> Page:
    rng = vocab.rng
    topic = TOPICS[number % len(TOPICS)]
    sentence = _en_sentence if lang == "en" else _ja_sentence
    title_words = [vocab.draw(topic) for _ in range(rng.randint(3, 6))]
    title = " ".join(title_words).capitalize() if lang == "en" else "の".join(title_words[:4])
    target = rng.randint(150, 600)  # words (English) or word-sized units (Japanese)
    blocks: list[str] = []
    size = 0
    while size < target:
        roll = rng.random()
        if roll < 0.12:
            blocks.append("## " + " ".join(vocab.draw(topic) for _ in range(3)))
            size += 3
        elif roll < 0.25:
            items = [sentence(vocab, topic) for _ in range(rng.randint(2, 4))]
            blocks.append("\n".join(f"- {item}" for item in items))
            size += 10 * len(items)
        else:
            text = " ".join(sentence(vocab, topic) for _ in range(rng.randint(2, 5)))
            blocks.append(text)
            size += len(text.split()) if lang == "en" else len(text) // 3
    return Page(f"s{number:06d}-{lang}", lang, topic, title, "\n\n".join(blocks))


def pages(count: int, lang: str, seed: int = 1) -> list[Page]:
    vocab = _vocabulary(seed, lang)
    return [_page(vocab, lang, number) for number in range(count)]


def write_content(folder: Path, corpus: list[Page]) -> None:
    """Markdown articles under `folder`, in the layout `content import` reads."""
    topics = "\n".join(f"- slug: {t}\n  en: {{name: {t}}}\n  ja: {{name: {t}}}" for t in TOPICS)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "categories.yml").write_text(topics + "\n", encoding="utf-8")
    for page in corpus:
        target = folder / "articles" / page.lang / page.topic / f"{page.slug}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        front = f"---\ntitle: {page.title}\nlang: {page.lang}\ncategory: {page.topic}\n---\n\n"
        target.write_text(front + page.body + "\n", encoding="utf-8")


def queries(corpus: list[Page], count: int, seed: int = 2) -> list[str]:
    """`count` distinct queries of 1-3 words, taken as people type them: mostly words of some
    page's title, sometimes of its text, so most queries have answers and some are vague."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < count:
        page = rng.choice(corpus)
        from_title = rng.random() < 0.7
        if page.lang == "ja" and not from_title:
            # Japanese text has no spaces: take the known words the body uses.
            words = [w for w in JA_WORDS if w in page.body]
        else:
            source = page.title if from_title else page.body
            words = [w.strip(".-#") for w in source.replace("の", " ").split()]
            words = [w for w in words if len(w) > 1 and w.lower() not in EN_COMMON]
        if not words:
            continue
        picked = rng.sample(words, min(len(words), rng.choice([1, 1, 2, 2, 2, 3])))
        out[" ".join(w.lower() for w in picked)] = None
    return list(out)
