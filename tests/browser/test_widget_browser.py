"""The widget in real headless Chromium, embedded on a hostile page of another origin.

Every test talks to the real bot (create_app under werkzeug) through the real
widget.js; nothing is mocked. Playwright's CSS engine pierces the open shadow
root, so ``healthbot-widget .launcher`` finds the button inside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import AXE, BotServer

pytestmark = pytest.mark.browser

W = "healthbot-widget"
KEY_PREFIX = "healthbot:"
#: Which element inside the widget has focus (its class, or the tag when it has none).
FOCUSED = """() => {
  const host = document.querySelector('healthbot-widget');
  if (document.activeElement !== host) return 'outside:' + (document.activeElement || {}).tagName;
  const el = host.shadowRoot.activeElement;
  return el ? (el.className || el.tagName.toLowerCase()) + '|' + (el.textContent || '').trim() : 'none';
}"""


def focused(page: Page) -> str:
    return page.evaluate(FOCUSED)


def saved_keys(page: Page) -> list[str]:
    return page.evaluate("Object.keys(sessionStorage).concat(Object.keys(localStorage))")


def open_widget(page: Page, url: str) -> None:
    page.goto(url)
    page.locator(f"{W} .launcher").click()
    expect(page.locator(f"{W} [role=dialog]")).to_be_visible()


def ask(page: Page, text: str) -> None:
    box = page.locator(f"{W} textarea")
    box.fill(text)
    box.press("Enter")


def wait_answer(page: Page, fragment: str) -> None:
    expect(page.locator(f"{W} .msg.bot.answer:not(.welcome)").last).to_contain_text(fragment)


def chat_requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.method) if r.url.endswith("/api/chat") else None)
    return seen


def test_hostile_css_full_conversation_and_screenshots(page: Page, host_page: str, artifacts: Path) -> None:
    requests = chat_requests(page)
    page.goto(host_page)
    launcher = page.locator(f"{W} .launcher")
    expect(launcher).to_be_visible()
    box = launcher.bounding_box()
    assert box and 50 <= box["width"] <= 70 and 50 <= box["height"] <= 70, box
    assert launcher.get_attribute("aria-expanded") == "false"
    assert launcher.get_attribute("aria-label") == "Heart health questions"
    # Nothing is stored and nothing is sent before the patient opens the chat.
    assert saved_keys(page) == [] and requests == []
    # The widget did not restyle the host page either.
    assert page.eval_on_selector("#host-para", "e => getComputedStyle(e).color") == "rgb(0, 128, 0)"

    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    panel = page.locator(f"{W} [role=dialog]")
    expect(panel).to_be_visible()
    assert panel.get_attribute("aria-labelledby") == "hb-title"
    expect(page.locator(f"{W} #hb-title")).to_have_text("Heart health questions")
    assert 360 <= (panel.bounding_box() or {"width": 0})["width"] <= 400
    assert focused(page).startswith("textarea")
    assert [k for k in saved_keys(page) if k.startswith(KEY_PREFIX)], "the session id is kept once opened"

    ask(page, "what is angioplasty?")
    expect(page.locator(f"{W} .typing")).to_have_count(0)
    wait_answer(page, "opens a narrowed or blocked artery")
    message = page.locator(f"{W} .msg.bot.answer:not(.welcome)").last
    # Inside the shadow root the widget's own type scale holds against the host's 48px !important.
    assert message.evaluate("e => getComputedStyle(e).fontSize") == "15px"
    assert "Comic" not in message.evaluate("e => getComputedStyle(e).fontFamily")
    expect(page.locator(f"{W} .msg.notice")).to_contain_text("not medical advice")
    expect(page.locator(f"{W} .msg.meta").last).to_contain_text("Reviewed 2026-11-26.")
    links = page.locator(f"{W} .sources a")
    expect(links).to_have_count(3)
    for i in range(3):
        link = links.nth(i)
        assert (link.get_attribute("href") or "").startswith("https://")
        assert link.get_attribute("target") == "_blank"
        assert set((link.get_attribute("rel") or "").split()) >= {"noopener", "noreferrer"}
    expect(page.locator(f"{W} .sources li").first).to_contain_text("National Heart, Lung, and Blood Institute")
    # New bot text is announced through the polite live region.
    expect(page.locator(f"{W} [aria-live=polite]")).to_contain_text("opens a narrowed or blocked artery")

    page.locator(f"{W} .quick button", has_text="How is it done?").click()
    wait_answer(page, "catheter")
    expect(page.locator(f"{W} .msg.user").last).to_contain_text("How is it done?")
    assert requests == ["POST", "POST"]  # cross-origin JSON: CORS preflights are OPTIONS, not counted
    page.locator(f"{W} .log").evaluate("e => { e.scrollTop = e.scrollHeight - e.clientHeight - 200 }")
    page.screenshot(path=str(artifacts / "widget-desktop.png"))

    page.set_viewport_size({"width": 375, "height": 740})
    page.locator(f"{W} .log").evaluate("e => { e.scrollTop = e.scrollHeight - e.clientHeight - 260 }")
    page.screenshot(path=str(artifacts / "widget-375.png"))
    box = panel.bounding_box()
    assert box and box["x"] == 0 and box["width"] == 375
    assert not page.js_errors


def test_usable_at_320px(page: Page, host_page: str, artifacts: Path) -> None:
    page.set_viewport_size({"width": 320, "height": 568})
    open_widget(page, host_page)
    ask(page, "what is angioplasty?")
    wait_answer(page, "opens a narrowed or blocked artery")
    for selector in (".panel", "textarea", ".send", ".close", ".reset"):
        box = page.locator(f"{W} {selector}").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, (selector, box)
    # A shorter viewport (the on-screen keyboard is open) keeps the composer on screen.
    page.set_viewport_size({"width": 320, "height": 300})
    # The resize reaches the page's layout a frame or two later: poll until it has settled.
    for _ in range(40):
        box = page.locator(f"{W} textarea").bounding_box()
        if box and box["y"] + box["height"] <= 300:
            break
        page.wait_for_timeout(50)
    assert box and box["y"] + box["height"] <= 300, box
    page.screenshot(path=str(artifacts / "widget-320-keyboard.png"))


def test_reload_keeps_transcript_and_start_over_clears_it(page: Page, host_page: str) -> None:
    open_widget(page, host_page)
    ask(page, "what is angioplasty?")
    wait_answer(page, "opens a narrowed or blocked artery")
    key = next(k for k in saved_keys(page) if k.startswith(KEY_PREFIX))
    session_id = page.evaluate(f"JSON.parse(sessionStorage.getItem({key!r})).sid")

    page.reload()
    page.locator(f"{W} .launcher").click()
    expect(page.locator(f"{W} .msg.user")).to_have_text(["You: what is angioplasty?"])
    wait_answer(page, "opens a narrowed or blocked artery")
    expect(page.locator(f"{W} .quick button")).to_have_count(3)
    assert page.evaluate(f"JSON.parse(sessionStorage.getItem({key!r})).sid") == session_id
    # The same server-side session continues: a follow-up keeps the topic.
    ask(page, "how is it done?")
    wait_answer(page, "catheter")

    page.locator(f"{W} .reset").click()
    expect(page.locator(f"{W} .msg.user")).to_have_count(0)
    expect(page.locator(f"{W} .msg.bot")).to_have_count(1)  # the local welcome only
    assert saved_keys(page) == []
    page.reload()
    page.locator(f"{W} .launcher").click()
    expect(page.locator(f"{W} .msg.user")).to_have_count(0)


def test_keyboard_only_walkthrough(page: Page, host_page: str) -> None:
    page.goto(host_page)
    page.keyboard.press("Tab")  # the host page's link
    page.keyboard.press("Tab")
    assert focused(page).startswith("launcher")
    page.keyboard.press("Enter")
    expect(page.locator(f"{W} [role=dialog]")).to_be_visible()
    assert focused(page).startswith("textarea")
    page.keyboard.type("what is angioplasty?")
    page.keyboard.press("Enter")
    wait_answer(page, "opens a narrowed or blocked artery")
    assert focused(page).startswith("textarea"), "focus stays in the composer when the answer arrives"

    # Every control is reachable with Tab, in a sensible order.
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    stops = []
    page.keyboard.press("Shift+Tab")  # from the composer back to the panel's start
    for _ in range(20):
        stops.append(focused(page))
        page.keyboard.press("Shift+Tab")
        if focused(page).startswith("launcher"):
            break
    kinds = [s.split("|")[0] for s in stops]
    assert "reset" in kinds and "close" in kinds and "log" in kinds
    assert sum(1 for s in stops if s.startswith("a|")) >= 3, stops  # the citation links
    assert any(s.endswith("|How is it done?") for s in stops), stops

    # A quick reply by keyboard; focus lands back in the composer.
    page.locator(f"{W} textarea").focus()
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    assert focused(page).endswith("|How is it done?")
    page.keyboard.press("Enter")
    wait_answer(page, "catheter")
    assert focused(page).startswith("textarea")
    page.keyboard.press("Tab")
    assert focused(page).startswith("send")

    # Esc closes and returns focus to the launcher.
    page.keyboard.press("Escape")
    expect(page.locator(f"{W} [role=dialog]")).to_be_hidden()
    assert focused(page).startswith("launcher")
    assert page.locator(f"{W} .launcher").get_attribute("aria-expanded") == "false"


def test_markup_is_shown_as_text(page: Page, host_page: str) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    open_widget(page, host_page)
    ask(page, hostile)
    expect(page.locator(f"{W} .msg.user").first).to_have_text("You: " + hostile)
    expect(page.locator(f"{W} .typing")).to_have_count(0)
    ask(page, "what is markuposis?")
    wait_answer(page, "is a test topic")
    answer = page.locator(f"{W} .msg.bot.answer").last
    expect(answer).to_contain_text("Markuposis <b>bold</b> <img src=x onerror=")
    expect(answer).to_contain_text("<script>document.title='pwned'</script>")
    expect(page.locator(f"{W} .sources a")).to_contain_text("<b>Bold</b> source")
    shadow_tags = page.evaluate(
        "() => [...document.querySelector('healthbot-widget').shadowRoot.querySelectorAll('img,b,script')].length")
    assert shadow_tags == 0
    assert page.title() == "Hostile host page"
    assert page.dialogs == [] and not page.js_errors


def test_server_down_then_retry_keeps_the_patients_text(page: Page, host_page: str, bot: BotServer) -> None:
    open_widget(page, host_page)
    ask(page, "hello")
    expect(page.locator(f"{W} .msg.bot.answer:not(.welcome)").last).to_contain_text("Hello")
    bot.stop()
    ask(page, "what is angioplasty?")
    alert = page.locator(f"{W} [role=alert]")
    expect(alert).to_contain_text("could not be reached")
    user = page.locator(f"{W} .msg.user").last
    expect(user).to_contain_text("what is angioplasty?")
    expect(user).to_contain_text("Not sent.")
    bot.start()  # same port
    page.locator(f"{W} .retry").click()
    wait_answer(page, "opens a narrowed or blocked artery")
    expect(alert).to_be_empty()
    expect(page.locator(f"{W} .msg.user")).to_have_count(2)
    expect(user).not_to_contain_text("Not sent.")


def test_server_error_offers_retry(page: Page, host_page: str) -> None:
    calls = {"n": 0}

    def fail_once(route):
        calls["n"] += 1
        if calls["n"] == 1:
            route.fulfill(status=500, content_type="application/json",
                          body='{"error": {"code": "internal_error", "message": "boom"}}',
                          headers={"Access-Control-Allow-Origin": "*"})
        else:
            route.continue_()

    page.route("**/api/chat", lambda route: fail_once(route) if route.request.method == "POST" else route.continue_())
    open_widget(page, host_page)
    ask(page, "what is angioplasty?")
    expect(page.locator(f"{W} [role=alert]")).to_contain_text("went wrong on our side")
    page.locator(f"{W} .retry").click()
    wait_answer(page, "opens a narrowed or blocked artery")


def test_over_long_input_is_refused_with_a_message(page: Page, host_page: str) -> None:
    requests = chat_requests(page)
    open_widget(page, host_page)
    long_text = "a" * 1001
    ask(page, long_text)
    expect(page.locator(f"{W} [role=alert]")).to_contain_text("1001 characters long; the limit is 1000")
    assert page.locator(f"{W} textarea").input_value() == long_text
    assert requests == []
    expect(page.locator(f"{W} .msg.user")).to_have_count(0)


def test_emergency_reply_is_visually_distinct(page: Page, host_page: str) -> None:
    open_widget(page, host_page)
    ask(page, "I have chest pain right now")
    emergency = page.locator(f"{W} .msg.emergency")
    expect(emergency).to_contain_text("911")
    expect(emergency.locator("strong")).to_have_text("Emergency")
    ask(page, "what is angioplasty?")
    wait_answer(page, "artery")
    style = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderTopColor]"
    assert emergency.evaluate(style) != page.locator(f"{W} .msg.answer").last.evaluate(style)


def test_js_api_and_data_options(page: Page, bot: BotServer, host_pages: dict[str, str], host_page: str) -> None:
    # Another page of the allowed host site, with the options under test.
    host_pages["/options"] = (
        f'<html lang="en"><body><script src="{bot.url}/widget.js" data-position="left" '
        'data-color="#ffd700" data-lang="es" data-title="Dudas del corazón"></script></body></html>')
    page.goto(host_page + "options")
    launcher = page.locator(f"{W} .launcher")
    expect(launcher).to_be_visible()
    assert launcher.get_attribute("aria-label") == "Dudas del corazón"
    assert (launcher.bounding_box() or {"x": 999})["x"] < 100  # left side
    # A light brand colour gets dark text, so contrast stays AA.
    assert launcher.evaluate("e => getComputedStyle(e).color") == "rgb(17, 17, 17)"
    assert launcher.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 215, 0)"
    page.evaluate("HealthBot.open()")
    expect(page.locator(f"{W} [role=dialog]")).to_be_visible()
    expect(page.locator(f"{W} .reset")).to_have_text("Empezar de nuevo")
    page.evaluate("HealthBot.close()")
    expect(page.locator(f"{W} [role=dialog]")).to_be_hidden()
    page.evaluate("HealthBot.send('what is angioplasty?')")
    expect(page.locator(f"{W} [role=dialog]")).to_be_visible()
    wait_answer(page, "opens a narrowed or blocked artery")


def test_demo_page_works_under_its_own_csp(page: Page, bot: BotServer) -> None:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    open_widget(page, bot.url + "/")
    ask(page, "what is angioplasty?")
    wait_answer(page, "opens a narrowed or blocked artery")
    radius = page.locator(f"{W} .panel").evaluate("e => getComputedStyle(e).borderTopLeftRadius")
    assert radius == "14px", "the shadow stylesheet applies under style-src 'self'"
    assert violations == [] and not page.js_errors


def axe_serious(page: Page) -> list[str]:
    """Serious and critical axe violations; fails if axe did not look inside the widget."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document);
        const inWidget = r.passes.filter(p => p.nodes.some(n => Array.isArray(n.target[0]))).map(p => p.id);
        return {inWidget, violations: r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => JSON.stringify(n.target)).slice(0, 3)}))};
    }""")
    assert "button-name" in result["inWidget"], "axe must check the controls inside the shadow root"
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_violations(browser: Browser, bot: BotServer) -> None:
    assert AXE.exists(), "run scripts/test.sh (npm install axe-core into .cache/npm)"
    context = browser.new_context(bypass_csp=True)  # lets the test inject axe into the demo page
    page = context.new_page()
    try:
        page.goto(bot.url + "/")
        expect(page.locator(f"{W} .launcher")).to_be_visible()
        assert axe_serious(page) == [], "closed"
        page.locator(f"{W} .launcher").click()
        expect(page.locator(f"{W} [role=dialog]")).to_be_visible()
        # Let the opening animation finish, so axe measures the final colours.
        page.locator(f"{W} .panel").evaluate("e => Promise.all(e.getAnimations().map(a => a.finished))")
        assert axe_serious(page) == [], "open"
        ask(page, "what is angioplasty?")
        wait_answer(page, "opens a narrowed or blocked artery")
        ask(page, "I have chest pain right now")
        expect(page.locator(f"{W} .msg.emergency")).to_be_visible()
        page.locator(f"{W} textarea").fill("a" * 1001)
        page.locator(f"{W} textarea").press("Enter")
        expect(page.locator(f"{W} [role=alert]")).not_to_be_empty()
        assert axe_serious(page) == [], "mid-conversation"
    finally:
        context.close()


def test_reduced_motion_turns_animation_off(browser: Browser, host_page: str) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    try:
        open_widget(page, host_page)
        name = page.locator(f"{W} .panel").evaluate("e => getComputedStyle(e).animationName")
        assert name == "none"
    finally:
        context.close()


def test_storage_none_keeps_nothing(page: Page, bot: BotServer, host_pages: dict[str, str], host_page: str) -> None:
    host_pages["/private"] = (f'<html lang="en"><body><p>private</p><script src="{bot.url}/widget.js" '
                              'data-storage="none" defer></script></body></html>')
    open_widget(page, host_page + "private")
    ask(page, "what is angioplasty?")
    wait_answer(page, "opens a narrowed or blocked artery")
    assert saved_keys(page) == []
    page.reload()
    page.locator(f"{W} .launcher").click()
    expect(page.locator(f"{W} .msg.user")).to_have_count(0)
