//! porta-wire's modules use each other without a cycle: codes and their rules below the
//! folder's sections, the sections below the rules that read whole folders.

#[path = "../../tests/support/module_graph.rs"]
mod module_graph;

use std::path::Path;

#[test]
fn no_module_cycle() {
    let graph = module_graph::module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), 2);
    assert!(graph.contains_key("folder::person") && graph["rules::eligibility"].contains("folder::person"));
    assert_eq!(module_graph::find_cycle(&graph), None);
}

#[test]
fn the_folder_sections_do_not_read_the_rules_that_read_folders() {
    let graph = module_graph::module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), 2);
    for (module, used) in graph.iter().filter(|(module, _)| module.starts_with("folder")) {
        for rule in ["rules::eligibility", "rules::deadlines"] {
            assert!(!used.contains(rule), "{module} uses {rule}");
        }
    }
}
