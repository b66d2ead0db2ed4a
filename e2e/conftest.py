"""End-to-end tests of the real Porta window.

tauri-driver (WebDriver for Tauri) starts WebKitWebDriver, which launches the built `porta`
binary; the tests drive the window like an operator would. `cargo xtask test` runs them under
Xvfb with PORTA_E2E_APP pointing at the debug build.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from urllib3.exceptions import ProtocolError

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "target" / "e2e" / "screenshots"
REPORTS = ROOT / "target" / "e2e" / "reports"
LOGS = ROOT / "target" / "e2e" / "logs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_display() -> int:
    """An X display number no server uses."""
    number = 90
    while Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
        number += 1
    return number


def wait_for_display(display: str, timeout: float = 20.0) -> None:
    socket_path = Path(f"/tmp/.X11-unix/X{display.lstrip(':')}")
    deadline = time.monotonic() + timeout
    while not socket_path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"Xvfb {display} did not start within {timeout} s")
        time.sleep(0.05)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "screen(size, dpi_scale): run the window on an Xvfb screen of that size")
    config.addinivalue_line("markers", "session_bus: give the app a D-Bus session bus of its own, as a desktop has")


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Waits until something listens on 127.0.0.1:`port`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listened on port {port} within {timeout} s")


def messages(locale: str) -> dict[str, str]:
    """The single-line Fluent messages of assets/locales/<locale>, terms filled in.

    Enough to know what the window must show without copying its texts into the tests.
    """
    terms: dict[str, str] = {}
    found: dict[str, str] = {}
    for ftl in sorted((ROOT / "assets" / "locales" / locale).glob("*.ftl")):
        for line in ftl.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^(-?[a-z][a-z0-9_-]*) = (.+)$", line)
            if match:
                key, value = match.groups()
                (terms if key.startswith("-") else found)[key] = value
    term = re.compile(r"\{ (-[a-z-]+) \}")
    return {key: term.sub(lambda m: terms[m.group(1)], value) for key, value in found.items()}


def visible_text(text: str) -> str:
    """Text as compared by the tests: without Fluent's bidi isolation marks."""
    return text.replace("\u2068", "").replace("\u2069", "")


class App:
    """Launches and quits the real Porta window through tauri-driver."""

    def __init__(self, driver_url: str, binary: Path) -> None:
        self.driver_url = driver_url
        self.binary = binary
        self.window: WebDriver | None = None
        # The environment the app runs in (to start a second copy of it by hand).
        self.env: dict[str, str] = {}

    def launch(self, args: list[str] | None = None, wait_for: str = "main h1") -> WebDriver:
        """Starts the app (with command-line `args`) and waits for `wait_for` to render."""
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(self.binary), "args": args or []})
        started = time.monotonic()
        # WebKitWebDriver sometimes drops the first connection while a previous session is
        # still closing; a new session is retried a few times before the test fails.
        for attempt in range(1, 4):
            try:
                self.window = webdriver.Remote(command_executor=self.driver_url, options=options)
                break
            except ProtocolError:
                if attempt == 3:
                    raise
                time.sleep(0.5 * attempt)
        self.window.implicitly_wait(0)
        self.wait_until(lambda w: w.find_elements("css selector", wait_for), "the first page to render")
        print(f"window ready in {time.monotonic() - started:.2f} s")
        return self.window

    def quit(self) -> None:
        if self.window is not None:
            self.window.quit()
            self.window = None

    def wait_until(self, condition, what: str, timeout: float = 15.0):
        assert self.window is not None
        # React replaces nodes while the page changes: a node gone stale is just "not yet".
        wait = WebDriverWait(self.window, timeout, ignored_exceptions=(StaleElementReferenceException,))
        return wait.until(condition, f"timed out waiting for {what}")

    def screenshot(self, name: str) -> Path:
        assert self.window is not None
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.window.save_screenshot(str(path))
        return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keeps each phase's report on the test item, so fixtures can see whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def fresh_output() -> None:
    """Screenshots and reports are from this run only."""
    for folder in (SCREENSHOTS, REPORTS, LOGS):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def app_binary() -> Path:
    binary = Path(os.environ.get("PORTA_E2E_APP", ROOT / "target" / "debug" / "porta-desktop"))
    if not binary.is_file():
        pytest.fail(f"{binary} does not exist: build it with `cargo build -p porta-desktop` or run `cargo xtask test`")
    return binary


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "porta-data"
    folder.mkdir()
    return folder


@pytest.fixture()
def app(app_binary: Path, data_dir: Path, request: pytest.FixtureRequest) -> Iterator[App]:
    """A tauri-driver whose app uses a fresh data folder; the window is launched by the test."""
    if shutil.which("tauri-driver") is None and not (Path.home() / ".cargo/bin/tauri-driver").exists():
        pytest.fail("tauri-driver is not installed: run `cargo xtask test`, which installs it")
    driver = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    port, native_port = free_port(), free_port()
    # The window's remembered size and place live in the configuration folder: one per test.
    env = dict(
        os.environ,
        PORTA_DATA_DIR=str(data_dir),
        PORTA_EXPORT_DIR=str(data_dir / "stampe"),
        XDG_CONFIG_HOME=str(data_dir.parent / "config"),
        RUST_LOG="warn",
        # The debug build under test takes updates as an installed copy would (self_update.rs).
        PORTA_E2E_AS_INSTALLED="1",
    )
    # `@pytest.mark.screen("1280x720", dpi_scale=1.25)`: a screen of its own, that size, text scaled.
    screen = request.node.get_closest_marker("screen")
    xvfb = None
    if screen is not None:
        display = f":{free_display()}"
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{screen.args[0]}x24", "-nolisten", "tcp"])
        wait_for_display(display)
        env["DISPLAY"] = display
        if "dpi_scale" in screen.kwargs:
            env["GDK_DPI_SCALE"] = str(screen.kwargs["dpi_scale"])
    # `@pytest.mark.session_bus`: a D-Bus session bus, which the single-instance plugin uses on Linux.
    bus = None
    if request.node.get_closest_marker("session_bus") is not None:
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE, text=True
        )
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    LOGS.mkdir(parents=True, exist_ok=True)
    log = (LOGS / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', request.node.name)}.log").open("wb")
    process = subprocess.Popen(
        [driver, "--port", str(port), "--native-port", str(native_port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port)
        wait_for_port(native_port)
        handle = App(f"http://127.0.0.1:{port}", app_binary)
        handle.env = env
        yield handle
        report = getattr(request.node, "report_call", None)
        if handle.window is not None and report is not None and report.failed:
            handle.screenshot(f"FAILED-{re.sub(r'[^A-Za-z0-9_.-]', '_', request.node.name)}")
        handle.quit()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(timeout=10)
        if bus is not None:
            bus.terminate()
            bus.wait(timeout=10)
        log.close()
