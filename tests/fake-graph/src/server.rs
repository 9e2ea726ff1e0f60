//! The HTTP side: one handler that parses `/{version}/{node}[/{edge}]`, checks the token,
//! injects faults, and dispatches.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Map, Value};

use crate::batch::{accept, apply};
use crate::{Call, PendingBatch, ShortLink, State, Usage};

type Shared = Arc<Mutex<State>>;

pub(crate) fn router(state: Shared) -> Router {
    // Meta accepts items_batch payloads up to 28 MB (meta-api.md §1.2).
    Router::new()
        .route("/cdn/{name}", axum::routing::get(cdn))
        .fallback(handle)
        .layer(axum::extract::DefaultBodyLimit::max(28 * 1024 * 1024))
        .with_state(state)
}

/// Meta's image CDN: photos of items made in the WhatsApp Business app, fetched without a
/// token.
async fn cdn(
    AxumState(state): AxumState<Shared>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    let file = state
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .cdn
        .get(&name)
        .cloned();
    match file {
        Some(bytes) => ([("content-type", "image/jpeg")], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn graph_error(
    status: StatusCode,
    code: i64,
    subcode: Option<i64>,
    kind: &str,
    message: &str,
) -> Response {
    let mut error =
        json!({"message": message, "type": kind, "code": code, "fbtrace_id": "AFakeTrace"});
    if let Some(sub) = subcode {
        error["error_subcode"] = json!(sub);
    }
    (status, axum::Json(json!({ "error": error }))).into_response()
}

/// Query string, form body and JSON body merged, as Graph accepts all three.
fn params(
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Map<String, Value>, &'static str> {
    let mut out = Map::new();
    let mut add_pairs = |text: &str| {
        if let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(text) {
            for (k, v) in pairs {
                out.insert(k, Value::String(v));
            }
        }
    };
    if let Some(q) = uri.query() {
        add_pairs(q);
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !body.is_empty() {
        if content_type.starts_with("application/json") {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) => out.extend(map),
                _ => return Err("Invalid parameter: the JSON body cannot be parsed"),
            }
        } else {
            add_pairs(&String::from_utf8_lossy(body));
        }
    }
    Ok(out)
}

fn token(headers: &HeaderMap, params: &Map<String, Value>) -> Option<String> {
    let header = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    header.or_else(|| {
        params
            .get("access_token")
            .and_then(Value::as_str)
            .map(str::to_owned)
    })
}

fn usage_header(node: &str, calls: u32, budget: u32) -> HeaderValue {
    let pct = (u64::from(calls) * 100 / u64::from(budget.max(1))).min(100);
    let regain = if calls >= budget { 60 } else { 0 };
    business_usage_header(
        node,
        &Usage {
            call_count: pct as u32,
            total_cputime: 1,
            total_time: 1,
            estimated_time_to_regain_access: regain,
        },
    )
}

/// `X-Business-Use-Case-Usage` in the documented nested shape (meta-api.md §2.3).
fn business_usage_header(node: &str, usage: &Usage) -> HeaderValue {
    let text = json!({ node: [{"type": "catalog_batch", "call_count": usage.call_count, "total_cputime": usage.total_cputime, "total_time": usage.total_time, "estimated_time_to_regain_access": usage.estimated_time_to_regain_access}] }).to_string();
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("{}"))
}

/// `X-App-Usage`: one flat object of percentages.
fn app_usage_header(usage: &Usage) -> HeaderValue {
    let text = json!({"call_count": usage.call_count, "total_time": usage.total_time, "total_cputime": usage.total_cputime}).to_string();
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("{}"))
}

/// A bare HTTP 429 if one is due: plain text, no Graph error object.
fn too_many_requests(state: &Shared) -> Option<Response> {
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    let due = &mut s.config.too_many_requests;
    if due.times == 0 {
        return None;
    }
    due.times -= 1;
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [("content-type", "text/plain")],
        due.body.clone(),
    )
        .into_response();
    if let Some(value) = due
        .retry_after
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        response.headers_mut().insert("retry-after", value);
    }
    Some(response)
}

