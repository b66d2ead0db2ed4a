//! The `porta-server` command: the central area server and its administration.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use porta_server::ServerState;
use porta_server::config::ServerConfig;
use porta_server::enrollment::{DEFAULT_VALIDITY_MINUTES, issue_code};
use porta_server::operators::{self, DEFAULT_ACTIVATION_DAYS, IssuedCode};
use porta_server::storage::sqlite::{DatabaseKey, SqliteStore};
use porta_server::storage::{Ambito, DeviceStatus, OperatorChange, OperatorError, ScopeError, StpEniSeries, SyncStore};
use porta_server::tls::{TlsIdentity, certificate_fingerprint};
use porta_server::updates::UpdateShelf;
use porta_wire::certificate::display_fingerprint;
use porta_wire::clock::{Clock, SystemClock};
use porta_wire::role::Role;
use porta_wire::rules::stp_eni::MAX_PROGRESSIVE;
use porta_wire::update::{STATEMENT_SUFFIX, Version};
use tokio::net::TcpListener;
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(name = "porta-server", version, about = "The central area server of an Ambito for Porta")]
struct Cli {
    /// A TOML file with the same settings (see README); the command line wins over it.
    #[arg(long, global = true, env = "PORTA_SERVER_CONFIG")]
    config: Option<PathBuf>,
    /// The folder where the server keeps its database [default: porta-server-data].
    #[arg(long, global = true, env = "PORTA_SERVER_DATA")]
    data_dir: Option<PathBuf>,
    /// A file with the key (64 hex digits) that encrypts the database at rest; made by
    /// `porta-server new-database-key`. Without it the database is not encrypted.
    #[arg(long, global = true, env = "PORTA_SERVER_DATABASE_KEY_FILE")]
    database_key_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Writes a new random database key to FILE (readable by its owner only), for
    /// --database-key-file; refuses to overwrite a file. Before `init`.
    NewDatabaseKey { file: PathBuf },
    /// Creates the server's database for an Ambito and its offices (again: adds offices).
    Init {
        /// The Ambito's name, e.g. "Ambito Territoriale Sociale di Galatina".
        #[arg(long)]
        ambito: String,
        /// An office whose devices sync here; repeat for each office.
        #[arg(long = "office", required = true)]
        offices: Vec<String>,
        /// The login of the Ambito's first administrator (an operator account of the first
        /// office; its activation code is printed).
        #[arg(long, requires = "administrator_name")]
        administrator: Option<String>,
        /// The first administrator's full name.
        #[arg(long, requires = "administrator")]
        administrator_name: Option<String>,
    },
    /// Serve devices until interrupted (Ctrl+C). Over TLS with --cert and --key; plain HTTP
    /// only on a loopback address (development, or behind a TLS proxy on the same machine).
    Serve {
        /// Address and port to listen on [default: 127.0.0.1:8650].
        #[arg(long, env = "PORTA_LISTEN")]
        listen: Option<SocketAddr>,
        /// The server's certificate chain, PEM (a self-signed one is fine: devices pin it).
        #[arg(long, env = "PORTA_TLS_CERT", requires = "key")]
        cert: Option<PathBuf>,
        /// The certificate's private key, PEM.
        #[arg(long, env = "PORTA_TLS_KEY", requires = "cert")]
        key: Option<PathBuf>,
    },
    /// Prints a one-time code that enrolls one device of an office. The code names the
    /// server's certificate (--cert, or tls_cert in the configuration), so a device detects
    /// anyone in between before sending it.
    Enroll {
        /// The device's name, e.g. "Portatile mediatrice 2".
        #[arg(long)]
        device: String,
        /// Its office (one of those given to `init`).
        #[arg(long)]
        office: String,
        /// How many minutes the code stays valid.
        #[arg(long, default_value_t = DEFAULT_VALIDITY_MINUTES)]
        valid_minutes: u64,
        /// The certificate `serve` uses, PEM. Without it (and without tls_cert in the
        /// configuration) the code works only with a server serving plain HTTP on loopback.
        #[arg(long, env = "PORTA_TLS_CERT")]
        cert: Option<PathBuf>,
    },
    /// Lists the enrolled devices, or revokes one or orders it to erase its data.
    Devices {
        #[command(subcommand)]
        action: Option<DeviceAction>,
    },
    /// Lists the operator accounts, creates one, changes a role, disables or enables one, or
    /// gives one a new activation code. Devices of the office receive the changes when they sync.
    Operators {
        #[command(subcommand)]
        action: Option<OperatorAction>,
    },
    /// Shows which office holds a folder, shares it with another office, stops sharing it, or
    /// moves it to another office. Devices receive or remove it when they sync.
    Folders {
        #[command(subcommand)]
        action: FolderAction,
    },
    /// Forgets the versions of fields replaced more than MONTHS ago that no state needs any
    /// more (never a current value, a version a conflict shows, a deletion or an erasure):
    /// the Ambito's retention of history. Run it, say, monthly.
    CompactHistory {
        /// How long every version is kept after a newer one replaced it.
        #[arg(long, default_value_t = porta_wire::snapshot::HISTORY_KEPT_MONTHS, value_parser = clap::value_parser!(u32).range(1..=1200))]
        keep_months: u32,
    },
    /// Who read or changed a folder, on every device (from the devices' audit lines).
    Audit {
        /// The folder's id.
        #[arg(long)]
        folder: Uuid,
    },
    /// Shows or sets the region and ASL codes of the Ambito's STP and ENI codes; devices get
    /// blocks of progressive numbers in this series.
    StpEni {
        /// The region's three digits (160 for Puglia).
        #[arg(long, requires = "asl")]
        region: Option<String>,
        /// The ASL's three digits.
        #[arg(long, requires = "region")]
        asl: Option<String>,
        /// The highest progressive number the ASL already issued in this series before Porta:
        /// devices get numbers above it.
        #[arg(long, requires = "region")]
        continue_after: Option<u32>,
    },
    /// Lists the updates of Porta offered to devices, or publishes a new release: devices of
    /// its platform download it when they sync and install it at their next start.
    Updates {
        #[command(subcommand)]
        action: Option<UpdateAction>,
    },
}

