//! The administration commands of the `porta-server` binary, run as an administrator would.

use std::process::{Command, Output};

use porta_wire::enrollment_code::{EnrollmentCode, SECRET_SYMBOLS, canonical};

fn run(data_dir: &std::path::Path, args: &[&str]) -> Output {
    let start = || Command::new(env!("CARGO_BIN_EXE_porta-server")).arg("--data-dir").arg(data_dir).args(args).output();
    match start() {
        // Wine (these tests' Windows run) now and then fails to create a process with
        // ERROR_INTERNAL_ERROR while the machine is busy: the server never started, so it is
        // started once more. Any other failure, and what the command does, still fail the test.
        Err(error) if error.raw_os_error() == Some(1359) => start().unwrap(),
        started => started.unwrap(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn init_enroll_and_devices_work_from_the_command_line_and_explain_mistakes() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path();

    let early = run(data, &["enroll", "--device", "Portatile 1", "--office", "Soleto"]);
    assert!(!early.status.success());
    assert!(text(&early.stderr).contains("porta-server init"), "says what to do: {}", text(&early.stderr));

    let init = run(data, &["init", "--ambito", "Ambito di Galatina", "--office", "PUA Galatina", "--office", "Soleto"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    assert!(text(&init.stdout).contains("PUA Galatina, Soleto"));

    let unknown = run(data, &["enroll", "--device", "Portatile 1", "--office", "Nardò"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("PUA Galatina, Soleto"), "lists the offices: {}", text(&unknown.stderr));

    let enroll = run(data, &["enroll", "--device", "Portatile 1", "--office", "Soleto", "--valid-minutes", "5"]);
    assert!(enroll.status.success(), "{}", text(&enroll.stderr));
    let code = text(&enroll.stdout).lines().next().unwrap().to_owned();
    assert!(
        EnrollmentCode::parse(&code).is_some_and(|code| code.is_for_certificate(None)),
        "a code on the first line: {code}"
    );
    assert!(text(&enroll.stdout).contains("5 minutes"));
    // With the certificate `serve` uses, the code is for that certificate only.
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let cert = data.join("cert.pem");
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    let fingerprint = porta_wire::certificate::fingerprint(certified.cert.der());
    let cert_arg = cert.to_str().unwrap();
    let for_tls = run(data, &["enroll", "--device", "Portatile 2", "--office", "Soleto", "--cert", cert_arg]);
    assert!(for_tls.status.success(), "{}", text(&for_tls.stderr));
    let code = EnrollmentCode::parse(text(&for_tls.stdout).lines().next().unwrap()).unwrap();
    assert!(code.is_for_certificate(Some(&fingerprint)) && !code.is_for_certificate(None));
    let missing = run(data, &["enroll", "--device", "Portatile 2", "--office", "Soleto", "--cert", "/nessuno.pem"]);
    assert!(!missing.status.success() && text(&missing.stderr).contains("--cert"), "{}", text(&missing.stderr));

    let list = run(data, &["devices", "list"]);
    assert!(list.status.success() && text(&list.stdout).is_empty(), "no device until the code is used");
    let revoke = run(data, &["devices", "revoke", "01a21849-154e-770b-89d3-eab25f78318a"]);
    assert!(!revoke.status.success());
    assert!(text(&revoke.stderr).contains("devices list"));
    let forget = run(data, &["devices", "forget", "01a21849-154e-770b-89d3-eab25f78318a"]);
    assert!(!forget.status.success(), "no such device to forget");
    assert!(text(&forget.stderr).contains("devices list"));
}

#[test]
fn the_stp_eni_series_is_set_and_shown_from_the_command_line() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path();

    let unset = run(data, &["stp-eni"]);
    assert!(!unset.status.success());
    assert!(text(&unset.stderr).contains("--region 160 --asl 116"), "says how: {}", text(&unset.stderr));

    let wrong = run(data, &["stp-eni", "--region", "16", "--asl", "116"]);
    assert!(!wrong.status.success());
    assert!(text(&wrong.stderr).contains("three digits"), "{}", text(&wrong.stderr));
    assert!(!run(data, &["stp-eni"]).status.success(), "a refused series changes nothing");

    let set = run(data, &["stp-eni", "--region", "160", "--asl", "116", "--continue-after", "4711"]);
    assert!(set.status.success(), "{}", text(&set.stderr));
    let shown = run(data, &["stp-eni"]);
    assert_eq!(text(&shown.stdout).trim(), "STP/ENI series: region 160, ASL 116");
}

#[test]
fn history_is_compacted_from_the_command_line_with_the_ambitos_retention() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path();
    assert!(run(data, &["init", "--ambito", "Ambito di Galatina", "--office", "PUA Galatina"]).status.success());
    let kept = run(data, &["compact-history"]);
    assert!(kept.status.success(), "{}", text(&kept.stderr));
    assert!(text(&kept.stdout).starts_with("0 versions replaced before "), "{}", text(&kept.stdout));
    assert!(text(&kept.stdout).contains("kept for 24 months"), "the default: {}", text(&kept.stdout));
    let longer = run(data, &["compact-history", "--keep-months", "36"]);
    assert!(text(&longer.stdout).contains("kept for 36 months"), "{}", text(&longer.stdout));
    let none = run(data, &["compact-history", "--keep-months", "0"]);
    assert!(!none.status.success());
    assert!(text(&none.stderr).contains("--keep-months"), "names what to fix: {}", text(&none.stderr));
}

#[test]
fn serving_the_network_needs_a_certificate_and_a_bad_one_is_explained() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path();
    let open = run(data, &["serve", "--listen", "0.0.0.0:0"]);
    assert!(!open.status.success());
    assert!(text(&open.stderr).contains("--cert and --key"), "{}", text(&open.stderr));

    let missing = data.join("missing.pem");
    let missing = missing.to_str().unwrap();
    let unreadable = run(data, &["serve", "--listen", "127.0.0.1:0", "--cert", missing, "--key", missing]);
    assert!(!unreadable.status.success());
    assert!(text(&unreadable.stderr).contains("cannot read"), "{}", text(&unreadable.stderr));

    let not_pem = data.join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let not_pem = not_pem.to_str().unwrap();
    let wrong = run(data, &["serve", "--listen", "127.0.0.1:0", "--cert", not_pem, "--key", not_pem]);
    assert!(!wrong.status.success());
    assert!(text(&wrong.stderr).contains("no PEM certificate"), "{}", text(&wrong.stderr));
}

#[test]
fn a_configuration_file_sets_the_data_folder_and_the_address_and_is_checked() {
    let folder = tempfile::tempdir().unwrap();
    let config = folder.path().join("server.toml");
    let data = folder.path().join("dati");
    std::fs::write(&config, format!("data_dir = {:?}\nlisten = \"0.0.0.0:0\"\n", data.display().to_string())).unwrap();
    let config_arg = config.to_str().unwrap();
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_porta-server")).arg("--config").arg(config_arg).args(args).output().unwrap()
    };

    let init = cli(&["init", "--ambito", "Ambito di Galatina", "--office", "PUA Galatina"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    assert!(data.join("server.db").exists(), "the database is in the file's data_dir");
    let open = cli(&["serve"]);
    assert!(!open.status.success());
    assert!(text(&open.stderr).contains("0.0.0.0:0 is reachable"), "the file's address: {}", text(&open.stderr));

    std::fs::write(&config, "data_dir = \"/tmp\"\nport = 8650\n").unwrap();
    let wrong = cli(&["devices"]);
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stderr).contains("server.toml") && text(&wrong.stderr).contains("port"),
        "{}",
        text(&wrong.stderr)
    );
}

#[test]
fn operator_accounts_are_created_changed_and_listed_from_the_command_line() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path();
    let early = run(data, &["operators", "list"]);
    assert!(!early.status.success() && text(&early.stderr).contains("porta-server init"));

    let init = run(
        data,
        &[
            "init",
            "--ambito",
            "Ambito di Galatina",
            "--office",
            "PUA Galatina",
            "--office",
            "Soleto",
            "--administrator",
            "a.greco",
            "--administrator-name",
            "Anna Greco",
        ],
    );
    assert!(init.status.success(), "{}", text(&init.stderr));
    let code = text(&init.stdout).lines().nth(2).unwrap().to_owned();
    let activation = canonical(&code).unwrap_or_default();
    assert_eq!(activation.len(), SECRET_SYMBOLS, "the administrator's code: {}", text(&init.stdout));

    let create = ["operators", "create", "--login", "m.rossi", "--name", "Maria Rossi", "--office", "Soleto"];
    let wrong_role = run(data, &[&create[..], &["--role", "boss"]].concat());
    assert!(!wrong_role.status.success());
    assert!(text(&wrong_role.stderr).contains("mediator"), "lists the roles: {}", text(&wrong_role.stderr));
    let created = run(data, &[&create[..], &["--role", "mediator", "--valid-days", "3"]].concat());
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(text(&created.stdout).contains("Primo accesso") && text(&created.stdout).contains("3 days"));
    let again = run(data, &[&create[..], &["--role", "mediator"]].concat());
    assert!(!again.status.success() && text(&again.stderr).contains("already taken"), "{}", text(&again.stderr));
    let elsewhere = ["operators", "create", "--login", "x", "--name", "X", "--office", "Nardò", "--role", "operator"];
    let nowhere = run(data, &elsewhere);
    assert!(!nowhere.status.success() && text(&nowhere.stderr).contains("PUA Galatina, Soleto"));

    assert!(run(data, &["operators", "set-role", "m.rossi", "coordinator"]).status.success());
    assert!(run(data, &["operators", "disable", "m.rossi"]).status.success());
    let missing = run(data, &["operators", "disable", "nessuno"]);
    assert!(!missing.status.success() && text(&missing.stderr).contains("operators list"));
    let list = text(&run(data, &["operators", "list"]).stdout);
    assert!(list.contains("a.greco\tadministrator\tPUA Galatina\tAnna Greco\tactive, code valid"), "{list}");
    assert!(list.contains("m.rossi\tcoordinator\tSoleto\tMaria Rossi\tdisabled"), "{list}");
    assert!(run(data, &["operators", "enable", "m.rossi"]).status.success());
    let renewed = run(data, &["operators", "activate", "m.rossi"]);
    assert!(renewed.status.success() && text(&renewed.stdout).contains("7 days"));
    let audit = run(data, &["audit", "--folder", "01a21849-154e-770b-89d3-eab25f78318a"]);
    assert!(audit.status.success() && text(&audit.stdout).is_empty(), "no line about an unknown folder");
}

