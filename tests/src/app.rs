//! The app window as a user sees it, driven through WebDriver: waiting for
//! what it shows, clicking, typing and reading it, including the long lists
//! that draw only the rows in view.

use std::path::Path;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

use crate::TIMEOUT;

/// The app window as a user sees it.
pub struct App {
    pub client: Client,
}

impl App {
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Replaces the text of a form input.
    pub async fn fill(&self, css: &str, text: &str) {
        self.wait_for(css)
            .await
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e:?}"));
        self.type_text(css, text).await;
    }

    /// Types `text` key by key at the end of what the field holds. The
    /// error is shown with its code: WebKit's driver often gives none in
    /// words.
    pub async fn type_text(&self, css: &str, text: &str) {
        self.wait_for(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e:?}"));
    }

    /// Waits until the element's text contains `needle`, and returns the text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        let mut last = String::new();
        while tokio::time::Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never contained {needle:?}; last text: {last:?}");
    }

    /// Waits until no element matches `css` (a dialog closed).
    pub async fn wait_gone(&self, css: &str) {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        while self.client.find(Locator::Css(css)).await.is_ok() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{css} is still there"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the focused element matches `css` (focus moved by the
    /// page after an action, not by the test).
    pub async fn wait_for_focus(&self, css: &str) {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            let focused = self
                .client
                .execute(
                    "const el = document.activeElement;
                     return el && el.matches(arguments[0])
                         ? null : (el ? el.outerHTML.slice(0, 200) : 'nothing');",
                    vec![css.into()],
                )
                .await
                .unwrap_or_else(|e| panic!("focus of {css}: {e:?}"));
            if focused.is_null() {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the focus never reached {css}; it is on {focused}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets an input's value the way typing would end (an `input` event), for
    /// controls that WebDriver cannot type into, such as date pickers.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.wait_for(css).await;
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]);
                 el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![css.into(), value.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("set {css}: {e:?}"));
    }

    /// Runs `js` in the page (a function body) and returns its value.
    pub async fn eval(&self, js: &str) -> serde_json::Value {
        self.client
            .execute(js, vec![])
            .await
            .unwrap_or_else(|e| panic!("script {js}: {e}"))
    }

    /// Chooses the option at `index` of a select, as a click would: the
    /// select takes focus first (a select may list its options only then),
    /// and gives it back after (WebKit's driver then fails the next click
    /// elsewhere, with no message).
    pub async fn select_index(&self, css: &str, index: u32) {
        self.wait_for(css).await;
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]);
                 el.focus();
                 el.selectedIndex = arguments[1];
                 el.dispatchEvent(new Event('change', { bubbles: true }));
                 el.blur();",
                vec![css.into(), index.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("select in {css}: {e}"));
    }

    /// Presses Ctrl+`key` on the page (outside any text field).
    pub async fn press_ctrl(&self, key: char) {
        self.press(&[char::from(fantoccini::key::Key::Control), key])
            .await;
    }

    /// Presses `keys` together (down in order, up in reverse), as a chord.
    pub async fn press(&self, keys: &[char]) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".to_owned());
        for &value in keys {
            actions = actions.then(KeyAction::Down { value });
        }
        for &value in keys.iter().rev() {
            actions = actions.then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("press {keys:?}: {e}"));
    }

    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    /// Whether the long list `css` (a scroller that draws only the rows in
    /// view) has a row containing `name`: read from its top to its end, half
    /// a view at a time.
    pub async fn list_has(&self, css: &str, name: &str) -> bool {
        self.wait_for(css).await;
        let scroll = |to: &str| {
            format!(
                "const s = document.querySelector(arguments[0]);
                 {to};
                 return s.scrollTop + s.clientHeight >= s.scrollHeight - 1;"
            )
        };
        let mut at_end = self
            .client
            .execute(&scroll("s.scrollTop = 0"), vec![css.into()])
            .await
            .unwrap_or_else(|e| panic!("scroll {css}: {e}"));
        loop {
            // The rows of the new place are drawn in the next frame.
            tokio::time::sleep(Duration::from_millis(50)).await;
            if self.text(css).await.contains(name) {
                return true;
            }
            if at_end == true {
                return false;
            }
            at_end = self
                .client
                .execute(
                    &scroll("s.scrollTop += s.clientHeight / 2"),
                    vec![css.into()],
                )
                .await
                .unwrap_or_else(|e| panic!("scroll {css}: {e}"));
        }
    }

    /// Waits until the long list `css` has a row containing `name`
    /// ([`App::list_has`]), and leaves it in view.
    pub async fn wait_in_list(&self, css: &str, name: &str) {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        while !self.list_has(css, name).await {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{css} never listed {name:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Clicks the link `name` in the long list `css`, scrolling the list to
    /// find it. Tries again while the list is redrawn under it: a list whose
    /// data changes (a write, an undo) is read again (from its top when
    /// scrolled far), which can take away a row found a moment before.
    pub async fn click_in_list(&self, css: &str, name: &str) {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            if self.list_has(css, name).await {
                if let Ok(list) = self.client.find(Locator::Css(css)).await {
                    if let Ok(link) = list.find(Locator::LinkText(name)).await {
                        // To the middle, clear of the sticky header.
                        let centred = self
                            .client
                            .execute(
                                "arguments[0].scrollIntoView({ block: 'center' });",
                                vec![serde_json::to_value(&link).expect("element as JSON")],
                            )
                            .await;
                        if centred.is_ok() && link.click().await.is_ok() {
                            return;
                        }
                    }
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{css} never offered {name:?} to click"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// An attribute of the first element matching `css` (None when absent).
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.wait_for(css)
            .await
            .attr(name)
            .await
            .unwrap_or_else(|e| panic!("{name} of {css}: {e}"))
    }

    /// Clicks the link with this text, first scrolling it to the middle of
    /// its list (long lists scroll inside their own box, under a sticky
    /// header, where WebKit's own scrolling can leave a row covered).
    pub async fn click_link(&self, text: &str) {
        let link = self
            .client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("link {text:?}: {e}"));
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' });",
                vec![serde_json::to_value(&link).expect("element as JSON")],
            )
            .await
            .unwrap_or_else(|e| panic!("scroll to {text:?}: {e}"));
        link.click()
            .await
            .unwrap_or_else(|e| panic!("click {text:?}: {e}"));
    }

    /// Scrolls a scrollable element to its end, as a user dragging the bar.
    pub async fn scroll_to_end(&self, css: &str) {
        self.wait_for(css).await;
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]);
                 el.scrollTop = el.scrollHeight;
                 el.dispatchEvent(new Event('scroll'));",
                vec![css.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("scroll {css}: {e}"));
    }

    /// The current value of a form control (what the user sees in it).
    pub async fn value(&self, css: &str) -> String {
        self.wait_for(css)
            .await
            .prop("value")
            .await
            .unwrap_or_else(|e| panic!("value of {css}: {e}"))
            .unwrap_or_default()
    }

    pub async fn screenshot(&self, name: &str) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
