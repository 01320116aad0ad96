"""What the frozen desk keeps of what PyInstaller's analysis collected (used by ``baihe-desk.spec``).

PyInstaller's Qt hooks bring every plugin category and translation of the Qt modules they see;
the desk needs the windowing, image, print, style and input-method plugins and Qt's own strings in
Chinese. Names are the destination paths inside the frozen folder (``_internal/...``), with either
slash. Kept in its own module so ``tests/test_packaging.py`` can check the choice without a build.
"""

from __future__ import annotations

# Plugin folders of Qt (PySide6/Qt/plugins/<category>) the desk uses.
QT_PLUGIN_CATEGORIES = frozenset({
    "platforms",              # windows / xcb / offscreen / wayland: the window itself
    "platforminputcontexts",  # ibus / fcitx on Linux: typing Chinese
    "imageformats",           # the court's seal and logos (png/jpeg/gif/ico/svg)
    "iconengines",            # svg icons
    "printsupport",           # printers (CUPS on Linux; Windows prints through the platform plugin)
    "styles",                 # the Windows 11 / Windows Vista styles
    "xcbglintegrations",      # xcb needs one of them for OpenGL (QtPdf's view may use it)
})
# Plugins of those folders the desk does not use, and what only they need (by file name stem, without
# the lib prefix and the suffix): embedded-Linux and VNC platforms, Wayland (XWayland runs the xcb
# plugin), the on-screen keyboard (it pulls in QML and Qt Quick, 20 MB).
QT_PLUGINS_DROPPED = frozenset({
    "qeglfs", "qlinuxfb", "qminimalegl", "qvkkhrdisplay", "qvnc", "qwayland", "qtvirtualkeyboardplugin",
})
QT_LIBRARIES_DROPPED = ("Qt6Qml", "Qt6Quick", "Qt6VirtualKeyboard", "Qt6EglFS", "Qt6Wayland", "Qt6WlShell")
# Translations: Qt's dialogs in Chinese (ui/common/widgets.install_chinese loads qtbase_zh_CN).
QT_TRANSLATIONS = ("qt_zh_CN.qm", "qtbase_zh_CN.qm")


def _parts(dest: str) -> list[str]:
    return dest.replace("\\", "/").split("/")


def _qt_subfolder(parts: list[str], name: str) -> list[str] | None:
    """The path below Qt's <name> folder (PySide6/Qt/<name>/ on Linux, PySide6/<name>/ on Windows),
    or None when ``parts`` is not in that folder."""
    for i, part in enumerate(parts):
        if part != "PySide6":
            continue
        rest = parts[i + 1:]
        if rest[:1] == ["Qt"]:
            rest = rest[1:]
        if rest[:1] == [name]:
            return rest[1:]
        return None
    return None


def _stem(name: str) -> str:
    stem = name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def _keep_plugin(below: list[str]) -> bool:
    return len(below) > 1 and below[0] in QT_PLUGIN_CATEGORIES and _stem(below[-1]) not in QT_PLUGINS_DROPPED


def keep_binary(dest: str) -> bool:
    parts = _parts(dest)
    below = _qt_subfolder(parts, "plugins")
    if below is not None:
        return _keep_plugin(below)
    return not _stem(parts[-1]).startswith(QT_LIBRARIES_DROPPED)


def keep_data(dest: str) -> bool:
    parts = _parts(dest)
    below = _qt_subfolder(parts, "translations")
    if below is not None:
        return bool(below) and below[-1] in QT_TRANSLATIONS
    below = _qt_subfolder(parts, "plugins")
    if below is not None:
        return _keep_plugin(below)
    # Symbolic links to libraries (PyInstaller's SYMLINK entries) go with the libraries they point to.
    return "__pycache__" not in parts and not _stem(parts[-1]).startswith(QT_LIBRARIES_DROPPED)
