"""Baihe Desk — 白河林区基层法院 立案·调解工作台."""

__version__ = "0.1.0"
APP_NAME = "BaiheDesk"
APP_TITLE = "白河林区基层法院 立案·调解工作台"
