//! `vitrine collection …`: the shop's collections and which products are in them.

use std::process::ExitCode;

use serde_json::json;
use vitrine_app::{AppError, Vitrine};

use crate::args::CollectionCommand;
use crate::output::emit;

pub fn collection(v: &Vitrine, json: bool, cmd: &CollectionCommand) -> Result<ExitCode, AppError> {
    match cmd {
        CollectionCommand::List => {
            let all = v.collections()?;
            let rows: Vec<_> = all.iter().map(|(c, n)| json!({ "id": c.id, "name": c.name, "position": c.position, "products": n })).collect();
            emit(json, &rows, || {
                if all.is_empty() {
                    return "No collections yet.".to_owned();
                }
                all.iter()
                    .map(|(c, n)| format!("{} ({n} products)", c.name))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        CollectionCommand::Add { name } => {
            let c = v.create_collection(name)?;
            emit(json, &c, || format!("Collection “{}” created.", c.name));
        }
        CollectionCommand::Rename {
            collection,
            new_name,
        } => {
            let c = v.rename_collection(collection, new_name)?;
            emit(json, &c, || format!("Collection renamed to “{}”.", c.name));
        }
        CollectionCommand::Rm { collection } => {
            let c = v.delete_collection(collection)?;
            emit(json, &c, || {
                format!(
                    "Collection “{}” deleted; its products stay in the catalog.",
                    c.name
                )
            });
        }
        CollectionCommand::Assign {
            collection,
            products,
        } => {
            let n = v.add_to_collection(collection, products)?;
            emit(json, &json!({ "changed": n }), || {
                format!("{n} product(s) added to the collection.")
            });
        }
        CollectionCommand::Unassign {
            collection,
            products,
        } => {
            let n = v.remove_from_collection(collection, products)?;
            emit(json, &json!({ "changed": n }), || {
                format!("{n} product(s) taken out of the collection.")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
