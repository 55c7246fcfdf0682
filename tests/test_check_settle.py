"""A structure snapshot waits for what moves: a panel sliding out is not part of the page."""

from __future__ import annotations

from playwright.sync_api import Page

from runbooks._check.observer import settled_snapshot

# Two tab panels: selecting "Token" slides "Overview" out, and removes it once its
# transition ends, as a component library's window transition does.
TABS = """
<style>.panel { transition: opacity 2s linear; } .leaving { opacity: 0; }
@keyframes spin { to { transform: rotate(360deg); } }
.spinner { animation: spin 1s linear infinite; }</style>
<main>
  <div class="spinner" aria-hidden="true"></div>
  <section id="overview" class="panel"><p>Personal access tokens</p></section>
  <section id="token" class="panel"><p>Tokens you have created.</p></section>
</main>
<script>
  const old = document.getElementById("overview");
  old.addEventListener("transitionend", () => old.remove());
  requestAnimationFrame(() => requestAnimationFrame(() => old.classList.add("leaving")));
</script>
"""


def test_the_snapshot_is_taken_once_the_transition_has_ended(page: Page) -> None:
    page.set_content(TABS)
    page.wait_for_function("document.getAnimations().length > 1")  # the slide has begun
    text = settled_snapshot(page, "main", timeout_ms=10_000)
    assert text is not None
    assert "Tokens you have created." in text
    # Without waiting for the transition, the panel sliding out is still in the tree.
    assert "Personal access tokens" not in text