/// Puts the usage the test set on a Graph answer.
fn report_usage(state: &Shared, node: &str, response: &mut Response) {
    let s = state.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(usage) = &s.config.business_usage {
        response.headers_mut().insert(
            "x-business-use-case-usage",
            business_usage_header(node, usage),
        );
    }
    if let Some(usage) = &s.config.app_usage {
        response
            .headers_mut()
            .insert("x-app-usage", app_usage_header(usage));
    }
}

async fn handle(
    AxumState(state): AxumState<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let segments: Vec<String> = uri
        .path()
        .trim_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect();
    let edge = segments.get(2).cloned().unwrap_or_default();
    let response = match too_many_requests(&state) {
        Some(bare) => bare,
        None => {
            let mut response = answer(&state, &method, &uri, &headers, &body, &segments).await;
            let node = segments.get(1).map(String::as_str).unwrap_or_default();
            report_usage(&state, node, &mut response);
            response
        }
    };
    let status = response.status().as_u16();
    if let Ok(mut s) = state.lock() {
        s.calls.push(Call {
            method: method.to_string(),
            edge: if edge.is_empty() {
                "node".to_owned()
            } else {
                edge
            },
            status,
        });
    }
    response
}

async fn answer(
    state: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    segments: &[String],
) -> Response {
    let [version, node, rest @ ..] = segments else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            None,
            "OAuthException",
            "Unknown path components",
        );
    };
    let version_ok = version
        .strip_prefix('v')
        .and_then(|v| v.split('.').next())
        .and_then(|m| m.parse::<u32>().ok())
        .is_some_and(|m| m >= 17);
    if !version_ok {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            None,
            "OAuthException",
            "Unknown or unsupported API version; send one like /v25.0/",
        );
    }
    let params = match params(uri, headers, body) {
        Ok(p) => p,
        Err(message) => {
            return graph_error(
                StatusCode::BAD_REQUEST,
                100,
                None,
                "OAuthException",
                message,
            )
        }
    };
    let edge = rest.first().map(String::as_str).unwrap_or("");
    let (slow, fault, drop) = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        match token(headers, &params) {
            None => return graph_error(
                StatusCode::BAD_REQUEST,
                190,
                None,
                "OAuthException",
                "An active access token must be used to query information about the current user.",
            ),
            Some(t) if s.expired.contains(&t) => {
                return graph_error(
                    StatusCode::UNAUTHORIZED,
                    190,
                    Some(463),
                    "OAuthException",
                    "Error validating access token: Session has expired.",
                )
            }
            Some(t) if !s.config.tokens.contains(&t) => {
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    190,
                    None,
                    "OAuthException",
                    "Invalid OAuth access token - Cannot parse access token",
                )
            }
            Some(_) => {}
        }
        let f = s.config.faults.clone();
        let slow = s.roll(f.slow_pct).then_some(f.slow_by);
        let drop = method == Method::POST && edge == "items_batch" && s.roll(f.drop_pct);
        let fault = if s.roll(f.server_error_pct) {
            Some(1)
        } else if s.roll(f.gateway_pct) {
            Some(2)
        } else if s.roll(f.rate_limit_pct) {
            Some(3)
        } else {
            None
        };
        (slow, fault, drop)
    };
    let response = match fault {
        Some(1) => {
            return graph_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                2,
                None,
                "OAuthException",
                "An unexpected error has occurred. Please retry your request later.",
            )
        }
        Some(2) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [("content-type", "text/html")],
                "<html><body>503 Service Unavailable</body></html>",
            )
                .into_response()
        }
        Some(_) => {
            let (code, msg) = if edge == "items_batch" {
                (80014, "There have been too many calls for the batch uploads to this catalog account. Wait a bit and try again.")
            } else {
                (80009, "There have been too many calls to this catalog account. Wait a bit and try again.")
            };
            return graph_error(StatusCode::BAD_REQUEST, code, None, "OAuthException", msg);
        }
        None => dispatch(state, method, node, rest, &params),
    };
    if drop {
        // Meta took the batch and processes it on its own; the answer is lost on the way.
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        process_pending(&mut s, node);
        return (response.status(), axum::body::Body::new(CutOff)).into_response();
    }
    if let Some(delay) = slow {
        // The call took effect; only its answer is late (a client timing out loses it).
        tokio::time::sleep(delay).await;
    }
    response
}

