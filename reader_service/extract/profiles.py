"""Where portal CMSs put the article, and what around it is never read. Data only.

Selectors are CSS (compiled once to XPath by lxml/cssselect). Everything here is matched
case-insensitively on folded text where text is concerned.
"""

from __future__ import annotations

import re

# Article body containers of known portal CMSs and templates, most specific first. The first
# selector that matches an element with readable text wins; the generic extractor runs only
# when none does. Each entry names the CMS it comes from so it can be checked against a real page.
PORTAL_CONTENT_SELECTORS: tuple[str, ...] = (
    # VNPT and Viettel provincial portal templates (cổng TTĐT tỉnh, sở, huyện)
    ".news-detail .news-content",
    ".news-content",
    ".detail-content",
    ".news-detail .content",
    ".news-detail-content",
    ".ArticleContent",
    ".article-content",
    ".content-news",
    ".chi-tiet-tin",
    ".chitiettin",
    ".noidung",
    ".noi-dung",
    ".noidungchitiet",
    ".content-detail",
    ".detail-body",
    ".detail__content",
    "#newsContent",
    "#ctl00_divContent",
    # Liferay (journal articles and asset publisher full content)
    ".journal-content-article",
    ".asset-full-content",
    # SharePoint publishing pages
    ".ms-rtestate-field",
    # DotNetNuke modules
    ".DNNModuleContent .Normal",
    ".dnnContentArea",
    # WordPress and Joomla
    ".entry-content",
    ".post-content",
    ".item-page [itemprop=articleBody]",
    "[itemprop=articleBody]",
    ".item-page",
)

# Sapo (lead paragraph): read before the body when it sits outside the body container, after
# the headline and before the body (extract/lead.py checks the position).
LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:sapo|[\w-]*-sapo|sapo-[\w-]*|summary|[\w-]*-summary|lead|lede|"
    r"description|tomtat|tom-tat|mota|mo-ta|chapeau|standfirst|intro|excerpt|teaser)(?:$|[\s_-])",
    re.IGNORECASE,
)
LEAD_TAGS: tuple[str, ...] = ("p", "div", "h2", "h3", "span", "strong", "b", "section")

# Headline elements of known templates; used when no heading matches the page's <title>/og:title.
TITLE_SELECTORS: tuple[str, ...] = (
    ".news-title",
    ".title-detail",
    ".detail-title",
    ".article-title",
    ".title-news",
    ".tieude",
    ".tieu-de",
    ".entry-title",
    ".post-title",
    "[itemprop=headline]",
    ".item-page .page-header h2",
    ".header-title",
)

# class/id of headline-like elements on templates no profile knows ("TieuDeChiTiet",
# "post-title", "ten-bai"); used only near the article body, where box titles do not reach.
TITLE_CLASS = re.compile(r"title|tieu-?de|headline|ten-?bai|tenbai", re.IGNORECASE)

# Elements whose content a visitor never sees as text: removed before anything else.
INVISIBLE_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "object",
    "embed",
)

# Page furniture removed wholesale around (never inside) the article container. A <header>
# inside an <article> holds the headline and the sapo, so it is kept (see noise.py).
NOISE_TAGS: tuple[str, ...] = (
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
    "label",
    "marquee",
    "video",
    "audio",
    "map",
    "dialog",
)

# ARIA roles of landmarks and widgets that never hold the article.
NOISE_ROLES: frozenset[str] = frozenset(
    "navigation toolbar banner contentinfo search menu menubar dialog alert complementary".split()
)

