//! The Meta use cases on the saved connection (ids in the store, token in the keychain or
//! `VITRINE_META_TOKEN`), for front ends that hold no Graph client of their own: the
//! desktop app calls these, the CLI composes the same steps itself.

use vitrine_meta::{CommerceSettings, GraphApi};

use crate::{
    AppError, ConnectionCheck, ImportProgress, MetaImportReport, MetaItemState, SyncOptions,
    SyncProgress, SyncReport, Vitrine,
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

    /// Deletes every orphan (an item at Meta that Vitrine does not have); returns how many
    /// Meta removed.
    pub async fn delete_all_orphans(&self) -> Result<usize, AppError> {
        let (client, connection) = self.meta_client()?;
        let orphans: Vec<String> = self
            .pull_meta(&client, &connection.catalog_id)
            .await?
            .into_iter()
            .filter(|item| !item.in_vitrine)
            .map(|item| item.retailer_id)
            .collect();
        self.delete_orphans(&client, &connection.catalog_id, &orphans)
            .await
    }

    /// Shows or hides the catalog on WhatsApp and turns the cart on or off.
    pub async fn set_commerce(
        &self,
        catalog_visible: bool,
        cart_enabled: bool,
    ) -> Result<CommerceSettings, AppError> {
        let (client, connection) = self.meta_client()?;
        let phone = connection.phone_number_id.ok_or_else(|| {
            AppError::invalid(
                "phone number id",
                "add the WhatsApp phone number id to the connection to change what customers see",
            )
        })?;
        client
            .set_commerce_settings(&phone, Some(cart_enabled), Some(catalog_visible))
            .await?;
        Ok(client.commerce_settings(&phone).await?.value)
    }
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
