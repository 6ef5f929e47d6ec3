"""Where portal CMSs put the article body, and what around it is never read. Data only."""

from __future__ import annotations

import re

# CSS selectors of the article body, most specific first. The first one that matches an element
# with text wins; the generic scorer runs only when none does.
SPECIFIC_CONTENT_SELECTORS: tuple[str, ...] = (
    # VNPT / Viettel portal templates
    ".news-content",
    ".detail-content",
    ".news-detail .content",
    ".article-content",
    ".chi-tiet-tin",
    ".noidung",
    ".content-detail",
    ".post-content",
    "#newsContent",
    # Liferay
    ".journal-content-article",
    ".asset-full-content",
    # SharePoint
    ".ms-rtestate-field",
    # DotNetNuke
    ".DNNModuleContent .Normal",
    ".dnnContentArea",
    # WordPress, Joomla
    ".entry-content",
    "[itemprop=articleBody]",
    ".item-page [itemprop=articleBody]",
    ".item-page",
)
# Tried last: they name the article's usual wrapper, not a CMS's body container.
GENERIC_CONTENT_SELECTORS: tuple[str, ...] = ("article .content", "article")
CONTENT_SELECTORS: tuple[str, ...] = SPECIFIC_CONTENT_SELECTORS + GENERIC_CONTENT_SELECTORS

# Lead paragraph (sapo) kept before the body when it sits outside the body container.
LEAD_SELECTORS: tuple[str, ...] = (".sapo", ".news-sapo", ".summary", ".lead", ".article-summary")

# Elements removed wholesale before anything is read.
NOISE_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "header",
    "footer",
    "aside",
    "figcaption",
    "marquee",
    "object",
    "embed",
    "video",
    "audio",
)

# class/id words that mark toolbars, share and rating widgets, related lists, comments, tags.
NOISE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|tools?|toolbar|print|font-?size|fontsize|related|"
    r"relate|lienquan|tin-?lien-?quan|other-?news|tags?|keywords?|tu-?khoa|comments?|binh-?luan|"
    r"breadcrumbs?|menu|navbar|nav|rating|vote|views?|luot-?xem|counter|marquee|slogan|"
    r"banner|footer|sidebar|widget|advert|ads|quang-?cao|attachments?|dinh-?kem|caption|"
    r"pagination|paging|meta|skip-?link|audio-?player|reader|doc-?bai|listen)(?:$|[\s_-])",
    re.IGNORECASE,
)

# Toolbar labels that are dropped wherever they appear as a paragraph of their own.
TOOLBAR_TEXTS: frozenset[str] = frozenset(
    s.casefold()
    for s in (
        "Chế độ ban đêm",
        "In trang",
        "Xuất PDF",
        "Đọc nội dung",
        "-A A +A",
        "A- A A+",
        "-A",
        "+A",
        "Cỡ chữ",
        "Nghe đọc bài viết",
        "In bài viết",
        "Gửi email",
        "Gửi bài viết",
        "Chia sẻ",
        "Lượt xem",
        "Bản in",
        "Lưu tin",
        "Quay lại",
        "Về đầu trang",
        "Tin liên quan",
        "Tin khác",
        "Các tin khác",
        "Từ khóa",
        "Bình luận",
        "Đánh giá",
        "Tải về",
    )
)
TOOLBAR_PREFIXES: tuple[str, ...] = ("lượt xem", "chia sẻ:", "từ khóa:", "tags:", "cỡ chữ")
