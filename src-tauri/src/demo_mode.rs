//! Trying Porta with synthetic people: a demo data folder of its own, filled in the
//! background with a progress the UI shows, unlocked with a passphrase the UI shows, and
//! never enrolled with a server.

use std::sync::{Arc, Mutex};

use porta::clock::{Clock, today_in_rome};
use porta::demo::{DEMO_LOGIN, DEMO_PASSPHRASE, DemoSpec, set_up_demo};
use porta::{DataDir, ErrorPayload, Locale, Localizer};
use serde::Serialize;
use ts_rs::TS;

/// How many people a demo holds unless `--demo N` says otherwise.
pub const DEFAULT_DEMO_PEOPLE: usize = 3_000;

/// The demo the app was asked for on its command line: `--demo` or `--demo N`.
pub fn requested(args: impl IntoIterator<Item = String>) -> Option<usize> {
    let mut args = args.into_iter().skip_while(|arg| arg != "--demo");
    args.next()?;
    Some(args.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0).unwrap_or(DEFAULT_DEMO_PEOPLE))
}

/// The demo as the header and the unlock screen show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoView {
    /// The login and passphrase that open it: the people are invented, so they protect nothing.
    pub login: String,
    pub passphrase: String,
    /// While the people are being written: how many so far, of how many.
    pub filling: Option<DemoFilling>,
    /// Why the demo could not be filled.
    pub failure: Option<ErrorPayload>,
}

/// The progress of filling the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoFilling {
    pub done: u32,
    pub total: u32,
}

/// Filling the demo, shared with the thread that writes it.
#[derive(Debug, Default)]
pub struct DemoProgress {
    state: Arc<Mutex<(Option<DemoFilling>, Option<ErrorPayload>)>>,
}

impl DemoProgress {
    /// The view of the demo in `data_dir`, or `None` when it is not a demo folder.
    pub fn view(&self, data_dir: &DataDir) -> Option<DemoView> {
        let (filling, failure) = self.state.lock().expect("never poisoned").clone();
        (data_dir.is_demo() || filling.is_some() || failure.is_some()).then(|| DemoView {
            login: DEMO_LOGIN.to_owned(),
            passphrase: DEMO_PASSPHRASE.to_owned(),
            filling,
            failure,
        })
    }

    /// Whether people are still being written.
    pub fn is_filling(&self) -> bool {
        self.state.lock().expect("never poisoned").0.is_some()
    }

    /// Fills `data_dir` with `people` synthetic people in a thread of its own, unless it
    /// already holds a store (a demo filled before opens as it is).
    pub fn begin(&self, data_dir: DataDir, people: usize, clock: Arc<dyn Clock>, locale: Locale) {
        if data_dir.database_file().exists() || self.is_filling() {
            return;
        }
        let total = u32::try_from(people).unwrap_or(u32::MAX);
        *self.state.lock().expect("never poisoned") = (Some(DemoFilling { done: 0, total }), None);
        let state = self.state.clone();
        std::thread::spawn(move || {
            let spec = DemoSpec { persons: people, seed: 1, today: today_in_rome(clock.as_ref()) };
            let random = ring::rand::SystemRandom::new();
            let report = |done: usize| {
                let done = u32::try_from(done).unwrap_or(u32::MAX);
                state.lock().expect("never poisoned").0 = Some(DemoFilling { done, total });
            };
            let outcome = set_up_demo(&data_dir, &spec, clock.as_ref(), &random, &mut { report });
            let failure = outcome.err().map(|error| {
                tracing::error!(%error, "the demo could not be filled");
                ErrorPayload::localized(&error, &Localizer::new(), locale)
            });
            *state.lock().expect("never poisoned") = (None, failure);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_asks_for_a_demo_with_or_without_a_size() {
        let args = |line: &str| line.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(requested(args("porta")), None);
        assert_eq!(requested(args("porta --demo")), Some(DEFAULT_DEMO_PEOPLE));
        assert_eq!(requested(args("porta --demo 100000")), Some(100_000));
        assert_eq!(requested(args("porta --demo many")), Some(DEFAULT_DEMO_PEOPLE));
    }

    #[test]
    fn a_demo_fills_in_the_background_and_opens_with_the_shown_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = DataDir::resolve(Some(dir.path().to_owned())).unwrap();
        let progress = DemoProgress::default();
        assert_eq!(progress.view(&data_dir), None, "a real folder is no demo");
        progress.begin(data_dir.clone(), 40, Arc::new(porta::clock::SystemClock), Locale::It);
        let started = std::time::Instant::now();
        while progress.is_filling() {
            assert!(started.elapsed().as_secs() < 120, "the demo never finished filling");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let view = progress.view(&data_dir).expect("a demo folder");
        assert_eq!((view.filling, view.failure), (None, None));
        let store = porta::store::Store::unlock(&data_dir, &view.login, &view.passphrase, &porta::clock::SystemClock)
            .expect("the shown passphrase opens the demo");
        assert!(!store.search_people("a", None, 100).unwrap().is_empty(), "the demo holds people");
    }
}