#[derive(Debug, Subcommand)]
enum UpdateAction {
    /// What is offered to each platform.
    List,
    /// Offers FILE (a Porta installer as released, e.g. Porta_0.1.1_x64-setup.exe) to the
    /// devices of its platform, in place of any earlier release. Its release statement
    /// (FILE.porta-update, from the same release) must be beside it or given.
    Publish {
        file: PathBuf,
        /// The release's version, as its statement says (a check against mixing up files).
        #[arg(long)]
        version: Version,
        /// The release statement [default: FILE.porta-update].
        #[arg(long)]
        statement: Option<PathBuf>,
        /// What the operators read about it, in the office's words (plain text).
        #[arg(long, default_value = "")]
        notes: String,
    },
}

#[allow(clippy::print_stdout)] // A command-line tool: its answers go to standard output.
fn administer_updates(shelf: &UpdateShelf, action: Option<UpdateAction>) -> Result<(), String> {
    match action.unwrap_or(UpdateAction::List) {
        UpdateAction::List => {
            let offers = shelf.offers().map_err(|error| format!("cannot read the published updates: {error}"))?;
            if offers.is_empty() {
                println!(
                    "no update is published; publish one with `porta-server updates publish FILE --version X.Y.Z`"
                );
            }
            for (statement, offer) in offers {
                let when = porta_wire::clock::rome_date_time(offer.published_ms);
                println!("{}	{}	{} bytes	published {when}", statement.target, statement.version, statement.size);
            }
        }
        UpdateAction::Publish { file, version, statement, notes } => {
            let statement = statement.unwrap_or_else(|| {
                let mut name = file.clone().into_os_string();
                name.push(STATEMENT_SUFFIX);
                PathBuf::from(name)
            });
            let published = shelf
                .publish(&file, &statement, version, &notes, SystemClock.now_ms())
                .map_err(|error| error.to_string())?;
            tracing::info!(target = %published.target, version = %published.version, "update published");
            println!(
                "Porta {} for {}: offered to the devices; each downloads it when it syncs and installs it when Porta next starts.",
                published.version, published.target
            );
        }
    }
    Ok(())
}