/// A response body that breaks the connection instead of arriving.
struct CutOff;

impl axum::body::HttpBody for CutOff {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection dropped by the fault mode",
        ))))
    }
}

/// Processes every batch of the catalog not processed yet, oldest first, as Meta does with
/// or without status polls.
fn process_pending(s: &mut State, catalog_id: &str) {
    let mut waiting: Vec<(u64, String)> = s
        .batches
        .iter()
        .filter(|(_, b)| b.catalog_id == catalog_id && b.applied.is_none())
        .map(|(h, b)| (b.seq, h.clone()))
        .collect();
    waiting.sort();
    for (_, handle) in waiting {
        if let Some(mut batch) = s.batches.remove(&handle) {
            batch.applied = Some(apply(s, &handle, &batch, true));
            s.batches.insert(handle, batch);
        }
    }
}

fn dispatch(
    state: &Shared,
    method: &Method,
    node: &str,
    rest: &[String],
    params: &Map<String, Value>,
) -> Response {
    let edge = rest.first().map(String::as_str).unwrap_or("");
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    match (method.as_str(), edge) {
        ("POST", "items_batch") => items_batch(&mut s, node, params),
        ("GET", "check_batch_request_status") => batch_status(&mut s, node, params),
        ("GET", "products") => products(&s, node, params),
        ("GET", "") if s.catalogs.contains_key(node) => {
            let c = &s.catalogs[node];
            axum::Json(json!({"id": node, "name": c.name, "product_count": c.items.len(), "vertical": "commerce"})).into_response()
        }
        ("GET", "whatsapp_commerce_settings") if s.commerce.contains_key(node) => {
            let (cart, visible) = s.commerce[node];
            let catalog = s.waba_catalogs.values().flatten().next().cloned().unwrap_or_default();
            axum::Json(json!({"data": [{"is_cart_enabled": cart, "is_catalog_visible": visible, "id": catalog}]})).into_response()
        }
        ("POST", "whatsapp_commerce_settings") if s.commerce.contains_key(node) => {
            let flag = |k: &str| params.get(k).map(|v| v.as_bool().unwrap_or_else(|| v.as_str() == Some("true")));
            let entry = s.commerce.get_mut(node).map(|e| {
                if let Some(c) = flag("is_cart_enabled") {
                    e.0 = c;
                }
                if let Some(v) = flag("is_catalog_visible") {
                    e.1 = v;
                }
            });
            let _ = entry;
            axum::Json(json!({"success": true})).into_response()
        }
        ("POST", "messages") if s.commerce.contains_key(node) => {
            crate::messages::post(&mut s, node, params)
        }
        (_, "message_qrdls") if s.commerce.contains_key(node) => {
            short_links(&mut s, method, node, rest.get(1).map(String::as_str), params)
        }
        ("GET", "product_catalogs") if s.waba_catalogs.contains_key(node) => {
            let data: Vec<Value> = s.waba_catalogs[node].iter().map(|id| json!({"id": id, "name": s.catalogs.get(id).map(|c| c.name.clone()).unwrap_or_default(), "product_count": s.catalogs.get(id).map_or(0, |c| c.items.len())})).collect();
            axum::Json(json!({"data": data, "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}})).into_response()
        }
        _ => graph_error(
            StatusCode::BAD_REQUEST,
            100,
            Some(33),
            "GraphMethodException",
            &format!("Unsupported {} request. Object with ID '{node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api", method.as_str().to_lowercase()),
        ),
    }
}

/// Meta's limits on managed short links (meta-api.md §7.3).
const SHORT_LINK_MESSAGE_MAX: usize = 140;
const SHORT_LINKS_PER_NUMBER: usize = 2_000;

fn short_link_json(link: &ShortLink) -> Value {
    json!({
        "code": link.code,
        "prefilled_message": link.prefilled_message,
        "deep_link_url": format!("https://wa.me/message/{}", link.code),
    })
}

/// `message_qrdls`: list (`GET`), get one (`GET …/{code}`), create or update (`POST`, with
/// `code` to update), delete (`DELETE …/{code}`).
fn short_links(
    s: &mut State,
    method: &Method,
    node: &str,
    code_in_path: Option<&str>,
    params: &Map<String, Value>,
) -> Response {
    let bad = |message: &str| {
        graph_error(
            StatusCode::BAD_REQUEST,
            100,
            None,
            "OAuthException",
            message,
        )
    };
    let unknown = |code: &str| {
        graph_error(
            StatusCode::BAD_REQUEST,
            100,
            Some(33),
            "GraphMethodException",
            &format!("Unsupported request. The QR code '{code}' does not exist."),
        )
    };
    let next_code = {
        // 14 characters of A–Z and 0–9, like Meta's.
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let mut x = s.next_id.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ s.rng.max(1);
        s.next_id += 1;
        (0..14)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ALPHABET[(x % ALPHABET.len() as u64) as usize] as char
            })
            .collect::<String>()
    };
    let links = s.short_links.entry(node.to_owned()).or_default();
    match (method.as_str(), code_in_path) {
        ("GET", None) => {
            let data: Vec<Value> = links.iter().map(short_link_json).collect();
            axum::Json(
                json!({"data": data, "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}}),
            )
            .into_response()
        }
        ("GET", Some(code)) => match links.iter().find(|l| l.code == code) {
            Some(link) => axum::Json(json!({"data": [short_link_json(link)]})).into_response(),
            None => unknown(code),
        },
        ("POST", None) => {
            let message = match params.get("prefilled_message") {
                Some(Value::String(m)) if !m.trim().is_empty() => m.clone(),
                _ => return bad("(#100) The parameter prefilled_message is required"),
            };
            if message.chars().count() > SHORT_LINK_MESSAGE_MAX {
                return bad("(#100) Param prefilled_message must be at most 140 characters long");
            }
            match params.get("code").and_then(Value::as_str) {
                Some(code) => match links.iter_mut().find(|l| l.code == code) {
                    Some(link) => {
                        link.prefilled_message = message;
                        axum::Json(short_link_json(link)).into_response()
                    }
                    None => unknown(code),
                },
                None => {
                    if links.len() >= SHORT_LINKS_PER_NUMBER {
                        return bad("(#100) This phone number already has the maximum number of QR codes (2000)");
                    }
                    if let Some(format) = params.get("generate_qr_image").and_then(Value::as_str) {
                        if format != "SVG" && format != "PNG" {
                            return bad("(#100) Param generate_qr_image must be one of {SVG, PNG}");
                        }
                    }
                    let link = ShortLink {
                        code: next_code,
                        prefilled_message: message,
                    };
                    let mut body = short_link_json(&link);
                    if let Some(format) = params.get("generate_qr_image").and_then(Value::as_str) {
                        body["qr_image_url"] = json!(format!(
                            "https://scontent.example/qr/{}.{}",
                            link.code,
                            format.to_lowercase()
                        ));
                    }
                    links.push(link);
                    axum::Json(body).into_response()
                }
            }
        }
        ("DELETE", Some(code)) => match links.iter().position(|l| l.code == code) {
            Some(i) => {
                links.remove(i);
                axum::Json(json!({"success": true})).into_response()
            }
            None => unknown(code),
        },
        _ => bad("Unsupported operation on message_qrdls"),
    }
}

fn items_batch(s: &mut State, node: &str, params: &Map<String, Value>) -> Response {
    process_pending(s, node);
    let budget = s.config.batch_calls_per_hour;
    let Some(catalog) = s.catalogs.get_mut(node) else {
        return graph_error(StatusCode::BAD_REQUEST, 100, Some(33), "GraphMethodException", &format!("Unsupported post request. Object with ID '{node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."));
    };
    catalog.batch_calls += 1;
    let calls = catalog.batch_calls;
    let usage = usage_header(node, calls, budget);
    if calls > budget {
        let mut r = graph_error(StatusCode::BAD_REQUEST, 80014, None, "OAuthException", "There have been too many calls for the batch uploads to this catalog account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#catalog.");
        r.headers_mut().insert("x-business-use-case-usage", usage);
        return r;
    }
    if params.get("item_type").and_then(Value::as_str) != Some("PRODUCT_ITEM") {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            None,
            "OAuthException",
            "(#100) The parameter item_type is required",
        );
    }
    let requests: Vec<Value> = match params.get("requests") {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::String(text)) => match serde_json::from_str(text) {
            Ok(Value::Array(a)) => a,
            _ => {
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    100,
                    None,
                    "OAuthException",
                    "(#100) Param requests must be a JSON array",
                )
            }
        },
        _ => {
            return graph_error(
                StatusCode::BAD_REQUEST,
                100,
                None,
                "OAuthException",
                "(#100) The parameter requests is required",
            )
        }
    };
    if requests.len() > 5_000 {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            None,
            "OAuthException",
            "(#100) requests must contain at most 5000 items",
        );
    }
    let allow_upsert = params
        .get("allow_upsert")
        .map(|v| v.as_bool().unwrap_or_else(|| v.as_str() != Some("false")))
        .unwrap_or(true);
    let (mut answer, accepted) = accept(&requests);
    if accepted.is_empty() {
        answer["handles"] = json!([]);
    } else {
        let handle = format!(
            "AcyFake{:016x}",
            s.next_id.wrapping_mul(2_654_435_761) ^ 0x5bd1_e995
        );
        let seq = s.next_id;
        s.next_id += 1;
        s.batches.insert(
            handle.clone(),
            PendingBatch {
                seq,
                catalog_id: node.to_owned(),
                records: accepted,
                allow_upsert,
                polls: 0,
                applied: None,
            },
        );
        answer["handles"] = json!([handle]);
    }
    let mut r = axum::Json(answer).into_response();
    r.headers_mut().insert("x-business-use-case-usage", usage);
    r
}