# class/id words of elements that are never the article: comments, related and other news,
# footers. Removed whatever their size (but never the article container or its ancestors).
NOT_ARTICLE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:comments?|cmts?|binh-?luan|y-?kien|related|relate|relatedposts?|relatednews|"
    r"relatedarticles?|lienquan|tin-?lien-?quan|"
    r"other-?news|othernews|tinkhac|tin-?khac|more-?news|footer|breadcrumbs?|bread-?crumbs?|"
    r"share|sharing|toc|table-?of-?contents|muc-?luc|poll|survey|binh-?chon|tham-?do|"
    r"series|loat-?bai|prev-?next|post-?nav|pager|"
    r"social|toolbar|print|font-?size|fontsize|rating|vote|luot-?xem|tags?|tu-?khoa|"
    r"attachments?|dinh-?kem|file-?attach|caption|image-?desc|img-?desc|photo-?desc|pic-?desc|"
    r"skip-?link|audio-?player|doc-?bai|listen|sr-only|visually-?hidden|screen-?reader-?text|"
    r"cookie|newsletter|subscribe|"
    # a forum poster's signature under each post
    r"signature|post-?sig)(?:$|[\s_-])",
    re.IGNORECASE,
)

# class/id words of page furniture that may also name a layout wrapper ("has-sidebar",
# "main-menu-open"): such an element is removed only when it is small or mostly links.
FURNITURE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:tools?|menu|navbar|nav|views?|counter|marquee|slogan|banner|sidebar|"
    r"widget|advert|ads|quang-?cao|pagination|paging|reader|hidden|d-none|modal|popup|login|"
    r"author-?box|byline-?box|meta)(?:$|[\s_-])",
    re.IGNORECASE,
)

# Inline style that hides an element.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Labels of accessibility toolbars and article tools. A block made only of these (in any order,
# with separators) is never read.
# Article tools are a verb and what it acts on: "In bài", "Gửi tin", "Lưu bài viết"...
_TOOL_VERBS = ("In", "Gửi", "Lưu", "Tải", "Nghe", "Chia sẻ", "Đánh dấu", "Báo lỗi")
_TOOL_OBJECTS = ("bài", "bài viết", "tin", "tin bài", "trang", "văn bản")
TOOLBAR_LABELS: tuple[str, ...] = (
    "Chế độ ban đêm",
    "Chế độ ban ngày",
    "Chế độ tương phản",
    "Tương phản",
    "In trang",
    "In bài viết",
    "In bài",
    "Bản in",
    "Xuất PDF",
    "Tải PDF",
    "Đọc nội dung",
    "Đọc bài viết",
    "Nghe đọc bài viết",
    "Nghe bài viết",
    "Nghe đọc",
    "Dừng đọc",
    "Cỡ chữ",
    "Kích thước chữ",
    "Phóng to",
    "Thu nhỏ",
    "Mặc định",
    "Gửi email",
    "Gửi e-mail",
    "Gửi bài viết",
    "Gửi bạn bè",
    "Gửi cho bạn bè",
    "Chia sẻ",
    "Chia sẻ bài viết",
    "Lưu tin",
    "Lưu bài viết",
    "Quay lại",
    "Trở về",
    "In",
    "Lưu",
    "Nghe",
    "Gửi",
    "Tăng cỡ chữ",
    "Giảm cỡ chữ",
    "Cỡ chữ lớn",
    "Cỡ chữ nhỏ",
    "Sao chép liên kết",
    "Xem kết quả",
    "Biểu quyết",
    "Bình chọn",
    "Sao chép link",
    "Copy link",
    "Theo dõi",
    "Trở lại",
    "Về đầu trang",
    # a forum post's buttons
    "Trả lời",
    "Trích dẫn",
    "Trả lời với trích dẫn",
    "Báo cáo",
    "Thích",
    "Đầu trang",
    "Lên đầu trang",
    "Trang chủ",
    "Bình luận",
    "Đánh giá",
    "Tải về",
    "Tin liên quan",
    "Tin khác",
    "Các tin khác",
    "Từ khóa",
    "Từ khoá",
    "Thẻ",
    "Tags",
    "Facebook",
    "Zalo",
    "Twitter",
    "Email",
    "Print",
    "Lượt xem",
    "Lượt đọc",
    "Số lượt xem",
    "Lượt truy cập",
    *(f"{verb} {thing}" for verb in _TOOL_VERBS for thing in _TOOL_OBJECTS),
)

