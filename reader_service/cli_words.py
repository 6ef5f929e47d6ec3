"""click's own words in Vietnamese: "Usage:", "Options", "Show this message and exit.",
"Error: Missing argument…". click looks them up through gettext in each of its modules; this
module gives those look-ups Vietnamese answers, so `reader-service --help` and its usage errors
speak one language with the rest of the command. A message not listed stays as click wrote it."""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

_WORDS = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem '{command} {option}' để biết cách dùng.",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing command.": "Thiếu lệnh.",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option: {name}": "Không có tùy chọn: {name}",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Aborted!": "Đã dừng.",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải số hợp lệ ({number_type}).",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "{value!r} is not a valid boolean.": "{value!r} không phải giá trị đúng/sai hợp lệ.",
    "{value!r} is not a valid UUID.": "{value!r} không phải UUID hợp lệ.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là thư mục.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là tệp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} không đọc được.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} không ghi được.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "file": "Tệp",
    "directory": "Thư mục",
    "path": "Đường dẫn",
    "unknown error": "lỗi không rõ",
}
# Messages with a singular and a plural form: English singular -> (singular, plural) here.
_COUNTED = {
    "Got unexpected extra argument ({args})": ("Thừa đối số ({args})", "Thừa đối số ({args})"),
    "Did you mean {possibility}?": (
        "Có phải ý bạn là {possibility}?",
        "(Các tùy chọn gần giống: {possibilities})",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} không phải {choice}.",
        "{value!r} không thuộc {choices}.",
    ),
    "{value!r} does not match the format {format}.": (
        "{value!r} không đúng dạng {format} (ví dụ 2026-12-31).",
        "{value!r} không đúng dạng nào trong {formats}.",
    ),
    "Takes {nargs} values but 1 was given.": (
        "Cần {nargs} giá trị nhưng chỉ có 1.",
        "Cần {nargs} giá trị nhưng có {len}.",
    ),
}


_TYPE_PLACEHOLDERS = {
    "StringParamType": "CHỮ",
    "IntParamType": "SỐ",
    "IntRange": "SỐ",
    "FloatParamType": "SỐ",
    "FloatRange": "SỐ",
    "DateTime": "NGÀY",
}


def _words(message: str) -> str:
    return _WORDS.get(message, message)


def _counted(singular: str, plural: str, count: int) -> str:
    one, many = _COUNTED.get(singular, (singular, plural))
    return one if count == 1 else many


def install() -> None:
    """Answer click's look-ups in Vietnamese (its modules call the names bound here)."""
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = _words  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _counted  # type: ignore[attr-defined]


def name_placeholders(command: click.core.Command) -> None:
    """ "[TÙY_CHỌN]" and "LỆNH [ĐỐI_SỐ]..." in every usage line of ``command`` and below it."""
    command.options_metavar = "[TÙY_CHỌN]"
    for parameter in command.params:
        # Type names ("TEXT", "INTEGER RANGE") as placeholders, said in Vietnamese.
        if isinstance(parameter, click.core.Option) and parameter.metavar is None:
            kind = type(parameter.type).__name__
            if kind in _TYPE_PLACEHOLDERS and not parameter.is_flag:
                parameter.metavar = _TYPE_PLACEHOLDERS[kind]
    if isinstance(command, click.core.Group):
        command.subcommand_metavar = "LỆNH [ĐỐI_SỐ]..."
        for child in command.commands.values():
            name_placeholders(child)
