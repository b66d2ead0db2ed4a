//! Reads the shell's commands from `src/commands.rs`: the one list from which `build.rs`
//! derives their registration, the window's capability and the table of their types.
//!
//! A command is a function marked `#[tauri::command]` on a line of its own; its Tauri-provided
//! parameters (`State`, `AppHandle`, `Window`) are not arguments the UI passes.

/// One command as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The Rust function's name, which is also the name the UI invokes.
    pub name: String,
    /// The first line of its documentation, for the UI's typed call.
    pub doc: String,
    /// `(name, Rust type)` of every argument the UI passes, in order.
    pub args: Vec<(String, String)>,
    /// The Rust type of what it answers on success; `None` for nothing.
    pub answer: Option<String>,
}

/// Parameters that Tauri fills in itself.
const PROVIDED: &[&str] = &["State<", "tauri::State<", "AppHandle", "tauri::AppHandle", "Window", "tauri::Window"];

/// Every command of `source`, in order; an error names what cannot be read.
pub fn parse(source: &str) -> Result<Vec<Command>, String> {
    let mut commands = Vec::new();
    let lines: Vec<&str> = source.lines().collect();
    let mut doc: Vec<&str> = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at].trim();
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.trim());
        } else if line == "#[tauri::command]" {
            let mut signature = String::new();
            let mut end = at + 1;
            while end < lines.len() && !lines[end].trim_end().ends_with('{') {
                signature.push_str(lines[end].trim());
                signature.push(' ');
                end += 1;
            }
            let last = lines.get(end).ok_or("a #[tauri::command] without a function body")?;
            signature.push_str(last.trim().trim_end_matches('{'));
            commands.push(command(&signature, doc.first().copied().unwrap_or_default())?);
            doc.clear();
            at = end;
        } else if !line.starts_with("#[") {
            doc.clear();
        }
        at += 1;
    }
    let mut names: Vec<&str> = commands.iter().map(|command| command.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!("the command `{}` is defined twice", pair[0]));
    }
    Ok(commands)
}

/// One command from its signature, `pub [async] fn name(params) [-> answer]`.
fn command(signature: &str, doc: &str) -> Result<Command, String> {
    let fn_at = signature.find("fn ").ok_or_else(|| format!("no function after #[tauri::command]: {signature}"))?;
    let rest = &signature[fn_at + 3..];
    let open = rest.find('(').ok_or_else(|| format!("no parameters: {signature}"))?;
    let name = rest[..open].trim().to_owned();
    let close = matching_paren(rest, open).ok_or_else(|| format!("unbalanced parameters: {signature}"))?;
    let mut args = Vec::new();
    for param in split_top_level(&rest[open + 1..close]) {
        let (arg, ty) =
            param.split_once(':').ok_or_else(|| format!("`{name}`: a parameter without a type: {param}"))?;
        let ty = ty.trim();
        if !PROVIDED.iter().any(|provided| ty.starts_with(provided)) {
            args.push((arg.trim().to_owned(), ty.to_owned()));
        }
    }
    let answer = match rest[close + 1..].trim().strip_prefix("->") {
        None => None,
        Some(ty) => {
            let ty = ty.trim();
            let ok = match ty.strip_prefix("Result<").and_then(|inner| inner.strip_suffix('>')) {
                Some(inner) => split_top_level(inner).into_iter().next().unwrap_or_default(),
                None => ty.to_owned(),
            };
            (ok != "()").then_some(ok)
        }
    };
    Ok(Command { name, doc: doc.to_owned(), args, answer })
}

/// The index of the `)` that closes the `(` at `open`.
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, c) in text.char_indices().skip_while(|(index, _)| *index < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

/// `text` split at the commas outside `<…>` and `(…)`, each part trimmed, empty ones dropped.
fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current.trim().to_owned());
    parts.retain(|part| !part.is_empty());
    parts
}