/// Three digits, as the region and ASL parts of an STP/ENI code are.
fn three_digits(name: &str, value: &str) -> Result<String, String> {
    if value.len() == 3 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err(format!("--{name} takes three digits, e.g. --region 160 --asl 116; `{value}` is not"))
    }
}

#[derive(Debug, Subcommand)]
enum DeviceAction {
    /// Every enrolled device with its status.
    List,
    /// Refuses every request of the device from now on.
    Revoke { device_id: Uuid },
    /// Makes the device erase its database and key file at its next contact.
    Wipe { device_id: Uuid },
    /// Lets a revoked device sync again.
    Reinstate { device_id: Uuid },
    /// Forgets the device's enrollment so that it can enroll again with a new code (its
    /// enrollment answer was lost); what it sent stays.
    Forget { device_id: Uuid },
}

#[derive(Debug, Subcommand)]
enum OperatorAction {
    /// Every account with its office, role and status.
    List,
    /// A new account; prints the activation code to hand to the person.
    Create {
        /// The login typed on the devices, e.g. m.rossi.
        #[arg(long)]
        login: String,
        /// The person's full name.
        #[arg(long)]
        name: String,
        /// administrator, coordinator, operator, mediator, health_liaison or statistics_reader.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The office whose devices the person uses.
        #[arg(long)]
        office: String,
        /// How many days the activation code stays valid.
        #[arg(long, default_value_t = DEFAULT_ACTIVATION_DAYS)]
        valid_days: u64,
    },
    /// Changes the role (applied on each device at the person's next unlock).
    SetRole {
        login: String,
        #[arg(value_parser = parse_role)]
        role: Role,
    },
    /// Stops the account: devices lock it out at their next sync.
    Disable { login: String },
    /// Lets a disabled account unlock again (where it still has its passphrase).
    Enable { login: String },
    /// A new activation code, for a device the person has not opened yet.
    Activate {
        login: String,
        #[arg(long, default_value_t = DEFAULT_ACTIVATION_DAYS)]
        valid_days: u64,
    },
}

#[derive(Debug, Subcommand)]
enum FolderAction {
    /// The office the folder belongs to and those it is shared with.
    Show { folder: Uuid },
    /// Its devices receive the folder whole, and may change it.
    Share {
        folder: Uuid,
        #[arg(long)]
        office: String,
    },
    /// Its devices remove the folder (after sending what they changed in it).
    Unshare {
        folder: Uuid,
        #[arg(long)]
        office: String,
    },
    /// The folder belongs to this office from now on; the old office's devices remove it.
    Move {
        folder: Uuid,
        #[arg(long)]
        office: String,
    },
    /// Folders with changes written on a device of an office that no longer held them when
    /// they arrived: kept here, not lost.
    Held,
    /// Delivers a folder's held changes to the office that holds it now (its devices
    /// receive them at their next sync).
    Deliver { folder: Uuid },
}

