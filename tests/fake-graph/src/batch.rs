//! `items_batch` record validation and asynchronous application (meta-api.md §1.2–1.4, §10).

use serde_json::{json, Map, Value};

use crate::{Item, PendingBatch, State};

const KNOWN_FIELDS: &[&str] = &[
    "id",
    "title",
    "description",
    "rich_text_description",
    "availability",
    "condition",
    "price",
    "sale_price",
    "sale_price_effective_date",
    "link",
    "image_link",
    "image",
    "additional_image_link",
    "brand",
    "item_group_id",
    "quantity_to_sell_on_facebook",
    "inventory",
    "size",
    "color",
    "material",
    "pattern",
    "gender",
    "age_group",
    "google_product_category",
    "fb_product_category",
    "gtin",
    "mpn",
    "custom_label_0",
    "custom_label_1",
    "custom_label_2",
    "custom_label_3",
    "custom_label_4",
    "custom_number_0",
    "custom_number_1",
    "custom_number_2",
    "custom_number_3",
    "custom_number_4",
    "internal_label",
    "status",
    "visibility",
    "additional_variant_attribute",
    "shipping",
    "shipping_weight",
    "expiration_date",
    "origin_country",
    "importer_name",
    "importer_address",
    "mobile_link",
    "video",
    "disabled_capabilities",
    "rating_count",
    "user_rating",
    "product_type",
];
const REQUIRED_ON_CREATE: &[&str] = &[
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "brand",
];
const AVAILABILITY: &[&str] = &[
    "in stock",
    "out of stock",
    "available for order",
    "discontinued",
];
const CONDITION: &[&str] = &["new", "refurbished", "used"];

fn is_price(text: &str) -> bool {
    let Some((amount, code)) = text.split_once(' ') else {
        return false;
    };
    let mut parts = amount.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let frac = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
        && code.len() == 3
        && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

/// Checks one record as Meta does synchronously: `(retailer id, errors, warnings)`.
pub fn validate_record(record: &Value) -> (Option<String>, Vec<String>, Vec<String>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let method = record
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !matches!(method, "CREATE" | "UPDATE" | "DELETE") {
        errors.push(format!(
            "Invalid method: '{method}'. Use CREATE, UPDATE or DELETE."
        ));
    }
    let Some(data) = record.get("data").and_then(Value::as_object) else {
        errors.push("Each request needs a data object.".to_owned());
        return (None, errors, warnings);
    };
    let id = data.get("id").and_then(Value::as_str).map(str::to_owned);
    match &id {
        None => errors.push("Missing required field: id".to_owned()),
        Some(id) if id.is_empty() => errors.push("Missing required field: id".to_owned()),
        Some(id) if id.chars().count() > 100 => {
            errors.push(format!("The id {id} is longer than 100 characters."))
        }
        Some(_) => {}
    }
    if data.contains_key("retailer_id") {
        errors.push("retailer_id cannot be included in the data object; use id.".to_owned());
    }
    let rid = id.clone().unwrap_or_default();
    if method == "DELETE" {
        if data.len() > 1 {
            warnings.push(format!(
                "A DELETE request for item {rid} should only contain the id."
            ));
        }
        return (id, errors, warnings);
    }
    if method == "CREATE" {
        for field in REQUIRED_ON_CREATE {
            if data
                .get(*field)
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                errors.push(format!("Missing required field: {field}"));
            }
        }
        if !data.contains_key("image_link") && !data.contains_key("image") {
            errors.push("Missing required field: image_link".to_owned());
        }
    }
    for (key, value) in data {
        let text = value.as_str();
        match key.as_str() {
            "price" | "sale_price" if !text.is_some_and(|t| t.is_empty() || is_price(t)) => {
                errors.push(format!("Invalid {key} for item {rid}: use a number, a space and a 3-letter currency code, like 12.99 USD."));
            }
            "availability" if !text.is_some_and(|t| AVAILABILITY.contains(&t)) => {
                errors.push(format!("Invalid availability for item {rid}: {value}"))
            }
            "condition" if !text.is_some_and(|t| CONDITION.contains(&t)) => {
                errors.push(format!("Invalid condition for item {rid}: {value}"))
            }
            "link" | "image_link" if !text.is_some_and(is_url) => errors.push(format!(
                "Invalid {key} for item {rid}: must start with http:// or https://"
            )),
            "title" => match text.map(|t| t.chars().count()) {
                Some(n) if n > 200 => errors.push(format!(
                    "The title of item {rid} is longer than 200 characters."
                )),
                Some(n) if n > 100 => warnings.push(format!(
                    "The title of item {rid} is longer than 100 characters."
                )),
                Some(_) => {}
                None => errors.push(format!("Invalid title for item {rid}")),
            },
            "description" => match text.map(|t| t.chars().count()) {
                Some(n) if n > 9_999 => errors.push(format!(
                    "The description of item {rid} is longer than 9999 characters."
                )),
                Some(n) if n > 5_000 => warnings.push(format!(
                    "The description of item {rid} is longer than 5000 characters."
                )),
                Some(_) => {}
                None => errors.push(format!("Invalid description for item {rid}")),
            },
            "quantity_to_sell_on_facebook" | "inventory" if value.as_u64().is_none() => {
                errors.push(format!(
                    "Invalid {key} for item {rid}: a whole number is required."
                ));
            }
            "additional_image_link"
                if !value.as_array().is_some_and(|a| {
                    a.len() <= 50 && a.iter().all(|u| u.as_str().is_some_and(is_url))
                }) =>
            {
                errors.push(format!("Invalid additional_image_link for item {rid}"));
            }
            k if !KNOWN_FIELDS.contains(&k) => warnings.push(format!(
                "Unrecognised field: A request for item {rid} contains unrecognised field: '{k}'"
            )),
            _ => {}
        }
    }
    (id, errors, warnings)
}

