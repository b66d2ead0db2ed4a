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
use porta::demo::{DEMO_LOGIN, DEMO_PASSPHRASE, DemoSpec, set_up_demo};
use porta::{DataDir, ErrorPayload, Locale, Localizer};

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
    let spec = DemoSpec { persons: arguments.persons, seed: arguments.seed, today: arguments.today };
    let started = std::time::Instant::now();
    match set_up_demo(&data_dir, &spec, &SystemClock, &ring::rand::SystemRandom::new(), &mut |_| {}) {
        Ok((summary, recovery)) => {
            println!(
                "{} persone e {} righe create in {:.1} s in {}",
                summary.persons,
                summary.rows,
                started.elapsed().as_secs_f64(),
                arguments.data_dir.display()
            );
            println!("Accesso: utente «{DEMO_LOGIN}», frase segreta «{DEMO_PASSPHRASE}»");
            println!("Chiave di recupero: {}", recovery.display_grouped().as_str());
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}