#[allow(clippy::print_stdout)] // A command-line tool: its answers go to standard output.
fn administer_folders(storage: &SqliteStore, action: FolderAction) -> Result<(), String> {
    let explain = |error: ScopeError| match error {
        ScopeError::UnknownFolder => {
            "no device has sent this folder yet; check the id (the folder's page shows it)".to_owned()
        }
        ScopeError::UnknownOffice => {
            let offices = storage.ambito().ok().flatten().map(|ambito| ambito.offices.join(", ")).unwrap_or_default();
            format!("no such office; the offices are: {offices}")
        }
        ScopeError::EveryOffice => {
            "this is the directory of services, which every office holds: it is neither shared nor moved".to_owned()
        }
        ScopeError::Storage(error) => error.to_string(),
    };
    let (folder, changed) = match &action {
        FolderAction::Held => {
            let held = storage.held_entries().map_err(|error| error.to_string())?;
            if held.is_empty() {
                println!("no changes are held");
            }
            for folder in held {
                let devices: Vec<String> =
                    folder.devices.iter().map(|(device, count)| format!("{count} from device {device}")).collect();
                println!("{}	belongs to {}	{}", folder.folder_id, folder.owner, devices.join(", "));
            }
            return Ok(());
        }
        FolderAction::Deliver { folder } => {
            let delivered = storage.deliver_held(*folder).map_err(|error| error.to_string())?;
            println!("{folder}: {delivered} changes delivered; the devices of its office receive them when they sync");
            return Ok(());
        }
        FolderAction::Show { folder } => (*folder, true),
        FolderAction::Share { folder, office } => (*folder, storage.share_folder(*folder, office).map_err(explain)?),
        FolderAction::Unshare { folder, office } => {
            (*folder, storage.unshare_folder(*folder, office).map_err(explain)?)
        }
        FolderAction::Move { folder, office } => (*folder, storage.move_folder(*folder, office).map_err(explain)?),
    };
    let scope = storage
        .folder_scope(folder)
        .map_err(|error| error.to_string())?
        .ok_or_else(|| explain(ScopeError::UnknownFolder))?;
    if !changed {
        println!("nothing to change:");
    }
    println!(
        "{folder}: belongs to {}; shared with {}",
        scope.owner,
        match scope.shared_with.is_empty() {
            true => "no other office".to_owned(),
            false => scope.shared_with.join(", "),
        }
    );
    Ok(())
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::from_stored(text).ok_or_else(|| {
        let known: Vec<&str> = Role::ALL.iter().map(|role| role.as_str()).collect();
        format!("unknown role `{text}`; the roles are: {}", known.join(", "))
    })
}

/// Prints a new account's or activation's code with what to do with it.
#[allow(clippy::print_stdout)]
fn print_activation(login: &str, activation: &IssuedCode) {
    println!("{}", activation.code.as_str());
    println!(
        "Give this code to {login}: on each device of the office, after the device syncs, choose \"Primo accesso\", type the login and this code, then a passphrase. Valid for {} days.",
        (activation.expires_ms.saturating_sub(SystemClock.now_ms()) + 43_200_000) / 86_400_000
    );
}

fn open(data_dir: &Path, key_file: Option<&Path>) -> Result<SqliteStore, String> {
    let key = match key_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .ok()
                .map(zeroize::Zeroizing::new)
                .and_then(|text| DatabaseKey::from_hex(&text))
                .ok_or_else(|| {
                    format!("cannot read a database key (64 hex digits) from {}; make one with `porta-server new-database-key`", path.display())
                })?,
        ),
        None => None,
    };
    std::fs::create_dir_all(data_dir)
        .map_err(|error| error.to_string())
        .and_then(|()| {
            SqliteStore::open_with_key(&data_dir.join("server.db"), key.as_ref()).map_err(|error| error.to_string())
        })
        .map_err(|error| {
            format!(
                "cannot open the database in {}: {error}. Check that the folder exists and is writable, or choose another with --data-dir.",
                data_dir.display()
            )
        })
}

/// Writes 32 random bytes as 64 hex digits to `file`, readable by its owner only.
#[allow(clippy::print_stdout)] // A command-line tool: its answers go to standard output.
fn new_database_key(file: &Path) -> Result<(), String> {
    use std::io::Write;
    let key = DatabaseKey::random(&ring::rand::SystemRandom::new())
        .ok_or_else(|| "the system's random source failed".to_owned())?;
    let text = key.hex();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options
        .open(file)
        .map_err(|error| format!("cannot create {}: {error} (an existing key is never overwritten)", file.display()))?;
    out.write_all(text.as_bytes()).and_then(|()| out.sync_all()).map_err(|error| error.to_string())?;
    println!(
        "{}: a new database key. Keep a copy apart from the database (without it the data cannot be read), then use --database-key-file.",
        file.display()
    );
    Ok(())
}

