"""Headless Chromium from Debian's packages (`chromium`, `chromium-driver`), driven by Selenium.

No browser is downloaded: Selenium is pointed at /usr/bin/chromium and /usr/bin/chromedriver (or
what `BILLBOT_TEST_CHROMIUM` / `BILLBOT_TEST_CHROMEDRIVER` name). Where they are missing the browser
tests skip with the reason — unless `BILLBOT_TEST_BROWSER=required` (set by `.ci/run`, which installs
them), when a missing browser is a failure. The browser's console and network logs are kept, so a
test can say that a page logged no error and no request failed.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REQUIRED = os.environ.get("BILLBOT_TEST_BROWSER") == "required"
INSTALL = "apt-get install -y chromium chromium-driver (.ci/run does, and sets BILLBOT_TEST_BROWSER=required)"
DESKTOP, PHONE = (1280, 800), (390, 844)
TEXT_KEY = b"billbot-page"


def executables() -> tuple[str, str]:
    """Chromium and its driver, or a skip (a failure where the browser is required)."""
    chromium = os.environ.get("BILLBOT_TEST_CHROMIUM") or shutil.which("chromium")
    driver = os.environ.get("BILLBOT_TEST_CHROMEDRIVER") or shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    missing = ", ".join(name for name, path in (("chromium", chromium), ("chromedriver", driver)) if not path)
    if REQUIRED:
        pytest.fail(f"BILLBOT_TEST_BROWSER=required but {missing} is not installed: {INSTALL}")
    pytest.skip(f"headless Chromium is not installed here ({missing} missing): {INSTALL}")


@contextmanager
def chromium(*, javascript: bool = True) -> Iterator[Any]:
    """A headless Chromium session (Selenium WebDriver), closed afterwards."""
    binary, driver_path = executables()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
        "--force-device-scale-factor=1", "--lang=en-GB", "--no-first-run", "--disable-extensions",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
    ):  # fmt: skip
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.set_window_size(*DESKTOP)
        yield driver
    finally:
        driver.quit()


def console_errors(driver: Any) -> list[str]:
    """The console's errors (and failed loads Chromium reports there) since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def failed_requests(driver: Any) -> list[str]:
    """Requests that failed or answered 4xx/5xx since the last call (from the performance log)."""
    failures = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.loadingFailed":
            failures.append(f"{params.get('errorText')} ({params.get('type')})")
        elif message["method"] == "Network.responseReceived":
            response = params["response"]
            if response["status"] >= 400:
                failures.append(f"{response['status']} {response['url']}")
    return failures


def full_page_screenshot(driver: Any, width: int, path: Path, fingerprint: str) -> None:
    """A PNG of the whole page at `width`, with the page's fingerprint kept in a text chunk."""
    driver.set_window_size(width, 800)
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, height)
    png = driver.get_screenshot_as_png()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(with_text(png, fingerprint))


def with_text(png: bytes, text: str) -> bytes:
    """The PNG with a `tEXt` chunk (`billbot-page`) holding `text`, before its end."""
    data = TEXT_KEY + b"\0" + text.encode("latin-1")
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    end = png.rindex(b"IEND") - 4
    return png[:end] + chunk + png[end:]


def text_of(png: bytes) -> str | None:
    """The `billbot-page` text of a PNG, if it has one."""
    position = 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if kind == b"tEXt" and data.startswith(TEXT_KEY + b"\0"):
            return data[len(TEXT_KEY) + 1 :].decode("latin-1")
        position += 12 + length
    return None


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height (its IHDR)."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def click_and_wait(driver: Any, selector: str) -> None:
    """Click what `selector` finds and wait for the page that follows to load."""
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element("tag name", "html")
    driver.find_element("css selector", selector).click()

    def replaced(d: Any) -> bool:
        try:
            old.tag_name  # noqa: B018 - touching a stale element raises
        except Exception:
            return bool(d.execute_script("return document.readyState") == "complete")
        return False

    WebDriverWait(driver, 30).until(replaced)
