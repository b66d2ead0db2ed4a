//! The desk as an operator meets it, in the real window on a scale's store: a keystroke in
//! the search box until the list shows the people for what is typed, Enter on a result until
//! a folder with 200 contacts is on the page, Save on a note until the saved row is listed,
//! Home from the menu until its due list is on the page, Record on a quick contact from a
//! folder until the contact is confirmed.
//!
//! Driven through WebDriver (tauri-driver, WebKitWebDriver) under Xvfb. Each sample is timed
//! inside the page: `performance.now()` just before the input or click event, and again when
//! a `MutationObserver` sees the DOM holding the answer (the browser paints it next), so the
//! WebDriver round trips are not counted.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::cold_start::{launch, start_driver, wait_for};
use crate::measure::Samples;

/// What the samples measured.
pub struct DeskUi {
    pub search: Samples,
    pub open: Samples,
    pub save: Samples,
    pub home: Samples,
    pub quick_contact: Samples,
}

/// Helpers every sample's script starts with: typing into a React field, and waiting for a
/// condition on the DOM.
const HELPERS: &str = r#"
const done = arguments[arguments.length - 1];
const type = (el, value) => {
  const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
};
const until = (condition, what) => new Promise((resolve, reject) => {
  if (condition()) { resolve(performance.now()); return; }
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error('timed out waiting for ' + what)); }, 30000);
  const observer = new MutationObserver(() => {
    if (condition()) { observer.disconnect(); clearTimeout(timer); resolve(performance.now()); }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
});
const box = () => document.getElementById('person-search');
const resultsFor = (text) => document.getElementById('person-search-results')?.dataset.resultsFor === text;
"#;

/// A keystroke: the query without its last letter is typed and its list awaited, then the
/// last letter, timed until the list holds the people for the whole query.
const SEARCH: &str = r#"
const query = arguments[0];
(async () => {
  const head = query.slice(0, -1);
  box().focus();
  type(box(), head);
  if (head.trim().length >= 2) await until(() => resultsFor(head.trim()), 'the first letters');
  const started = performance.now();
  type(box(), query);
  const shown = await until(() => resultsFor(query.trim()), 'the results');
  done(shown - started);
})().catch((error) => done('ERROR ' + error.message));
"#;

/// Enter on the first result of `query` (a folder with 200 contacts), timed until that
/// folder's header and its 200 contacts are on the page.
const OPEN: &str = r#"
const query = arguments[0];
(async () => {
  box().focus();
  type(box(), query);
  await until(() => resultsFor(query), 'the results');
  const current = document.querySelector('[data-testid=folder-header]')?.dataset.folderId;
  const started = performance.now();
  box().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  const shown = await until(() => {
    const header = document.querySelector('[data-testid=folder-header]');
    return header && header.dataset.folderId !== current
      && document.querySelectorAll('[data-testid=rows-contacts] .folder-row').length === 200;
  }, 'the folder');
  done(shown - started);
})().catch((error) => done('ERROR ' + error.message));
"#;

/// Add a note on the open folder, type it, and time Save until the note is listed. The note
/// is listed a moment before its form closes and Add comes back: the next sample waits for
/// Add, outside the timed part.
const SAVE: &str = r#"
const text = arguments[0];
(async () => {
  const section = document.getElementById('section-notes');
  const add = () => [...section.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Aggiungi');
  await until(() => add() && !section.querySelector('form'), 'the Add button');
  add().click();
  await until(() => section.querySelector('form textarea'), 'the form');
  type(section.querySelector('form textarea'), text);
  const save = [...section.querySelectorAll('form button')].find((b) => b.type === 'submit');
  const started = performance.now();
  save.click();
  const shown = await until(
    () => [...section.querySelectorAll('.folder-row')].some((row) => row.textContent.includes(text)),
    'the saved note',
  );
  done(shown - started);
})().catch((error) => done('ERROR ' + error.message));
"#;

/// From another page, a click on Home in the menu, timed until its due list is on the page
/// (read anew: the UI keeps no list of people once Home is not shown).
const HOME: &str = r#"
(async () => {
  const link = (href) => document.querySelector(`header a[href="${href}"]`);
  const listed = () => document.querySelectorAll('[data-testid=due-line]').length > 0
    || document.querySelector('[data-testid=due-empty]') !== null;
  link('/sync').click();
  await until(() => !listed(), 'another page');
  const started = performance.now();
  link('/').click();
  const shown = await until(listed, 'the due list');
  done(shown - started);
})().catch((error) => done('ERROR ' + error.message));
"#;

/// From the open folder, Quick contact, a service and a note, timed from Record until the
/// contact is confirmed (contact and note written in one transaction); then back to the folder.
const QUICK_CONTACT: &str = r#"
const text = arguments[0];
(async () => {
  document.querySelector('[data-testid=folder-quick-contact]').click();
  await until(() => document.querySelector('[data-testid=quick-contact-with]'), 'the form');
  const form = document.querySelector('[data-testid=quick-contact-form]');
  document.getElementById('quick-service-health_access').click();
  type(document.getElementById('quick-note'), text);
  const save = form.querySelector('button[type=submit]');
  const started = performance.now();
  save.click();
  const shown = await until(() => document.querySelector('[data-testid=quick-contact-saved]'), 'the confirmation');
  document.querySelector('[data-testid=quick-contact-saved] a').click();
  await until(() => document.querySelector('[data-testid=folder-quick-contact]'), 'the folder again');
  done(shown - started);
})().catch((error) => done('ERROR ' + error.message));
"#;

/// WebKit allows a page 100 history changes in 10 seconds; past that, the router falls back
/// to loading the page anew, which ends the sample. An operator never comes near it; samples
/// that navigate twice or more are spaced (outside the timed part) to stay well below.
fn pause_for_webkit_history() {
    std::thread::sleep(Duration::from_millis(300));
}

struct Window<'a> {
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    base: &'a str,
    session: String,
}

