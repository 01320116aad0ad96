"""法条面板 (the law panel): the cited article beside the work, with its neighbours and a search box.

Citations the desk shows become links (``linked_html`` + ``connect_links``); F1 (``install_f1``) opens the
article cited by the item in hand. In the main window the panel is a dock on the right; elsewhere (a dialog, a
test) it is a small window of its own. The panel shows the version in force today; the version box shows
older ones (a case decided under an older text).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from html import escape

from baihe_desk.errors import KnownError
from baihe_desk.services.common.citations import (
    Citation,
    find_citations,
    href_citation,
    parse_query,
    segments,
)
from baihe_desk.services.common.law_library import Article, LawLibrary, get_library
from baihe_desk.services.common.law_numerals import to_chinese
from baihe_desk.ui.common.layout import hbox, vbox
from baihe_desk.ui.common.qt import (
    QDialog,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QShortcut,
    Qt,
    QTextBrowser,
    QtWidgets,
    QWidget,
)
from baihe_desk.ui.common.widgets import button, combo, named, text_label

__all__ = [
    "LawPanel", "connect_links", "install_f1", "law_panel_for", "linked_html", "open_citation", "open_href",
    "citations_label", "pdf_citations_label", "text_at_cursor",
]

LINK_STYLE = "color:#0b57d0; text-decoration:none"
GREY = "#5f6368"


def linked_html(text: str, default_law: str | None = None,
                link_if: Callable[[Citation], bool] | None = None) -> str:
    """``text`` escaped for rich text, each citation of a bundled article a ``law:`` link (others stay text;
    ``link_if`` may keep more as text)."""
    out = []
    for part in segments(text, default_law=default_law):
        if isinstance(part, Citation) and part.bundled and _exists(part) and (link_if is None or link_if(part)):
            out.append(f"<a href='{part.href}' style='{LINK_STYLE}'>{escape(part.text)}</a>")
        else:
            out.append(escape(part.text if isinstance(part, Citation) else part))
    return "".join(out)


def _exists(c: Citation) -> bool:
    lib = get_library()
    return c.article in lib.version_on(c.law_key).articles  # type: ignore[arg-type]


class LawPanel(QWidget):
    """The article, its neighbours, the law/version boxes and the search box (number or words)."""

    def __init__(self, parent: QWidget | None = None, library: LawLibrary | None = None):
        super().__init__(parent)
        self.setObjectName("lawPanel")
        self.library = library or get_library()
        self.key: str | None = None
        self.number: int | None = None
        self.law = combo("lawPanelLaw", "法规", [(self.library.versions_of(k)[-1].short, k) for k in self.library.keys()])
        self.version = combo("lawPanelVersion", "版本")
        self.query = named(QLineEdit(), "lawPanelSearch", "查找条文",
                           tip="条号（122、一百二十二、第一百二十二条、民诉法 122）或词语（多个词用空格分开），按 Enter 查找")
        self.query.setPlaceholderText("条号或词语，Enter 查找")
        self.query.returnPressed.connect(self.search)
        self.find_button = button("查找", "lawPanelFind", "查找条文", self.search)
        self.results = named(QListWidget(), "lawPanelResults", "查找结果")
        self.results.itemActivated.connect(self._result_chosen)
        self.results.itemClicked.connect(self._result_chosen)
        self.results.setVisible(False)
        self.results.setMaximumHeight(160)
        self.results.setWordWrap(True)
        self.title = text_label(name="lawPanelTitle", rich=True)
        self.view = named(QTextBrowser(), "lawPanelText", "条文")
        connect_links(self.view, self._open_from_view)
        self.prev_button = button("上一条", "lawPanelPrev", "上一条", lambda: self.step(-1))
        self.next_button = button("下一条", "lawPanelNext", "下一条", lambda: self.step(1))
        self.source = text_label(name="lawPanelSource", style=f"color:{GREY}", selectable=True)
        vbox(hbox(QLabel("法规"), (self.law, 1), QLabel("版本"), (self.version, 1), margins=0),
             hbox((self.query, 1), self.find_button, margins=0), self.results, self.title, (self.view, 1),
             hbox(self.prev_button, self.next_button, margins=0), self.source, parent=self)
        self.law.activated.connect(lambda _i: self._law_chosen())
        self.version.activated.connect(lambda _i: self._show())
        for box in (self.law, self.version):  # narrow boxes: the dock must not widen the main window
            box.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
        self.setMinimumWidth(260)

    # -- navigation ----------------------------------------------------------------------------------
    def show_article(self, key: str, number: int, *, cited: Citation | None = None, version: str | None = None,
                     day: dt.date | None = None) -> Article | None:
        """Show article ``number`` of law ``key`` in ``version``, else the one in force on ``day`` (a case's date),
        else today's."""
        self.key, self.number, self._cited = key, number, cited
        self.law.setCurrentIndex(self.law.findData(key))
        self._fill_versions(version or (self.library.version_on(key, day).version if day else None))
        return self._show()

    def _fill_versions(self, version: str | None) -> None:
        assert self.key is not None
        vs = self.library.versions_of(self.key)
        current = version or self.library.version_on(self.key).version
        self.version.clear()
        for v in reversed(vs):
            self.version.addItem(f"{v.version}（{v.effective.isoformat()}起施行）", v.version)
        self.version.setCurrentIndex(max(0, self.version.findData(current)))

    def _law_chosen(self) -> None:
        self.key = self.law.currentData()
        self._fill_versions(None)
        v = self.library.version(self.key, self.version.currentData())
        self.number = v.numbers[0]
        self._cited = None
        self._show()

    def current_article(self) -> Article | None:
        if self.key is None or self.number is None:
            return None
        v = self.library.version(self.key, self.version.currentData())
        return v.articles.get(self.number)

    def _show(self) -> Article | None:
        if self.key is None or self.number is None:
            return None
        v = self.library.version(self.key, self.version.currentData())
        self.source.setText(f"{v.bracketed}{v.version}，{v.effective.isoformat()}起施行。来源：{v.source}")
        a = v.articles.get(self.number)
        if a is None:
            what = "（本库只收录节录的条文）" if v.excerpt else ""
            self.title.setText(f"<b>{escape(v.bracketed)}</b>")
            self.view.setHtml(f"<p style='color:#b3261e'>此版本没有第{to_chinese(self.number)}条{what}。</p>")
            self._update_buttons(v.numbers, None)
            return None
        cited = getattr(self, "_cited", None)
        where, mark = [], ""
        if cited is not None and cited.article == a.number:
            if cited.paragraph:
                where.append(f"第{to_chinese(cited.paragraph)}款")
            if cited.item:
                where.append(f"第（{to_chinese(cited.item)}）项")
                mark = f"（{to_chinese(cited.item)}）"  # the item's line is shown in bold
        self.title.setText(f"<b>{escape(v.bracketed)}　{a.label}</b>"
                           + (f"　<span style='color:{GREY}'>引用：{''.join(where)}</span>" if where else ""))
        before, after = self.library.neighbours(a)
        html = [f"<p style='color:{GREY}'>{escape(a.heading)}</p>" if a.heading else ""]
        html += [self._article_html(b, faded=True) for b in before]
        html.append(f"<a name='current'></a><div style='background:#fff8e1'>{self._article_html(a, mark=mark)}</div>")
        html += [self._article_html(b, faded=True) for b in after]
        self.view.setHtml("".join(html))
        self.view.scrollToAnchor("current")
        self.setAccessibleDescription(f"{v.short}{a.label}")
        self._update_buttons(v.numbers, a.number)
        return a

    def _article_html(self, a: Article, *, faded: bool = False, mark: str = "") -> str:
        v = self.library.version(a.law_key, a.version)
        unlinked: list[Citation] = []

        def same_numbering(c: Citation) -> bool:
            """A reference to another law is linked only when that law's current text was already in force when this
            one took effect: the 2022 民诉法解释 numbers the 民事诉讼法 as its 2021 text did."""
            ok = c.law_key == a.law_key or \
                self.library.version_on(c.law_key).effective <= v.effective  # type: ignore[arg-type]
            if not ok:
                unlinked.append(c)
            return ok

        paras = "".join(
            f"<p style='margin:2px 0'>{'<b>' if _marked(p, mark) else ''}"
            f"{linked_html(p, default_law=v.title, link_if=same_numbering)}"
            f"{'</b>' if _marked(p, mark) else ''}</p>" for p in a.paragraphs)
        if unlinked and not faded:
            names = "、".join(dict.fromkeys(self.library.versions_of(c.law_key)[-1].short  # type: ignore[arg-type]
                                            for c in unlinked))
            paras += (f"<p style='color:#8a5a00'>注：本条所引{names}的条文序号按{v.effective.year}年施行时的文本，"
                      "与本库收录的现行文本可能不同，故不设链接。</p>")
        color = f"color:{GREY};" if faded else ""
        label = (f"<a href='law:{a.law_key}/{a.number}' style='{LINK_STYLE}'>{a.label}</a>" if faded
                 else f"<b>{a.label}</b>")
        return f"<div style='{color}margin-bottom:8px'>{label}{paras}</div>"

    def _update_buttons(self, numbers: list[int], current: int | None) -> None:
        self.prev_button.setEnabled(current is not None and numbers.index(current) > 0)
        self.next_button.setEnabled(current is not None and numbers.index(current) < len(numbers) - 1)

    def step(self, delta: int) -> None:
        a = self.current_article()
        if a is None:
            return
        nums = self.library.version(a.law_key, a.version).numbers
        i = nums.index(a.number) + delta
        if 0 <= i < len(nums):
            self.number, self._cited = nums[i], None
            self._show()

    def _open_from_view(self, href: str) -> None:
        cited = href_citation(href)
        if cited is not None:
            self.show_article(cited.law_key, cited.article, cited=cited)  # type: ignore[arg-type]

    # -- search --------------------------------------------------------------------------------------
    def search(self) -> None:
        text = self.query.text().strip()
        self.results.clear()
        if not text:
            self.results.setVisible(False)
            return
        target = parse_query(text, current_law=self.key, library=self.library)
        if target is not None and target[1] in self.library.version_on(target[0]).articles:
            self.results.setVisible(False)
            self.show_article(*target)
            return
        here = self.law.currentData()  # words: this law's articles first, then the other laws'
        hits = self.library.search(text, key=here)
        hits += [a for a in self.library.search(text, limit=100) if a.law_key != here][:50]
        for a in hits:
            v = self.library.version(a.law_key, a.version)
            item = QListWidgetItem(f"{v.short}{a.label}：{a.text.replace(chr(10), ' ')[:60]}")
            item.setData(Qt.ItemDataRole.UserRole, (a.law_key, a.number))
            self.results.addItem(item)
        if not hits:
            self.results.addItem(QListWidgetItem("没有找到。" if target is None else "没有这一条。"))
        self.results.setVisible(True)
        self.results.setCurrentRow(0)

    def _result_chosen(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.show_article(*target)


def _marked(paragraph: str, mark: str) -> bool:
    """Does the paragraph open with the cited item's number, （一） or (一) as some texts write it?"""
    return bool(mark) and paragraph.startswith((mark, mark.replace("（", "(").replace("）", ")")))


# -- where the panel lives -------------------------------------------------------------------------------
def law_panel_for(widget: QWidget) -> LawPanel:
    """The window's law panel, made on first use: a dock on the main window's right, else a window of its own."""
    window = widget.window()
    panel = window.findChild(LawPanel, "lawPanel")
    if panel is not None:
        holder = panel.parentWidget()
        while holder is not None and not isinstance(holder, (QtWidgets.QDockWidget, QDialog)):
            holder = holder.parentWidget()
        if holder is not None:
            holder.show()
            holder.raise_()
        return panel
    panel = LawPanel()
    if isinstance(window, QMainWindow):
        dock = QtWidgets.QDockWidget("法条", window)
        dock.setObjectName("lawDock")
        dock.setWidget(panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.show()
        window.resizeDocks([dock], [min(460, max(300, window.width() // 3))], Qt.Orientation.Horizontal)
    else:
        dialog = QDialog(window)
        dialog.setObjectName("lawDialog")
        dialog.setWindowTitle("法条")
        vbox(panel, parent=dialog)
        dialog.resize(520, 640)
        dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # the keyboard stays with the work
        _beside(dialog, window)
        dialog.show()
        window.activateWindow()  # F1 again on the next item still reaches the work
    return panel


def _beside(dialog: QDialog, window: QWidget) -> None:
    """Put the panel at the right of ``window`` (over its right edge when the screen ends there)."""
    screen = window.screen()
    if screen is None:
        return
    area, frame = screen.availableGeometry(), window.frameGeometry()
    x = min(frame.right() + 1, area.right() - dialog.width())
    dialog.move(max(area.left(), x), max(area.top(), frame.top()))


Day = Callable[[], "dt.date | None"] | None  # the date whose version to show (a case decided under an older text)


def open_href(widget: QWidget, href: str, day: Day = None) -> LawPanel | None:
    cited = href_citation(href)
    if cited is None:
        return None
    panel = law_panel_for(widget)
    panel.show_article(cited.law_key, cited.article, cited=cited, day=day() if day else None)  # type: ignore[arg-type]
    return panel


def open_citation(widget: QWidget, texts: Iterable[str], default_law: str | None = None,
                  day: Day = None) -> LawPanel | None:
    """Open the first bundled article cited in ``texts`` (a text or a ``law:`` link); None when none is."""
    for text in texts:
        if text.startswith("law:"):
            return open_href(widget, text, day)
        for c in find_citations(text, default_law=default_law):
            if c.bundled and _exists(c):
                return open_href(widget, c.href, day)
    return None


def connect_links(widget: QLabel | QTextBrowser, slot: Callable[[str], object] | None = None, *,
                  day: Day = None) -> None:
    """Make ``law:`` links in a label or text browser open the panel (``slot(href)`` instead, if given)."""
    def activate(href: str) -> None:
        try:
            (slot or (lambda h: open_href(widget, h, day)))(href)
        except KnownError:
            pass  # a link to a version or article no longer there: nothing to open

    if isinstance(widget, QTextBrowser):
        widget.setOpenLinks(False)
        widget.anchorClicked.connect(lambda url: activate(url.toString()))
    else:
        widget.setTextFormat(Qt.TextFormat.RichText)
        widget.setTextInteractionFlags(widget.textInteractionFlags() | Qt.TextInteractionFlag.LinksAccessibleByMouse
                                       | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        widget.setOpenExternalLinks(False)
        widget.linkActivated.connect(activate)


def install_f1(widget: QWidget, texts: Callable[[], Iterable[str]], default_law: str | None = None, *,
               day: Day = None) -> QShortcut:
    """F1 anywhere in ``widget`` opens the article cited by ``texts()`` (the item in hand)."""
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_F1), widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(lambda: open_citation(widget, texts(), default_law, day))
    return shortcut


def text_at_cursor(view: QTextBrowser) -> list[str]:
    """For F1 in a text view: the link under the keyboard focus, the paragraph at the cursor, then the rest."""
    cursor = view.textCursor()
    anchor = cursor.charFormat().anchorHref() if cursor.hasSelection() else ""
    block = cursor.block().text()
    whole = view.toPlainText()
    return [anchor, block, whole] if anchor.startswith("law:") else [block, whole]



def citations_label(text: str, name: str = "lawCitations") -> QLabel:
    """A line listing every bundled article ``text`` cites (a document's), each a link to the law panel."""
    seen: dict[tuple[str, int], str] = {}
    lib = get_library()
    for c in find_citations(text):
        if c.bundled and _exists(c) and (c.law_key, c.article) not in seen:
            v = lib.version_on(c.law_key)  # type: ignore[arg-type]
            seen[(c.law_key, c.article)] = f"{v.short}第{to_chinese(c.article)}条"  # type: ignore[index]
    label = text_label(name=name, rich=True)
    label.setAccessibleName("本文书引用的法条")
    links = "　".join(f"<a href='law:{k}/{n}' style='{LINK_STYLE}'>{escape(t)}</a>" for (k, n), t in seen.items())
    label.setText(f"本文书引用：{links}" if links else "本文书未引用法规库中的条文。")
    connect_links(label)
    return label


def pdf_citations_label(document: object) -> QLabel:
    """``citations_label`` of a QPdfDocument's text (the preview of a generated document): lines joined and the
    page numbers (— 2 —) dropped, so a citation broken across a line or a page is still found."""
    pages = int(document.pageCount())  # type: ignore[attr-defined]
    text = "".join(document.getAllText(i).text() for i in range(pages))  # type: ignore[attr-defined]
    return citations_label(re.sub(r"[—－-]\s*\d+\s*[—－-]|\s+", "", text))
