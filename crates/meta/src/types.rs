//! Request and response shapes, with Meta's own field names (meta-api.md §1).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::usage::BusinessUseCaseUsage;

/// A response value with the usage headers that came with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ingested<T> {
    pub value: T,
    pub usage: Option<BusinessUseCaseUsage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum BatchMethod {
    Create,
    Update,
    Delete,
}

/// One record of an `items_batch` call: `data` uses feed field names (`id`, `title`,
/// `price` as `"12.99 USD"`…); a DELETE carries only `{"id": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchRequest {
    pub method: BatchMethod,
    pub data: Map<String, Value>,
}

impl BatchRequest {
    pub fn retailer_id(&self) -> Option<&str> {
        self.data.get("id").and_then(Value::as_str)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextMessage {
    pub message: String,
}

/// Synchronous per-record validation in the `items_batch` answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationStatus {
    pub retailer_id: String,
    #[serde(default)]
    pub errors: Vec<TextMessage>,
    #[serde(default)]
    pub warnings: Vec<TextMessage>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemsBatchResponse {
    /// Zero or one handle; empty means nothing was ingested.
    #[serde(default)]
    pub handles: Vec<String>,
    #[serde(default)]
    pub validation_status: Vec<ValidationStatus>,
}

/// A sample error or warning of a batch: `{line, id, message}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchIssue {
    #[serde(default)]
    pub line: Option<u64>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchState {
    /// Scheduled, dispatched, started, in progress or any value not documented.
    Pending,
    Finished,
    Error,
    Canceled,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchStatus {
    #[serde(default)]
    pub handle: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub errors: Vec<BatchIssue>,
    #[serde(default)]
    pub errors_total_count: u64,
    #[serde(default)]
    pub warnings: Vec<BatchIssue>,
    #[serde(default)]
    pub warnings_total_count: u64,
    #[serde(default)]
    pub ids_of_invalid_requests: Vec<String>,
}

impl BatchStatus {
    /// Meta documents title-case states but sends lower case: compare without case.
    pub fn state(&self) -> BatchState {
        match self.status.to_ascii_lowercase().as_str() {
            "finished" => BatchState::Finished,
            "error" => BatchState::Error,
            "canceled" | "cancelled" => BatchState::Canceled,
            _ => BatchState::Pending,
        }
    }
}

/// The `{"data": [ … ]}` envelope Meta wraps single objects in on some edges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataEnvelope<T> {
    pub data: Vec<T>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursors {
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    #[serde(default)]
    pub cursors: Option<Cursors>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub previous: Option<String>,
}

/// A page of a list edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

impl<T> Page<T> {
    /// The cursor of the next page. Meta says to stop on a missing `next`, not on a short
    /// (or even empty) page.
    pub fn next_cursor(&self) -> Option<&str> {
        let paging = self.paging.as_ref()?;
        paging.next.as_ref()?;
        paging.cursors.as_ref()?.after.as_deref()
    }
}

/// A problem Meta found with a catalog item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
/// Read with Meta's field names; written (the CLI's JSON) in camelCase like all of Vitrine's.
#[serde(rename_all(serialize = "camelCase"))]
pub struct ItemError {
    #[serde(default)]
    pub error_type: Option<String>,
    #[serde(default)]
    pub error_priority: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub call_to_action: Option<String>,
}

impl ItemError {
    /// The item field this problem concerns, read from Meta's `error_type`
    /// (`IMAGE_RESOLUTION_LOW` → the image), never from its English words. `None` when Meta
    /// sends no type, or its type is about no one field (a policy, the shop, the catalog).
    pub fn field(&self) -> Option<ItemField> {
        ItemField::of_error_type(self.error_type.as_deref()?)
    }
}

/// The ProductItem field one of Meta's item errors is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemField {
    /// `name`: the title.
    Name,
    Description,
    Price,
    /// `image_url` or `additional_image_urls`.
    Image,
    /// `url`: the product's web page.
    Url,
    Availability,
    Condition,
    /// `retailer_product_group_id` and the variant attributes.
    ItemGroup,
}

impl ItemField {
    /// The field an `error_type` names (Meta's `ProductItemError` types, upper case).
    fn of_error_type(error_type: &str) -> Option<Self> {
        let field = match error_type.trim().to_ascii_uppercase().as_str() {
            "EMPTY_TITLE" => Self::Name,
            "EMPTY_DESCRIPTION" | "QUALITY_DUPLICATED_DESCRIPTION" => Self::Description,
            "EMPTY_PRICE"
            | "NEGATIVE_PRICE"
            | "ITEM_PRICE_NOT_POSITIVE"
            | "ITEM_OVERRIDE_EMPTY_PRICE" => Self::Price,
            "BAD_QUALITY_IMAGE"
            | "DUPLICATE_IMAGES"
            | "EMPTY_IMAGE_URL"
            | "INVALID_IMAGES"
            | "NOT_ENOUGH_IMAGES"
            | "IMAGE_RESOLUTION_LOW" => Self::Image,
            // IMAGE_FETCH_FAILED and its _BAD_GATEWAY, _FORBIDDEN, _LINK_BROKEN… kinds.
            t if t.starts_with("IMAGE_FETCH_FAILED") => Self::Image,
            "EMPTY_PRODUCT_URL"
            | "PRODUCT_URL_EQUALS_DOMAIN"
            | "QUALITY_ITEM_LINK_BROKEN"
            | "QUALITY_ITEM_LINK_REDIRECTING" => Self::Url,
            "EMPTY_AVAILABILITY"
            | "ITEM_OVERRIDE_EMPTY_AVAILABILITY"
            | "CRAWLED_AVAILABILITY_MISMATCH"
            | "INVENTORY_ZERO_AVAILABILITY_IN_STOCK" => Self::Availability,
            "EMPTY_CONDITION" => Self::Condition,
            "ITEM_GROUP_NOT_SPECIFIED" | "VARIANT_ATTRIBUTE_ISSUE" => Self::ItemGroup,
            _ => return None,
        };
        Some(field)
    }
}

/// An item as `GET /{catalog_id}/products` reads it (ProductItem field names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
/// Read with Meta's field names; written (the CLI's JSON) in camelCase like all of Vitrine's.
#[serde(rename_all(serialize = "camelCase"))]
pub struct CatalogProduct {
    /// Meta's own id of the item (used in `wa.me/p/<id>/<number>` links).
    pub id: String,
    #[serde(default)]
    pub retailer_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// A display string such as `"$12.99"`; never parse it back into money.
    #[serde(default)]
    pub price: Option<String>,
    /// A display string like `price`; absent when the item is not on sale.
    #[serde(default)]
    pub sale_price: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub availability: Option<String>,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub additional_image_urls: Vec<String>,
    #[serde(default)]
    pub brand: Option<String>,
    #[serde(default)]
    pub review_status: Option<String>,
    #[serde(default)]
    pub image_fetch_status: Option<String>,
    #[serde(default)]
    pub errors: Vec<ItemError>,
}

/// The fields Vitrine reads from the `products` edge.
pub const PRODUCT_FIELDS: &str = "id,retailer_id,name,description,price,sale_price,currency,availability,condition,url,image_url,additional_image_urls,brand,review_status,image_fetch_status,errors";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
/// Read with Meta's field names; written (the CLI's JSON) in camelCase like all of Vitrine's.
#[serde(rename_all(serialize = "camelCase"))]
pub struct CatalogInfo {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub product_count: Option<u64>,
    #[serde(default)]
    pub vertical: Option<String>,
}

/// WhatsApp commerce settings of a phone number; `id` is the connected catalog's id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
/// Read with Meta's field names; written (the CLI's JSON) in camelCase like all of Vitrine's.
#[serde(rename_all(serialize = "camelCase"))]
pub struct CommerceSettings {
    #[serde(default)]
    pub id: Option<String>,
    /// Meta's default is true.
    #[serde(default = "yes")]
    pub is_cart_enabled: bool,
    /// Meta's default is false: a hidden catalog breaks `wa.me/c/` links.
    #[serde(default)]
    pub is_catalog_visible: bool,
}

fn yes() -> bool {
    true
}

/// A managed WhatsApp short link and QR code (`/{phone_number_id}/message_qrdls`): opening
/// `deep_link_url` (`https://wa.me/message/<code>`) starts a chat with `prefilled_message`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortLink {
    pub code: String,
    #[serde(default)]
    pub prefilled_message: String,
    #[serde(default)]
    pub deep_link_url: String,
}

/// Meta's limit on a short link's prefilled message, in characters.
pub const SHORT_LINK_MESSAGE_MAX: usize = 140;

/// Meta's limit on a text message's body, in characters.
pub const TEXT_MESSAGE_MAX: usize = 4096;

/// A message Meta accepted for delivery (`POST /{phone_number_id}/messages`). Accepted is
/// not delivered: delivery, reading and late failures (131047, 131026) come back as status
/// webhooks about `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    /// The `wamid.…` the status webhooks will name.
    pub id: String,
    /// The recipient's WhatsApp id as Meta resolved it (may differ from the number sent).
    pub wa_id: Option<String>,
}

