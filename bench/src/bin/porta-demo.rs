//! `porta-demo`: fills a Porta data folder with synthetic case folders, for demonstrations,
//! training and benchmarks. Nobody in the data is real.
//!
//! ```text
//! porta-demo --data-dir /tmp/porta-demo --persons 2000 --seed 1
//! PORTA_DATA_DIR=/tmp/porta-demo cargo xtask run      # then unlock as "demo"
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use porta::clock::SystemClock;
use porta::demo::{DemoSpec, fill};
use porta::keys::Passphrase;
use porta::store::{FirstRun, Store};
use porta::{DataDir, ErrorPayload, Locale, Localizer};

/// The demo administrator's login and passphrase, printed at the end.
const LOGIN: &str = "demo";
const PASSPHRASE: &str = "porta demo galatina";

#[derive(Debug, Parser)]
#[command(version, about = "Fills a Porta data folder with synthetic case folders")]
struct Arguments {
    /// The data folder to create (it must not hold a Porta store yet).
    #[arg(long)]
    data_dir: PathBuf,
    /// How many people to create, household members included.
    #[arg(long, default_value_t = 1_000)]
    persons: usize,
    /// The seed: the same seed gives the same people.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The day the data is "as of" (YYYY-MM-DD); contacts go back two years from it.
    #[arg(long, default_value = "2026-11-26")]
    today: porta::calendar::Date,
}

#[allow(clippy::print_stdout)]
fn main() -> ExitCode {
    let arguments = Arguments::parse();
    let localizer = Localizer::new();
    let fail = |error: &dyn porta::UserFacingError| {
        eprintln!("{}", ErrorPayload::localized(error, &localizer, Locale::It).message);
        ExitCode::FAILURE
    };
    let data_dir = match DataDir::resolve(Some(arguments.data_dir.clone())) {
        Ok(dir) => dir,
        Err(error) => return fail(&error),
    };
    let first = FirstRun {
        admin_login: LOGIN.into(),
        admin_name: "Amministratrice Demo".into(),
        admin_passphrase: Passphrase::new(PASSPHRASE).expect("the demo passphrase follows the rules"),
        ..FirstRun::example("Computer dimostrativo")
    };
    let (mut store, recovery) = match Store::set_up(&data_dir, first, &SystemClock, &ring::rand::SystemRandom::new()) {
        Ok(done) => done,
        Err(error) => return fail(&error),
    };
    let spec = DemoSpec { persons: arguments.persons, seed: arguments.seed, today: arguments.today };
    let started = std::time::Instant::now();
    match fill(&mut store, &spec) {
        Ok(summary) => {
            println!(
                "{} persone e {} righe create in {:.1} s in {}",
                summary.persons,
                summary.rows,
                started.elapsed().as_secs_f64(),
                arguments.data_dir.display()
            );
            println!("Accesso: utente «{LOGIN}», frase segreta «{PASSPHRASE}»");
            println!("Chiave di recupero: {}", recovery.display_grouped().as_str());
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}
