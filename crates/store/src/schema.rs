//! The migration list. Append-only: an applied migration is never edited; change the
//! schema by adding a migration at the end. Each table's SQL lives in its module.

use rusqlite_migration::{Migrations, M};

/// Every migration, oldest first; the database's `user_version` counts how many ran.
pub(crate) const STEPS: &[&str] = &[
    crate::images::MIGRATION_1,
    crate::shop::MIGRATION_1,
    crate::collections::MIGRATION_1,
    crate::products::MIGRATION_1,
    crate::search::MIGRATION_1,
    crate::image_sources::MIGRATION_1,
];

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
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