fn batch_status(s: &mut State, node: &str, params: &Map<String, Value>) -> Response {
    let Some(handle) = params
        .get("handle")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            None,
            "OAuthException",
            "(#100) The parameter handle is required",
        );
    };
    let with_ids = params
        .get("load_ids_of_invalid_requests")
        .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
    let polls_needed = s.config.polls_until_finished;
    let Some(mut batch) = s.batches.remove(&handle).filter(|b| b.catalog_id == node) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            None,
            "OAuthException",
            "(#100) Invalid handle",
        );
    };
    batch.polls += 1;
    let status = if let Some(done) = &batch.applied {
        done.clone()
    } else if batch.polls > polls_needed {
        let done = apply(s, &handle, &batch, with_ids);
        batch.applied = Some(done.clone());
        done
    } else {
        json!({"handle": handle, "status": "in_progress", "errors_total_count": 0, "errors": [], "warnings": [], "ids_of_invalid_requests": []})
    };
    s.batches.insert(handle, batch);
    axum::Json(json!({ "data": [status] })).into_response()
}

/// Fields the `products` edge can read (ProductItem names, meta-api.md §1.7); Graph answers
/// any other name with error 100.
const PRODUCT_ITEM_FIELDS: &[&str] = &[
    "id",
    "retailer_id",
    "name",
    "description",
    "price",
    "sale_price",
    "currency",
    "availability",
    "condition",
    "brand",
    "url",
    "image_url",
    "additional_image_urls",
    "review_status",
    "image_fetch_status",
    "errors",
    "category",
    "inventory",
    "quantity_to_sell_on_facebook",
    "retailer_product_group_id",
    "visibility",
];

