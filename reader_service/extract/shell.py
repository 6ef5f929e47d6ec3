"""Pages built in the browser by JavaScript: what the server sends is an empty shell (a mount
point such as ``<div id="root">``, scripts, perhaps "Đang tải..."). Without a JSON-LD
``articleBody`` there is nothing to read, and reading the shell would be wrong: the editor is
told how to give the text instead."""

from __future__ import annotations

from lxml.html import HtmlElement

# Where single-page frameworks mount (React, Vue, Next, Nuxt, Angular, Quasar, Gatsby, Svelte).
_MOUNT_POINTS = (
    "//*[@id='root' or @id='app' or @id='__next' or @id='__nuxt' or @id='q-app' "
    "or @id='___gatsby' or @id='svelte' or @ng-app or @ng-version or @data-reactroot "
    "or @data-server-rendered]"
)
_SCRIPTS = "//script[@src or not(@type) or @type='module' or contains(@type, 'javascript')]"
# A shell shows at most a loading line, a noscript notice, a cookie banner.
_SHELL_TEXT_CHARS = 200
_MOUNT_TEXT_CHARS = 60


def _chars(text: str) -> int:
    return len("".join(text.split()))


def _visible_chars(element: HtmlElement) -> int:
    """Characters (not counting spaces) of the element's text outside scripts and styles;
    text_content() is one C call, far quicker than an XPath over every text node."""
    hidden = sum(
        _chars(node.text_content())
        for node in element.iter("script", "style", "noscript", "template")
    )
    return _chars(element.text_content()) - hidden


def is_javascript_shell(root: HtmlElement) -> bool:
    """Whether the page is a client-rendered shell: scripts, and either an empty mount point
    or (almost) no visible text at all. Call before scripts are removed."""
    if not root.xpath(_SCRIPTS):
        return False
    body = root.find("body")
    visible = _visible_chars(body if body is not None else root)
    if visible < _SHELL_TEXT_CHARS // 4:
        return True
    if visible >= _SHELL_TEXT_CHARS:
        return False
    mounts = root.xpath(_MOUNT_POINTS)
    return bool(mounts) and all(_visible_chars(mount) <= _MOUNT_TEXT_CHARS for mount in mounts)