#[test]
fn folders_are_shared_taken_back_and_moved_from_the_command_line() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path();
    let init = run(data, &["init", "--ambito", "Ambito di Galatina", "--office", "PUA Galatina", "--office", "Soleto"]);
    assert!(init.status.success());
    let id = "01a21849-154e-770b-89d3-eab25f78318a";
    let unknown = run(data, &["folders", "share", id, "--office", "Soleto"]);
    assert!(
        !unknown.status.success() && text(&unknown.stderr).contains("no device has sent"),
        "{}",
        text(&unknown.stderr)
    );
    // A device of PUA Galatina pushes the folder.
    let storage = porta_server::storage::sqlite::SqliteStore::open(&data.join("server.db")).unwrap();
    let mut entries = porta_server::storage::conformance::entries(uuid::Uuid::from_u128(1), 1, 1);
    entries[0].folder_id = id.parse().unwrap();
    let body = serde_json::to_string(&entries[0]).unwrap();
    let readable = porta_server::storage::Readable::new(body, &entries[0]);
    use porta_server::storage::SyncStore;
    storage.push(uuid::Uuid::from_u128(1), "PUA Galatina", &[(1, Ok(readable))]).unwrap();
    drop(storage);
    let nowhere = run(data, &["folders", "share", id, "--office", "Nardò"]);
    assert!(!nowhere.status.success() && text(&nowhere.stderr).contains("PUA Galatina, Soleto"));
    let shared = run(data, &["folders", "share", id, "--office", "Soleto"]);
    assert!(shared.status.success(), "{}", text(&shared.stderr));
    assert!(text(&shared.stdout).contains("belongs to PUA Galatina; shared with Soleto"), "{}", text(&shared.stdout));
    let again = run(data, &["folders", "share", id, "--office", "Soleto"]);
    assert!(text(&again.stdout).starts_with("nothing to change"));
    assert!(run(data, &["folders", "unshare", id, "--office", "Soleto"]).status.success());
    let moved = run(data, &["folders", "move", id, "--office", "Soleto"]);
    assert!(text(&moved.stdout).contains("belongs to Soleto; shared with no other office"), "{}", text(&moved.stdout));
    assert!(text(&run(data, &["folders", "show", id]).stdout).contains("belongs to Soleto"));
}

