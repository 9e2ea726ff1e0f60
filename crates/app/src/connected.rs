//! The Meta use cases on the saved connection (ids in the store, token in the keychain or
//! `VITRINE_META_TOKEN`), for front ends that hold no Graph client of their own: the
//! desktop app and the CLI both call these.

use serde::Serialize;
use vitrine_meta::{CommerceSettings, GraphApi};

use crate::{
    AppError, ConnectionCheck, ImportProgress, InputField, MetaImportReport, MetaItemState,
    SyncOptions, SyncProgress, SyncReport, Vitrine,
};

impl Vitrine {
    /// "Test connection": reads the catalog (and commerce settings) with the saved token.
    pub async fn check_meta(&self) -> Result<ConnectionCheck, AppError> {
        let (client, connection) = self.meta_client()?;
        self.test_connection(&client, &connection).await
    }

    /// Runs (or resumes) a sync to the connected catalog.
    pub async fn sync_connected(
        &self,
        opts: &SyncOptions,
        progress: &mut (dyn FnMut(SyncProgress) + Send),
    ) -> Result<SyncReport, AppError> {
        let (client, connection) = self.meta_client()?;
        self.sync(&client, &connection.catalog_id, opts, progress)
            .await
    }

    /// Every item of the connected catalog with Meta's review state.
    pub async fn review_at_meta(&self) -> Result<Vec<MetaItemState>, AppError> {
        let (client, connection) = self.meta_client()?;
        self.pull_meta(&client, &connection.catalog_id).await
    }

    /// The orphans of the connected catalog: retailer ids of the items Meta holds that
    /// Vitrine does not have.
    pub async fn orphans_at_meta(&self) -> Result<Vec<String>, AppError> {
        Ok(orphans(self.review_at_meta().await?))
    }

    /// Deletes every orphan (an item at Meta that Vitrine does not have); says which they
    /// were and how many Meta removed.
    pub async fn remove_orphans_at_meta(&self) -> Result<OrphansRemoved, AppError> {
        let (client, connection) = self.meta_client()?;
        let orphans = orphans(self.pull_meta(&client, &connection.catalog_id).await?);
        let deleted = self
            .delete_orphans(&client, &connection.catalog_id, &orphans)
            .await?;
        Ok(OrphansRemoved { orphans, deleted })
    }

    /// Deletes every orphan (an item at Meta that Vitrine does not have); returns how many
    /// Meta removed.
    pub async fn delete_all_orphans(&self) -> Result<usize, AppError> {
        Ok(self.remove_orphans_at_meta().await?.deleted)
    }

    /// Shows or hides the catalog on WhatsApp and turns the cart on or off.
    pub async fn set_commerce(
        &self,
        catalog_visible: bool,
        cart_enabled: bool,
    ) -> Result<CommerceSettings, AppError> {
        self.change_commerce(CommerceChange {
            catalog_visible: Some(catalog_visible),
            cart_enabled: Some(cart_enabled),
        })
        .await
    }

    /// Changes the WhatsApp commerce settings that are given (none: only reads them) and
    /// returns them as Meta then holds them.
    pub async fn change_commerce(
        &self,
        change: CommerceChange,
    ) -> Result<CommerceSettings, AppError> {
        let CommerceChange {
            catalog_visible,
            cart_enabled,
        } = change;
        let (client, connection) = self.meta_client()?;
        let phone = connection.phone_number_id.ok_or_else(|| {
            AppError::invalid(
                InputField::PhoneNumberId,
                "add the WhatsApp phone number id to the connection to change what customers see",
            )
        })?;
        if catalog_visible.is_some() || cart_enabled.is_some() {
            client
                .set_commerce_settings(&phone, cart_enabled, catalog_visible)
                .await?;
        }
        Ok(client.commerce_settings(&phone).await?.value)
    }
}

/// The retailer ids of the items at Meta that Vitrine does not have.
fn orphans(items: Vec<MetaItemState>) -> Vec<String> {
    items
        .into_iter()
        .filter(|item| !item.in_vitrine)
        .map(|item| item.retailer_id)
        .collect()
}

/// Which WhatsApp commerce settings to change; `None` keeps one as Meta holds it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommerceChange {
    pub catalog_visible: Option<bool>,
    pub cart_enabled: Option<bool>,
}

/// What `remove_orphans_at_meta` did: the orphans found, and how many Meta deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrphansRemoved {
    pub orphans: Vec<String>,
    pub deleted: usize,
}

impl Vitrine {
    /// Brings the connected catalog's items that Vitrine lacks into the catalog (a catalog
    /// built in the WhatsApp Business app or Commerce Manager).
    pub async fn import_connected(
        &self,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
    ) -> Result<MetaImportReport, AppError> {
        let (client, connection) = self.meta_client()?;
        self.import_from_meta(&client, &connection.catalog_id, progress)
            .await
    }
}