#[allow(clippy::print_stdout)] // A command-line tool: its answers go to standard output.
/// Runs an administration command; `configured_cert` is the configuration's `tls_cert`.
fn administer(storage: &SqliteStore, command: Command, configured_cert: Option<&Path>) -> Result<(), String> {
    match command {
        Command::Init { ambito, offices, administrator, administrator_name } => {
            storage.set_up(&Ambito { name: ambito, offices }).map_err(|error| error.to_string())?;
            let ambito = storage.ambito().map_err(|error| error.to_string())?.expect("just set up");
            println!("{}: offices {}", ambito.name, ambito.offices.join(", "));
            if let (Some(login), Some(name)) = (administrator, administrator_name) {
                let office = &ambito.offices[0];
                let random = ring::rand::SystemRandom::new();
                let (_, code) = operators::create(
                    storage,
                    &login,
                    &name,
                    Role::Administrator,
                    office,
                    DEFAULT_ACTIVATION_DAYS,
                    SystemClock.now_ms(),
                    &random,
                )
                .map_err(|error| operator_error(error, &login, &ambito))?;
                println!("Administrator {login} ({office}):");
                print_activation(&login, &code);
            }
        }
        Command::Operators { action } => administer_operators(storage, action)?,
        Command::Folders { action } => administer_folders(storage, action)?,
        Command::CompactHistory { keep_months } => {
            let before_ms = SystemClock.now_ms().saturating_sub(porta_wire::snapshot::kept_ms(keep_months));
            let forgotten = storage.compact_history(before_ms).map_err(|error| error.to_string())?;
            println!(
                "{forgotten} versions replaced before {} forgotten (history kept for {keep_months} months).",
                porta_wire::clock::rome_date_time(before_ms)
            );
        }
        Command::Audit { folder } => {
            for (device, line) in storage.folder_audit(folder).map_err(|error| error.to_string())? {
                let when = porta_wire::clock::rome_date_time(line.at_ms);
                println!(
                    "{when}\t{}\t{}\toperator {}\tdevice {device}{}",
                    line.action.as_str(),
                    // Text a device sent: control characters shown, never run by the terminal.
                    line.section.escape_debug(),
                    line.operator_id,
                    if line.health_restricted { "\thealth-restricted" } else { "" }
                );
            }
        }
        Command::Enroll { device, office, valid_minutes, cert } => {
            let random = ring::rand::SystemRandom::new();
            let certificate = match cert.as_deref().or(configured_cert) {
                Some(path) => Some(certificate_fingerprint(path).map_err(|error| error.to_string())?),
                None => None,
            };
            let code = issue_code(
                storage,
                &device,
                &office,
                certificate.as_deref(),
                valid_minutes,
                SystemClock.now_ms(),
                &random,
            )
            .map_err(|error| error.to_string())?;
            println!("{code}");
            println!("Type this code on \"{device}\" ({office}) within {valid_minutes} minutes. It works once.");
            match certificate {
                Some(fingerprint) => println!("It is for the certificate {}.", display_fingerprint(&fingerprint)),
                None => println!(
                    "No certificate given (--cert or tls_cert): this code works only with plain HTTP on the server's own computer."
                ),
            }
        }
        Command::Devices { action } => {
            let (device_id, status) = match action {
                None | Some(DeviceAction::List) => {
                    for device in storage.devices().map_err(|error| error.to_string())? {
                        println!("{}\t{}\t{}\t{}", device.id, device.status.as_str(), device.office, device.name);
                    }
                    return Ok(());
                }
                Some(DeviceAction::Revoke { device_id }) => (device_id, DeviceStatus::Revoked),
                Some(DeviceAction::Wipe { device_id }) => (device_id, DeviceStatus::WipeOrdered),
                Some(DeviceAction::Reinstate { device_id }) => (device_id, DeviceStatus::Active),
                Some(DeviceAction::Forget { device_id }) => {
                    if !storage.forget_device(device_id).map_err(|error| error.to_string())? {
                        return Err(format!("no enrolled device {device_id}; `porta-server devices list` shows them"));
                    }
                    tracing::info!(device = %device_id, "enrollment forgotten by the administrator");
                    println!("{device_id}: forgotten; issue a new code with `porta-server enroll` to connect it again");
                    return Ok(());
                }
            };
            if !storage.set_status(device_id, status).map_err(|error| error.to_string())? {
                return Err(format!("no enrolled device {device_id}; `porta-server devices list` shows them"));
            }
            println!("{device_id}: {}", status.as_str());
        }
        Command::StpEni { region, asl, continue_after } => {
            if let (Some(region), Some(asl)) = (region, asl) {
                if continue_after.is_some_and(|after| after >= MAX_PROGRESSIVE) {
                    return Err(format!("--continue-after must be below {MAX_PROGRESSIVE}"));
                }
                let series = StpEniSeries { region: three_digits("region", &region)?, asl: three_digits("asl", &asl)? };
                storage.set_stp_eni_series(&series, continue_after).map_err(|error| error.to_string())?;
            }
            match storage.stp_eni_series().map_err(|error| error.to_string())? {
                Some(series) => println!("STP/ENI series: region {}, ASL {}", series.region, series.asl),
                None => {
                    return Err(
                        "no STP/ENI series yet: set it with `porta-server stp-eni --region 160 --asl 116`".into()
                    );
                }
            }
        }
        Command::Serve { .. } | Command::NewDatabaseKey { .. } | Command::Updates { .. } => {
            unreachable!("handled by main")
        }
    }
    Ok(())
}

