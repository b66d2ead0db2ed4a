//! The desktop library's modules use each other without a cycle, and the store never reaches
//! up to the sync client and engine, the session or the demo that use it.

#[path = "support/module_graph.rs"]
mod module_graph;

use std::path::Path;

#[test]
fn no_module_cycle() {
    let graph = module_graph::module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), 1);
    assert!(graph["sync"].contains("store"), "the graph sees the sync client using the store");
    assert_eq!(module_graph::find_cycle(&graph), None);
}

#[test]
fn the_store_does_not_reach_up() {
    let graph = module_graph::module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), 1);
    for (module, used) in graph.iter().filter(|(module, _)| module.starts_with("store")) {
        for above in ["session", "sync", "demo"] {
            assert!(!used.contains(above), "{module} uses {above}");
        }
    }
}