/// The name of the permission that allows `command` (Tauri's: `allow-` and kebab case).
pub fn permission(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// The main window's capability: exactly these commands.
pub fn capability(commands: &[Command]) -> String {
    let permissions: Vec<String> =
        commands.iter().map(|command| format!("    \"{}\"", permission(&command.name))).collect();
    format!(
        "{{\n  \"identifier\": \"main-window\",\n  \"description\": \"What the main window's UI may ask of the shell: only Porta's own commands, each listed in src/commands.rs.\",\n  \"windows\": [\"main\"],\n  \"permissions\": [\n{}\n  ]\n}}\n",
        permissions.join(",\n")
    )
}

/// Rust that lists every command with its types, for `commands.rs` to include.
pub fn table(commands: &[Command]) -> String {
    let mut out = String::from("/// Every command with its arguments' and answer's types (from `build.rs`).\n");
    out.push_str("pub const COMMANDS: &[CommandSpec] = &[\n");
    for command in commands {
        let args: Vec<String> =
            command.args.iter().map(|(name, ty)| format!("({name:?}, ts_type::<{ty}> as TypeOf)")).collect();
        let answer = match &command.answer {
            Some(ty) => format!("Some(ts_type::<{ty}> as TypeOf)"),
            None => "None".to_owned(),
        };
        out.push_str(&format!(
            "    CommandSpec {{ name: {:?}, doc: {:?}, args: &[{}], answer: {answer} }},\n",
            command.name,
            command.doc,
            args.join(", ")
        ));
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"
//! A module whose documentation mentions #[tauri::command] in passing.

/// Switches the language.
#[tauri::command]
#[tracing::instrument(skip_all, fields(locale = %locale))]
pub fn set_locale(state: State<'_, AppState>, locale: String) -> Result<AppInfo, ErrorPayload> {
    state.set_locale(&locale)
}

/// Postpones the lock.
///
/// More words.
#[tauri::command]
pub fn keep_alive(state: State<'_, AppState>) {
    state.keep_alive();
}

/// Enrolls.
#[tauri::command]
pub async fn enroll_device(
    state: State<'_, AppState>,
    server_url: String,
    pairs: Vec<(String, u32)>,
) -> Result<SyncView, ErrorPayload> {
    todo()
}

/// Not a command.
pub fn helper(x: u32) -> u32 {
    x
}
"#;

    #[test]
    fn reads_names_arguments_and_answers_and_skips_what_tauri_provides() {
        let commands = parse(SOURCE).unwrap();
        assert_eq!(
            commands,
            vec![
                Command {
                    name: "set_locale".into(),
                    doc: "Switches the language.".into(),
                    args: vec![("locale".into(), "String".into())],
                    answer: Some("AppInfo".into()),
                },
                Command { name: "keep_alive".into(), doc: "Postpones the lock.".into(), args: vec![], answer: None },
                Command {
                    name: "enroll_device".into(),
                    doc: "Enrolls.".into(),
                    args: vec![("server_url".into(), "String".into()), ("pairs".into(), "Vec<(String, u32)>".into())],
                    answer: Some("SyncView".into()),
                },
            ]
        );
    }

    #[test]
    fn a_command_defined_twice_is_refused() {
        let twice = format!("{SOURCE}\n#[tauri::command]\npub fn keep_alive() {{\n}}\n");
        assert_eq!(parse(&twice).unwrap_err(), "the command `keep_alive` is defined twice");
    }

    #[test]
    fn the_table_names_each_type_for_the_bindings() {
        let table = table(&parse(SOURCE).unwrap());
        assert!(table.contains(r#"name: "set_locale", doc: "Switches the language.", args: &[("locale", ts_type::<String> as TypeOf)], answer: Some(ts_type::<AppInfo> as TypeOf)"#), "{table}");
        assert!(
            table.contains(r#"name: "keep_alive", doc: "Postpones the lock.", args: &[], answer: None"#),
            "{table}"
        );
        assert!(table.contains(r#"("pairs", ts_type::<Vec<(String, u32)>> as TypeOf)"#), "{table}");
    }

    #[test]
    fn the_capability_grants_each_command_by_its_permission_name() {
        let commands = parse(SOURCE).unwrap();
        let capability: serde_json::Value = serde_json::from_str(&capability(&commands)).unwrap();
        assert_eq!(
            capability["permissions"],
            serde_json::json!(["allow-set-locale", "allow-keep-alive", "allow-enroll-device"])
        );
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
    }
}