fn operator_error(error: OperatorError, login: &str, ambito: &Ambito) -> String {
    match error {
        OperatorError::LoginTaken => {
            format!("the login {login} is already taken; choose another, or `porta-server operators list`")
        }
        OperatorError::UnknownOffice => format!("no such office; the offices are: {}", ambito.offices.join(", ")),
        OperatorError::Storage(error) => error.to_string(),
    }
}

#[allow(clippy::print_stdout)] // A command-line tool: its answers go to standard output.
fn administer_operators(storage: &SqliteStore, action: Option<OperatorAction>) -> Result<(), String> {
    let ambito = storage
        .ambito()
        .map_err(|error| error.to_string())?
        .ok_or("the server is not set up: run `porta-server init` first")?;
    let random = ring::rand::SystemRandom::new();
    let now = SystemClock.now_ms();
    let unknown = |login: &str| format!("no operator {login}; `porta-server operators list` shows them");
    match action.unwrap_or(OperatorAction::List) {
        OperatorAction::List => {
            for operator in storage.operators(None).map_err(|error| error.to_string())? {
                let status = match (&operator.activation, operator.disabled) {
                    (_, true) => "disabled",
                    (Some(activation), false) if activation.expires_ms > now => "active, code valid",
                    _ => "active",
                };
                println!(
                    "{}\t{}\t{}\t{}\t{status}",
                    operator.login,
                    operator.role.as_str(),
                    operator.office,
                    operator.display_name
                );
            }
        }
        OperatorAction::Create { login, name, role, office, valid_days } => {
            if login.trim().is_empty() || name.trim().is_empty() {
                return Err("--login and --name cannot be empty".into());
            }
            let (created, code) = operators::create(storage, &login, &name, role, &office, valid_days, now, &random)
                .map_err(|error| operator_error(error, &login, &ambito))?;
            print_activation(&created.login, &code);
        }
        OperatorAction::SetRole { login, role } => {
            if !storage.change_operator(&login, &OperatorChange::Role(role)).map_err(|error| error.to_string())? {
                return Err(unknown(&login));
            }
            println!("{login}: {}", role.as_str());
        }
        OperatorAction::Disable { login } => {
            if !storage.change_operator(&login, &OperatorChange::Disabled(true)).map_err(|error| error.to_string())? {
                return Err(unknown(&login));
            }
            println!("{login}: disabled");
        }
        OperatorAction::Enable { login } => {
            if !storage.change_operator(&login, &OperatorChange::Disabled(false)).map_err(|error| error.to_string())? {
                return Err(unknown(&login));
            }
            println!("{login}: enabled");
        }
        OperatorAction::Activate { login, valid_days } => {
            let activation = operators::reactivate(storage, &login, valid_days, now, &random)
                .map_err(|error| operator_error(error, &login, &ambito))?
                .ok_or_else(|| unknown(&login))?;
            print_activation(&login, &activation);
        }
    }
    Ok(())
}