#[test]
fn the_database_can_be_encrypted_at_rest_with_a_key_given_at_start() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("dati");
    let key = folder.path().join("chiave-database");
    let made = run(&data, &["new-database-key", key.to_str().unwrap()]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert_eq!(std::fs::read_to_string(&key).unwrap().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let again = run(&data, &["new-database-key", key.to_str().unwrap()]);
    assert!(!again.status.success(), "an existing key is never overwritten");

    let with_key = |args: &[&str]| {
        let mut all = vec!["--database-key-file", key.to_str().unwrap()];
        all.extend_from_slice(args);
        run(&data, &all)
    };
    let init = with_key(&["init", "--ambito", "Ambito di Galatina", "--office", "PUA Galatina"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let bytes = std::fs::read(data.join("server.db")).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"), "not a plain SQLite file");
    assert!(!bytes.windows(7).any(|window| window == b"Galatin"), "no text in clear");

    let without = run(&data, &["devices", "list"]);
    assert!(!without.status.success());
    assert!(text(&without.stderr).contains("does not open"), "{}", text(&without.stderr));
    let wrong = folder.path().join("altra-chiave");
    std::fs::write(&wrong, "ab".repeat(32)).unwrap();
    let mismatched = run(&data, &["--database-key-file", wrong.to_str().unwrap(), "devices", "list"]);
    assert!(!mismatched.status.success());
    let garbled = folder.path().join("chiave-rotta");
    std::fs::write(&garbled, "non è una chiave").unwrap();
    let unreadable = run(&data, &["--database-key-file", garbled.to_str().unwrap(), "devices", "list"]);
    assert!(text(&unreadable.stderr).contains("new-database-key"), "{}", text(&unreadable.stderr));
    assert!(with_key(&["devices", "list"]).status.success());
}

#[test]
fn audit_text_a_device_sent_is_printed_without_running_it() {
    use porta_server::storage::SyncStore;
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path();
    let init = run(data, &["init", "--ambito", "Ambito di Galatina", "--office", "PUA Galatina"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    // A line stored before lines were checked (or by a bug): an escape sequence in it.
    let storage = porta_server::storage::sqlite::SqliteStore::open(&data.join("server.db")).unwrap();
    let person = uuid::Uuid::now_v7();
    let line = porta::sync::protocol::AuditLine {
        seq: 1,
        at_ms: 1_795_683_600_000,
        operator_id: uuid::Uuid::now_v7(),
        action: porta::store::AuditAction::Read,
        folder_id: person,
        section: "\u{1b}[2Jnote".into(),
        health_restricted: false,
    };
    storage.push_audit(uuid::Uuid::now_v7(), "PUA Galatina", &[line]).unwrap();
    drop(storage);
    let audit = run(data, &["audit", "--folder", &person.to_string()]);
    assert!(audit.status.success(), "{}", text(&audit.stderr));
    let printed = text(&audit.stdout);
    assert!(!printed.contains('\u{1b}') && printed.contains("\\u{1b}[2Jnote"), "{printed}");
}

#[test]
fn a_release_is_published_for_devices_from_the_command_line_and_a_mismatch_explained() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path();
    let init = run(data, &["init", "--ambito", "Ambito di Galatina", "--office", "PUA Galatina"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let none = run(data, &["updates", "list"]);
    assert!(none.status.success() && text(&none.stdout).contains("updates publish"), "{}", text(&none.stdout));

    // What a release writes: the setup program and its statement, signed.
    let installer = data.join("Porta_0.1.1_x64-setup.exe");
    let bytes = vec![7u8; 5000];
    std::fs::write(&installer, &bytes).unwrap();
    let target = porta_wire::update::UpdateTarget::WindowsNsis;
    let statement = porta_wire::update::ReleaseStatement::of_installer(target, "0.1.1".parse().unwrap(), &bytes);
    let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
    std::fs::write(data.join("Porta_0.1.1_x64-setup.exe.porta-update"), statement.signed_with(pkcs8.as_ref()).unwrap())
        .unwrap();
    let file = installer.to_str().unwrap();

    let wrong_version = run(data, &["updates", "publish", file, "--version", "0.1.2"]);
    assert!(!wrong_version.status.success());
    assert!(text(&wrong_version.stderr).contains("0.1.1, not 0.1.2"), "{}", text(&wrong_version.stderr));
    let bad_version = run(data, &["updates", "publish", file, "--version", "uno"]);
    assert!(!bad_version.status.success() && text(&bad_version.stderr).contains("MAJOR.MINOR.PATCH"));

    let published = run(data, &["updates", "publish", file, "--version", "0.1.1", "--notes", "Nuove stampe"]);
    assert!(published.status.success(), "{}", text(&published.stderr));
    assert!(text(&published.stdout).contains("next starts"), "{}", text(&published.stdout));
    let listed = run(data, &["updates", "list"]);
    let line = text(&listed.stdout);
    assert!(line.starts_with("windows-x86_64-nsis\t0.1.1\t5000 bytes\tpublished "), "{line}");

    // The file changed after the release: refused, and what was offered stays.
    std::fs::write(&installer, vec![8u8; 5000]).unwrap();
    let changed = run(data, &["updates", "publish", file, "--version", "0.1.1"]);
    assert!(!changed.status.success());
    assert!(text(&changed.stderr).contains("not the one its statement names"), "{}", text(&changed.stderr));
    assert_eq!(text(&run(data, &["updates", "list"]).stdout), line);
}
