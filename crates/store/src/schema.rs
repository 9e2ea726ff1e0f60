//! The migration list. Append-only: an applied migration is never edited; change the
//! schema by adding a migration at the end. Each table's SQL lives in its module.

use std::collections::BTreeSet;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::StoreError;

/// Every migration, oldest first; the database's `user_version` counts how many ran.
pub(crate) const STEPS: &[&str] = &[
    crate::images::MIGRATION_1,
    crate::shop::MIGRATION_1,
    crate::collections::MIGRATION_1,
    crate::products::MIGRATION_1,
    crate::search::MIGRATION_1,
    crate::image_sources::MIGRATION_1,
    crate::search::MIGRATION_2,
    crate::products::MIGRATION_2,
    crate::trash::MIGRATION_1,
    crate::app_state::MIGRATION_1,
    crate::sync_journal::MIGRATION_1,
    crate::sync_journal::MIGRATION_2,
    crate::meta_products::MIGRATION_1,
    crate::short_links::MIGRATION_1,
    crate::relay_settings::MIGRATION_1,
    crate::relay_events::MIGRATION_1,
    crate::orders::MIGRATION_1,
    crate::order_lines::MIGRATION_1,
    crate::thread_messages::MIGRATION_1,
    crate::products::MIGRATION_3,
    crate::pending_photos::MIGRATION_1,
];

pub(crate) fn migrations() -> Migrations<'static> {
    migrations_of(STEPS)
}

pub(crate) fn migrations_of<'m>(steps: &[&'m str]) -> Migrations<'m> {
    Migrations::new(steps.iter().map(|sql| M::up(sql)).collect())
}

/// One row of `sqlite_master`: a table, index, view or trigger and the SQL that made it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SchemaObject {
    kind: String,
    name: String,
    sql: Option<String>,
}

fn objects(conn: &Connection) -> Result<BTreeSet<SchemaObject>, StoreError> {
    let mut stmt = conn.prepare("SELECT type, name, sql FROM sqlite_master")?;
    let objects = stmt
        .query_map([], |r| {
            Ok(SchemaObject {
                kind: r.get(0)?,
                name: r.get(1)?,
                sql: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(objects)
}

/// Checks that `conn` holds exactly the schema objects that the first `version` of `steps`
/// create, with the same SQL: no trigger, view, table or index Vitrine did not create, none
/// changed, none missing. The [`StoreError::BadBackup`] names the first difference.
pub(crate) fn check_objects(
    conn: &Connection,
    steps: &[&str],
    version: usize,
) -> Result<(), StoreError> {
    let mut expected_db = Connection::open_in_memory()?;
    if version > 0 {
        migrations_of(steps).to_version(&mut expected_db, version)?;
    }
    let expected = objects(&expected_db)?;
    let found = objects(conn)?;
    if let Some(extra) = found
        .iter()
        .find(|o| !expected.iter().any(|e| e.name == o.name))
    {
        return Err(StoreError::BadBackup(format!(
            "its database holds a {} “{}” that Vitrine did not create",
            extra.kind, extra.name
        )));
    }
    if let Some(changed) = found.difference(&expected).next() {
        return Err(StoreError::BadBackup(format!(
            "its database's {} “{}” is not the one Vitrine creates",
            changed.kind, changed.name
        )));
    }
    if let Some(missing) = expected.difference(&found).next() {
        return Err(StoreError::BadBackup(format!(
            "its database lacks the {} “{}”",
            missing.kind, missing.name
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid_and_apply_from_empty() {
        super::migrations()
            .validate()
            .expect("every migration applies in order to an empty database");
    }
}

#[cfg(test)]
mod append_only {
    use sha2::{Digest, Sha256};

    /// SHA-256 of each shipped migration. An applied migration must never change: add a
    /// new one instead, and append its hash here.
    const SHIPPED: &[&str] = &[
        "0949a555e8342d8f57c5a9db37c8f375c6fa1a128125f7e485028eb5541b4bdc",
        "9df0b8039bbdf1725ffa87f8483cf39f316ffc0da27f0d21d8e31528e94be755",
        "86959aa918ed3025b67f968e9b805a8f843fda524b864b626bd7361b0c7846ba",
        "56168102edc3404028d6de685b45fee93026ba69b324141c1cad825ecd85a95e",
        "0ad44e16c976730d485b74a2fb589835f5c1a029ab60e50f144d06f31f0ffe67",
        "ff6a9ad9b592293e82754ff515d90c268f85a74891aa545cddb97474804a5007",
        "17d1ea22e00a8c2b029b0a3f7a55bfc0881dcab0249880c0f432ea7f0f9ebadb",
        "1e8de58ec4e0e6c8bcb414ea42039b4bb101f81693ab1b5c75b4c96c3ef4ab0d",
        "fccff3cf4a8944f3aacf32c4e83ea248526f0f838814b7fb0cbe967c10ccd6b3",
        "bf0d5c95c35f53a6ce81c3066515d9d453a35b32260e51b68b2a642108f23281",
        "318f2b42083ef9aee282ae0dcd9132eae98c359e828a2c1ea73ad3c6980c6a2c",
        "0ccdcdad4d0f3cfd7960b9572274b13ab444da29950440d0c0cdf1f0e3caebc8",
        "61f861c52dea71ee9b2fe29d93ad18069bb0a119f346a1ef4f4d3db6cbb3a143",
        "cc6b160d3263c0633597deeaf8ad109221461e14a220fb4ac92056bb70fd20ab",
        "4728abc191a462228a7cbba8e51724ce978312205ace9fd64a538913fe3404c2",
        "83fdbd39ea8d7aba18195564ac4e28245d118ad57abb866b8051285e7663e2fd",
        "2da2965ab1b496ac85ed70df081e9e4f6e27a9d21deb9a9afa1ee30288c958f3",
        "a62244c154e8c9d81c90c11a6eb9cd2a228ec2949bfed359034da6889fc1644b",
        "dafbeb08cbc589d1e5601361c5870c03c5fc7644a4988b3142f4a6c6c8a01b48",
        "4b3b9f1992fe35abbb78ba8e9f9712eaed45adb25abd335e3cf3cdf1a8fa0990",
        "d75b6a43a8ca9dbbc1d696ccf972014a0b02f5c60c2d292f61c4daedd6adb2ab",
    ];

    fn hashes() -> Vec<String> {
        super::STEPS
            .iter()
            .map(|sql| {
                Sha256::digest(sql.as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn shipped_migrations_are_never_edited() {
        let current = hashes();
        assert!(current.len() >= SHIPPED.len(), "a migration was removed");
        for (i, (now, shipped)) in current.iter().zip(SHIPPED).enumerate() {
            assert_eq!(
                now,
                shipped,
                "migration {} was edited after it shipped; add a new migration instead",
                i + 1
            );
        }
    }
}