#[tokio::main]
#[allow(clippy::print_stdout)] // The certificate's fingerprint is for the administrator to read.
async fn main() -> ExitCode {
    porta_server::telemetry::init();
    let cli = Cli::parse();
    let config = match cli.config.as_deref().map(ServerConfig::load).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(error) => {
            eprintln!("porta-server: {error}");
            return ExitCode::from(2);
        }
    };
    if let Command::NewDatabaseKey { file } = &cli.command {
        return match new_database_key(file) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("porta-server: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let data_dir = cli.data_dir.clone().or(config.data_dir.clone()).unwrap_or_else(|| "porta-server-data".into());
    let key_file = cli.database_key_file.clone().or(config.database_key_file.clone());
    let storage = match open(&data_dir, key_file.as_deref()) {
        Ok(storage) => storage,
        Err(error) => {
            eprintln!("porta-server: {error}");
            return ExitCode::from(2);
        }
    };
    let shelf = UpdateShelf::in_data_dir(&data_dir);
    let Command::Serve { listen, cert, key } = cli.command else {
        if let Command::Updates { action } = cli.command {
            return match administer_updates(&shelf, action) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("porta-server: {error}");
                    ExitCode::FAILURE
                }
            };
        }
        return match administer(&storage, cli.command, config.tls_cert.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("porta-server: {error}");
                ExitCode::FAILURE
            }
        };
    };
    let listen = listen.or(config.listen).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8650)));
    let (cert, key) = match (cert, key) {
        (None, None) => (config.tls_cert.clone(), config.tls_key.clone()),
        given => given,
    };
    let limits = config.limits();
    let identity = match (cert, key) {
        (Some(cert), Some(key)) => match TlsIdentity::from_pem_files(&cert, &key) {
            Ok(identity) => Some(identity),
            Err(error) => {
                eprintln!("porta-server: {error}");
                return ExitCode::from(2);
            }
        },
        (Some(_), None) | (None, Some(_)) => {
            eprintln!(
                "porta-server: a certificate needs its key and a key its certificate: give both tls_cert and tls_key."
            );
            return ExitCode::from(2);
        }
        (None, None) if listen.ip().is_loopback() => None,
        (None, None) => {
            eprintln!(
                "porta-server: {listen} is reachable from the network, so the server only serves it over TLS. \
                 Give the certificate and key with --cert and --key (a self-signed certificate is fine), \
                 or listen on 127.0.0.1 behind a TLS proxy."
            );
            return ExitCode::from(2);
        }
    };
    let listener = match std::net::TcpListener::bind(listen) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "porta-server: cannot listen on {listen}: {error}. Choose a free port with --listen, e.g. --listen 127.0.0.1:8651."
            );
            return ExitCode::from(2);
        }
    };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let served = match identity {
        Some(identity) => {
            tracing::info!(address = %listen, certificate_sha256 = %identity.fingerprint, "serving over TLS");
            println!("Certificate fingerprint (SHA-256): {}", display_fingerprint(&identity.fingerprint));
            let state = ServerState::with_limits(Arc::new(storage), Some(identity.fingerprint.clone()), limits)
                .with_updates(shelf);
            porta_server::serve_tls_state(listener, state, identity, shutdown).await
        }
        None => {
            tracing::info!(address = %listen, "serving plain HTTP on loopback");
            let listener = listener.set_nonblocking(true).and_then(|()| TcpListener::from_std(listener));
            let state = ServerState::with_limits(Arc::new(storage), None, limits).with_updates(shelf);
            match listener {
                Ok(listener) => porta_server::serve_state(listener, state, shutdown).await,
                Err(error) => Err(error),
            }
        }
    };
    if let Err(error) = served {
        eprintln!("porta-server: stopped: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