# Headings of lists of other articles, in their many wordings: "Bài viết cùng chuyên mục",
# "Các tin đã đưa", "Tin tức khác", "Video liên quan"...
NOT_ARTICLE_HEADING_PATTERN = re.compile(
    # the other parts of a series: "Loạt bài: Cao tốc về đích", "Cùng loạt bài"
    r"^(?:cùng |các bài trong )?loạt bài\b.{0,80}$|"
    r"^(?:các |những )?(?:tin|bài|bài viết|tin bài|tin tức|thông tin|văn bản|video|ảnh|"
    r"hình ảnh|sự kiện|tin ảnh)(?: \w+){0,2}? (?:liên quan|cùng chuyên mục|cùng danh mục|"
    r"cùng lĩnh vực|cùng loại|cùng chủ đề|khác|mới|mới nhất|mới hơn|cũ hơn|đã đưa|đã đăng|"
    r"đã đăng tải|đã xuất bản|trước đó|đọc nhiều|"
    r"đọc nhiều nhất|nổi bật|xem nhiều|xem nhiều nhất|tiêu điểm|trước|tiếp theo)$|"
    # a heading with no noun before it: "Xem nhiều nhất", "Cùng chủ đề", "Cùng chuyên mục"
    r"^(?:xem|đọc) nhiều(?: nhất)?(?: trong (?:ngày|tuần|tháng))?$|"
    r"^cùng (?:chủ đề|chuyên mục|danh mục|lĩnh vực)$",
    re.IGNORECASE,
)

# A heading or lead-in that starts a block which is not the article: related and latest news,
# attachments, tags, comments. The block it heads (and the list after it) is not read.
NOT_ARTICLE_HEADINGS: frozenset[str] = frozenset(
    s.casefold()
    for s in (
        "Tin liên quan",
        "Có liên quan",
        "Bài viết liên quan",
        "Tin bài liên quan",
        "Các tin liên quan",
        "Tin cùng chuyên mục",
        "Tin cùng loại",
        "Bài cùng chuyên mục",
        "Tin khác",
        "Các tin khác",
        "Tin mới",
        "Tin mới nhất",
        "Tin mới hơn",
        "Tin cũ hơn",
        "Tin đã đưa",
        "Các tin đã đưa",
        "Các tin mới",
        "Các tin cũ",
        "Tin tức khác",
        "Bài viết khác",
        "Xem thêm",
        "Đọc thêm",
        "Có thể bạn quan tâm",
        "Nội dung chính",
        "Mục lục",
        "Mục lục bài viết",
        "Table of contents",
        "Contents",
        "Tin nổi bật",
        "Tin đọc nhiều",
        "Đọc nhiều nhất",
        "Tập tin đính kèm",
        "File đính kèm",
        "Tệp đính kèm",
        "Tài liệu đính kèm",
        "Văn bản đính kèm",
        "Đính kèm",
        "Từ khóa",
        "Từ khoá",
        "Tags",
        "Ý kiến bạn đọc",
        "Ý kiến",
        "Bình luận",
        "Gửi bình luận",
        "Gửi ý kiến",
        "Viết bình luận",
        "Related",
        "Related articles",
        "Related posts",
        "Related stories",
        "Read more",
        "More stories",
        "Comments",
        "Leave a comment",
        "Leave a reply",
    )
)