fn display_price(feed_price: &str) -> String {
    match feed_price.split_once(' ') {
        Some((amount, code)) => format!("{code}{amount}"),
        None => feed_price.to_owned(),
    }
}

fn products(s: &State, node: &str, params: &Map<String, Value>) -> Response {
    let Some(catalog) = s.catalogs.get(node) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            Some(33),
            "GraphMethodException",
            &format!("Unsupported get request. Object with ID '{node}' does not exist."),
        );
    };
    let limit: usize = params
        .get("limit")
        .and_then(Value::as_str)
        .and_then(|l| l.parse().ok())
        .unwrap_or(25)
        .clamp(1, 1000);
    let offset: usize = params
        .get("after")
        .and_then(Value::as_str)
        .and_then(|c| c.strip_prefix("cursor-"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let fields: Vec<String> = params
        .get("fields")
        .and_then(Value::as_str)
        .unwrap_or("id")
        .split(',')
        .map(|f| f.trim().to_owned())
        .collect();
    if let Some(unknown) = fields
        .iter()
        .find(|f| !PRODUCT_ITEM_FIELDS.contains(&f.as_str()))
    {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            None,
            "OAuthException",
            &format!(
                "(#100) Tried accessing nonexisting field ({unknown}) on node type (ProductItem)"
            ),
        );
    }
    let filter: HashMap<String, HashMap<String, String>> = params
        .get("filter")
        .and_then(Value::as_str)
        .and_then(|f| serde_json::from_str(f).ok())
        .unwrap_or_default();
    let matching: Vec<(&String, &crate::Item)> = catalog
        .items
        .iter()
        .filter(|(rid, item)| {
            filter.iter().all(|(field, ops)| {
                let value = match field.as_str() {
                    "retailer_id" => rid.to_string(),
                    "name" => item
                        .data
                        .get("title")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    _ => String::new(),
                };
                ops.iter().all(|(op, arg)| match op.as_str() {
                    "eq" => &value == arg,
                    "i_contains" => value.to_lowercase().contains(&arg.to_lowercase()),
                    _ => false,
                })
            })
        })
        .collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(rid, item)| {
            let d = &item.data;
            let text = |k: &str| d.get(k).cloned().unwrap_or(Value::Null);
            let mut full = Map::new();
            full.insert("id".into(), json!(item.fb_id));
            full.insert("retailer_id".into(), json!(rid));
            full.insert("name".into(), text("title"));
            full.insert("description".into(), text("description"));
            full.insert(
                "price".into(),
                json!(d.get("price").and_then(Value::as_str).map(display_price)),
            );
            // Absent, not empty, when the item is not on sale.
            if let Some(sale) = d
                .get("sale_price")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty())
            {
                full.insert("sale_price".into(), json!(display_price(sale)));
            }
            full.insert("condition".into(), text("condition"));
            let more: Vec<Value> = match d.get("additional_image_link") {
                Some(Value::Array(urls)) => urls.clone(),
                Some(Value::String(list)) => list
                    .split([',', ';', '|'])
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(Value::from)
                    .collect(),
                _ => Vec::new(),
            };
            full.insert("additional_image_urls".into(), Value::Array(more));
            full.insert(
                "currency".into(),
                json!(d
                    .get("price")
                    .and_then(Value::as_str)
                    .and_then(|p| p.split(' ').nth(1))),
            );
            full.insert("availability".into(), text("availability"));
            full.insert("url".into(), text("link"));
            full.insert("image_url".into(), text("image_link"));
            full.insert("brand".into(), text("brand"));
            full.insert("review_status".into(), json!(item.review_status));
            full.insert(
                "image_fetch_status".into(),
                json!(if d.contains_key("image_link") {
                    "FETCHED"
                } else {
                    "NO_STATUS"
                }),
            );
            full.insert("errors".into(), Value::Array(item.review_errors.clone()));
            Value::Object(
                full.into_iter()
                    .filter(|(k, _)| k == "id" || fields.contains(k))
                    .collect(),
            )
        })
        .collect();
    let mut paging = json!({"cursors": {"before": format!("cursor-{offset}"), "after": format!("cursor-{}", offset + page.len())}});
    if offset + page.len() < matching.len() {
        paging["next"] = json!(format!(
            "https://graph.facebook.com/v25.0/{node}/products?limit={limit}&after=cursor-{}",
            offset + page.len()
        ));
    }
    let mut body = json!({"data": page, "paging": paging});
    if params.get("summary").and_then(Value::as_str) == Some("true") {
        body["summary"] = json!({"total_count": matching.len()});
    }
    axum::Json(body).into_response()
}