impl Window<'_> {
    fn call(&self, path: &str, body: Value) -> Result<Value, String> {
        let url = format!("{}/session/{}/{path}", self.base, self.session);
        let answer: Value = self
            .runtime
            .block_on(async { self.client.post(url).json(&body).send().await?.json().await })
            .map_err(|error| format!("WebDriver {path}: {error}"))?;
        Ok(answer["value"].clone())
    }

    /// Runs a sample's script with `argument`; the milliseconds it measured.
    fn sample(&self, script: &str, argument: &str) -> Result<Duration, String> {
        let value =
            self.call("execute/async", json!({ "script": format!("{HELPERS}{script}"), "args": [argument] }))?;
        let ms = value.as_f64().ok_or_else(|| format!("the sample failed: {value}"))?;
        Ok(Duration::from_secs_f64(ms / 1000.0))
    }

    fn unlock(&self, passphrase: &str) -> Result<(), String> {
        self.runtime.block_on(wait_for(&self.client, self.base, &self.session, "#unlock-passphrase"))?;
        let field = self.call("element", json!({ "using": "css selector", "value": "#unlock-passphrase" }))?;
        let id = field.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).ok_or("no field")?;
        self.call(&format!("element/{id}/value"), json!({ "text": format!("{passphrase}\u{E007}") }))?;
        self.runtime.block_on(wait_for(&self.client, self.base, &self.session, "#person-search"))
    }
}

/// Opens `app` on the locked store in `data_dir`, unlocks it with `passphrase`, and takes
/// `rounds` samples of each measure: searches for `queries` in turn, opens the folders
/// `heavy_queries` find in turn, saves notes on the last folder opened.
pub fn measure(
    app: &Path,
    data_dir: &Path,
    passphrase: &str,
    queries: &[String],
    heavy_queries: &[String],
    rounds: usize,
) -> Result<DeskUi, String> {
    let driver = start_driver(data_dir)?;
    let client = reqwest::Client::new();
    let runtime = tokio::runtime::Runtime::new().map_err(|error| error.to_string())?;
    let session = runtime.block_on(launch(&client, &driver.base, app))?;
    let window = Window { client, runtime, base: &driver.base, session };
    window.call("timeouts", json!({ "script": 60_000 }))?;
    let outcome = (|| {
        window.unlock(passphrase)?;
        let mut measured = DeskUi {
            search: Samples::default(),
            open: Samples::default(),
            save: Samples::default(),
            home: Samples::default(),
            quick_contact: Samples::default(),
        };
        for round in 0..rounds {
            measured.search.push(window.sample(SEARCH, &queries[round % queries.len()])?);
        }
        for round in 0..rounds {
            measured.open.push(window.sample(OPEN, &heavy_queries[round % heavy_queries.len()])?);
        }
        for round in 0..rounds {
            let sample = window.sample(SAVE, &format!("Nota di prova {round}"));
            measured.save.push(sample.map_err(|error| format!("save {round}: {error}"))?);
        }
        for round in 0..rounds {
            let sample = window.sample(QUICK_CONTACT, &format!("Contatto di prova {round}"));
            measured.quick_contact.push(sample.map_err(|error| format!("quick contact {round}: {error}"))?);
            pause_for_webkit_history();
        }
        for round in 0..rounds {
            let sample = window.sample(HOME, "");
            measured.home.push(sample.map_err(|error| format!("home {round}: {error}"))?);
            pause_for_webkit_history();
        }
        Ok(measured)
    })();
    let _ = window.runtime.block_on(window.client.delete(format!("{}/session/{}", driver.base, window.session)).send());
    outcome
}