# Paragraph patterns that are page furniture, not article text.
FURNITURE = re.compile(
    r"^(?:"
    # breadcrumbs: "Trang chủ > Tin tức > ..."
    r"trang chủ\s*[>»/›|][^.!?]{0,150}"
    # photo credit lines: "Ảnh: TTXVN", "(Ảnh minh họa)"
    r"|\(?ảnh(?: minh họa| minh hoạ| tư liệu)?\s*(?:[:：].{0,80})?\)?"
    # captions that end with their credit: "Quang cảnh hội nghị - Ảnh: VGP", "... (Ảnh: T.L)"
    r"|[^\n]{3,250}?(?:[.\-–—]\s*|\s\()(?:ảnh|nguồn ảnh|ảnh minh họa|ảnh minh hoạ|ảnh tư liệu)"
    r"\s*[:：][^!?:;]{1,40}\)?"
    r"|[^\n]{3,250}?\s\(ảnh(?: minh họa| minh hoạ| tư liệu)?\)"
    # view and comment counters
    r"|(?:số )?lượt (?:xem|đọc|truy cập)\s*[:：]?\s*[\d.,]*"
    r"|(?:bình luận|ý kiến)\s*\(\d+\)"
    # section links of old layouts: "Tin kinh tế >>"
    r"|[^.!?]{1,40}\s*(?:>>|»)"
    # a line that points to another article: ">> Vì sao sữa ... Kỳ 1"
    r"|(?:>>|»)\s*[^\n]{3,200}"
    # advertisement labels, a video's caption line, a post's "Đăng ngày ... bởi ..." line
    r"|quảng cáo|advertisement|sponsored|nội dung tài trợ"
    r"|(?:đang tải|loading|vui lòng bật javascript|please enable javascript)[^.!?]{0,60}[.…!]*"
    r"|(?:video|clip)\s*[:：][^.!?]{1,100}"
    r"|(?:đăng|được đăng|gửi|viết|cập nhật)(?: ngày| lúc| vào)?[^.!?]{0,40}\bbởi\b[^.!?]{1,60}"
    # a byline with its date: "Lan Anh - 20/09/2025", "Minh Đức | 08:30 12/3/2025"
    r"|[^\d.!?]{2,40}\s[-–|]\s*(?:\d{1,2}:\d{2}\s*)?\d{1,2}/\d{1,2}/\d{4}(?:\s*[-|,]?\s*\d{1,2}:\d{2})?"
    # "Xem thêm: <link>" lead-ins to other articles
    r"|(?:xem thêm|đọc thêm|tin liên quan|bài liên quan)\s*[:：>»].{0,200}"
    # date-only meta lines: "Thứ Sáu, 14/05/2021 10:30", "Cập nhật: 14-05-2021"
    r"|\(?(?:(?:ngày )?(?:đăng|cập nhật|xuất bản|đăng tải|ngày đăng|thời gian|posted|updated)"
    r"[^:]{0,20}[:：]\s*)?(?:(?:thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật),?\s*)?"
    r"(?:ngày\s*)?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"(?:\s*[-|,|]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:am|pm|sa|ch)?)?(?:\s*\(?gmt\s*\+\s*7\)?)?\)?"
    r")\.?$",
    re.IGNORECASE,
)

# Suffixes and prefixes of <title>/og:title that name the site rather than the article.
# (Applied to the segments around " - " / " | ", which are short: "Sở Y tế tỉnh Đồng Nai".)
SITE_NAME_HINTS = re.compile(
    r"^(?:cổng thông tin|cổng ttđt|cổng tt\b|cong thong tin|trang thông tin|trang tin|ttđt|"
    r"báo điện tử|tạp chí|website|portal|ubnd|sở |đài |(?-i:Báo [A-ZĐ]))"
    r"|\.(?:vn|com|net|org|gov)\b",
    re.IGNORECASE,
)
# A whole <title> that names only the portal: never the article's headline.
PORTAL_NAME = re.compile(
    r"^(?:cổng thông tin|cổng ttđt|trang thông tin điện tử|trang tin điện tử|website)\b",
    re.IGNORECASE,
)

# First words of the bodies that sign government articles ("Phòng Công tác xã hội",
# "Trung tâm Văn hóa huyện"): a short line starting with one is a byline.
BYLINE_BODIES: tuple[str, ...] = (
    "Ban",
    "Báo",
    "Bệnh viện",
    "Bộ",
    "Chi cục",
    "Công an",
    "Cục",
    "Đài",
    "Hội",
    "Khoa",
    "Phòng",
    "Sở",
    "Tổ",
    "Trung tâm",
    "Trường",
    "UBND",
    "Ủy ban",
    "Văn phòng",
    "Viện",
)