/// The raw answer of a send: `{"messaging_product", "contacts": [{input, wa_id}], "messages": [{id}]}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SendAnswer {
    #[serde(default)]
    pub contacts: Vec<SendContact>,
    #[serde(default)]
    pub messages: Vec<SendId>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SendContact {
    #[serde(default)]
    pub wa_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SendId {
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metas_sample_answers_parse() {
        let batch: ItemsBatchResponse = serde_json::from_str(r#"{"handles":["Acy_OJ"],"validation_status":[{"retailer_id":"batch_api_product_123","warnings":[{"message":"Unrecognised field"}]}]}"#).expect("sample");
        assert_eq!(batch.handles, vec!["Acy_OJ"]);
        assert!(
            batch.validation_status[0].errors.is_empty(),
            "absent keys are empty lists"
        );
        let status: DataEnvelope<BatchStatus> = serde_json::from_str(r#"{"data":[{"handle":"h","status":"finished","errors_total_count":0,"errors":[],"warnings":[{"line":1,"id":"YourItemID","message":"m"}],"ids_of_invalid_requests":[]}]}"#).expect("sample");
        assert_eq!(status.data[0].state(), BatchState::Finished);
        assert_eq!(
            BatchStatus {
                status: "Finished".into(),
                ..Default::default()
            }
            .state(),
            BatchState::Finished,
            "case-insensitive"
        );
        assert_eq!(
            BatchStatus {
                status: "in_progress".into(),
                ..Default::default()
            }
            .state(),
            BatchState::Pending
        );
        let settings: DataEnvelope<CommerceSettings> = serde_json::from_str(r#"{"data":[{"is_cart_enabled":true,"is_catalog_visible":true,"id":"727705352028726"}]}"#).expect("sample");
        assert!(settings.data[0].is_catalog_visible);
    }

    #[test]
    fn a_send_answer_gives_the_wamid_and_the_resolved_number() {
        let answer: SendAnswer = serde_json::from_str(r#"{"messaging_product":"whatsapp","contacts":[{"input":"+16505551234","wa_id":"16505551234"}],"messages":[{"id":"wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA"}]}"#).expect("Meta's sample answer");
        assert_eq!(
            answer.messages[0].id,
            "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA"
        );
        assert_eq!(answer.contacts[0].wa_id.as_deref(), Some("16505551234"));
    }

    #[test]
    fn paging_stops_on_a_missing_next_not_on_a_short_page() {
        let empty_with_next: Page<CatalogProduct> = serde_json::from_str(r#"{"data":[],"paging":{"cursors":{"before":"a","after":"b"},"next":"https://graph/next"}}"#).expect("page");
        assert_eq!(
            empty_with_next.next_cursor(),
            Some("b"),
            "an empty page with next continues"
        );
        let last: Page<CatalogProduct> = serde_json::from_str(
            r#"{"data":[{"id":"1"}],"paging":{"cursors":{"before":"a","after":"b"}}}"#,
        )
        .expect("page");
        assert_eq!(last.next_cursor(), None);
    }

    #[test]
    fn an_item_errors_field_comes_from_its_error_type_and_is_absent_without_one() {
        let page: Page<CatalogProduct> = serde_json::from_str(
            r#"{"data":[{"id":"5678","errors":[
                {"error_type":"IMAGE_RESOLUTION_LOW","error_priority":"HIGH","title":"Missing or invalid images","description":"The main image of this item cannot be displayed."},
                {"error_type":"image_fetch_failed_timed_out","title":"Image"},
                {"error_type":"POLICY_VIOLATION","title":"Item rejected","description":"The price is wrong"},
                {"title":"The price is too high"}]}]}"#,
        )
        .expect("Meta's sample");
        let fields: Vec<Option<ItemField>> =
            page.data[0].errors.iter().map(ItemError::field).collect();
        assert_eq!(
            fields,
            [Some(ItemField::Image), Some(ItemField::Image), None, None],
            "typed by error_type in any case; a policy or an untyped error names no field, whatever its words say"
        );
    }
}
