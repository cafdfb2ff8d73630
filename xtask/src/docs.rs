//! `cargo xtask docs`: rewrites the generated blocks of `docs/` (the access decision table, the
//! case state machine and its transition table, the route list) from the code;
//! `core/tests/docs.rs` checks they match.

use crate::tools::root;
use crate::Result;
use jf_core::docs::BLOCKS;

pub fn run() -> Result {
    for block in &BLOCKS {
        let path = root().join(block.file);
        let doc = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let new = jf_core::docs::splice(&doc, block.name, &(block.generate)())
            .map_err(|e| format!("{}: {e}", block.file))?;
        if new == doc {
            println!("{}: {} is up to date", block.file, block.name);
        } else {
            std::fs::write(&path, new)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            println!("{}: {} rewritten", block.file, block.name);
        }
    }
    Ok(())
}