/// Validates a whole batch; returns the answer body and the records to apply later.
pub(crate) fn accept(requests: &[Value]) -> (Value, Vec<(usize, Value)>) {
    let mut statuses = Vec::new();
    let mut accepted = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let ids: Vec<Option<String>> = requests
        .iter()
        .map(|r| {
            r.pointer("/data/id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    for id in ids.iter().flatten() {
        *seen.entry(id.clone()).or_default() += 1;
    }
    for (i, record) in requests.iter().enumerate() {
        let (id, mut errors, warnings) = validate_record(record);
        if let Some(id) = &id {
            if seen.get(id).copied().unwrap_or(0) > 1 {
                errors.push(format!(
                    "The id {id} appears more than once in this batch; all instances are ignored."
                ));
            }
        }
        if !errors.is_empty() || !warnings.is_empty() {
            let mut status = Map::new();
            status.insert("retailer_id".into(), json!(id.clone().unwrap_or_default()));
            if !errors.is_empty() {
                status.insert(
                    "errors".into(),
                    json!(errors
                        .iter()
                        .map(|m| json!({"message": m}))
                        .collect::<Vec<_>>()),
                );
            }
            if !warnings.is_empty() {
                status.insert(
                    "warnings".into(),
                    json!(warnings
                        .iter()
                        .map(|m| json!({"message": m}))
                        .collect::<Vec<_>>()),
                );
            }
            statuses.push(Value::Object(status));
        }
        if errors.is_empty() {
            accepted.push((i, record.clone()));
        }
    }
    (json!({ "validation_status": statuses }), accepted)
}

/// Applies a batch once it has been polled enough; returns its final status object.
pub(crate) fn apply(
    state: &mut State,
    handle: &str,
    batch: &PendingBatch,
    with_invalid_ids: bool,
) -> Value {
    let mut errors = Vec::new();
    let mut invalid = Vec::new();
    for (line, record) in &batch.records {
        let method = record
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let data = record
            .get("data")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let id = data
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let fb_id = state.new_fb_id();
        if let Some(message) = state.refused.get(&id).cloned() {
            errors.push(json!({"line": line + 1, "id": id, "message": message}));
            invalid.push(id.clone());
            continue;
        }
        let Some(catalog) = state.catalogs.get_mut(&batch.catalog_id) else {
            break;
        };
        let mut fail = |message: String| {
            errors.push(json!({"line": line + 1, "id": id, "message": message}));
            invalid.push(id.clone());
        };
        match method.as_str() {
            "DELETE" => {
                if catalog.items.remove(&id).is_none() {
                    fail(format!("Item {id} does not exist in this catalog."));
                }
            }
            "UPDATE" if !catalog.items.contains_key(&id) && !batch.allow_upsert => fail(format!(
                "Item {id} does not exist and allow_upsert is false."
            )),
            _ => match catalog.items.get_mut(&id) {
                Some(item) => {
                    if method == "CREATE" {
                        item.data = data;
                    } else {
                        for (k, v) in data {
                            if v.as_str() == Some("") {
                                item.data.remove(&k);
                            } else {
                                item.data.insert(k, v);
                            }
                        }
                    }
                    // Sent again: Meta reviews it afresh.
                    item.review_status = "pending".to_owned();
                    item.review_errors.clear();
                }
                None => {
                    if [
                        "title",
                        "description",
                        "price",
                        "link",
                        "brand",
                        "availability",
                        "condition",
                    ]
                    .iter()
                    .any(|f| !data.contains_key(*f))
                        || !(data.contains_key("image_link") || data.contains_key("image"))
                    {
                        fail(format!(
                            "Item {id} does not exist; an upsert needs every required field."
                        ));
                        continue;
                    }
                    catalog.items.insert(
                        id.clone(),
                        Item {
                            fb_id,
                            data,
                            review_status: "approved".to_owned(),
                            review_errors: Vec::new(),
                        },
                    );
                    state.creates += 1;
                }
            },
        }
    }
    let count = errors.len();
    json!({
        "handle": handle,
        "status": "finished",
        "errors_total_count": count,
        "errors": errors,
        "warnings_total_count": 0,
        "warnings": [],
        "ids_of_invalid_requests": if with_invalid_ids { json!(invalid) } else { json!([]) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_validated_like_meta() {
        let good = json!({"method": "CREATE", "data": {"id": "A", "title": "T", "description": "D", "availability": "in stock", "condition": "new", "price": "12.99 USD", "link": "https://x.example/a", "image_link": "https://x.example/a.jpg", "brand": "B"}});
        assert_eq!(validate_record(&good), (Some("A".into()), vec![], vec![]));
        let bad = json!({"method": "CREATE", "data": {"id": "B", "price": "12,99 USD", "availability": "available", "unknown_field": 1}});
        let (_, errors, warnings) = validate_record(&bad);
        assert!(
            errors.iter().any(|e| e.contains("Invalid price")),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.contains("Invalid availability")));
        assert!(errors.iter().any(|e| e == "Missing required field: title"));
        assert_eq!(warnings, vec!["Unrecognised field: A request for item B contains unrecognised field: 'unknown_field'"]);
        assert!(
            is_price("14 GBP")
                && is_price("1.250 KWD")
                && !is_price("$12")
                && !is_price("12.99")
                && !is_price("12. USD")
        );
    }

    #[test]
    fn duplicate_ids_in_one_batch_are_both_refused() {
        let r = json!({"method": "DELETE", "data": {"id": "X"}});
        let (answer, accepted) = accept(&[r.clone(), r]);
        assert!(accepted.is_empty());
        assert_eq!(
            answer["validation_status"].as_array().map(Vec::len),
            Some(2)
        );
    }
}
