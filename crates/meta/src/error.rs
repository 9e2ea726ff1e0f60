//! Graph API errors, typed from Meta's `error.code` and `error_subcode` (meta-api.md §2).
//! Messages are for the merchant and never contain the access token.

use std::time::Duration;

use serde::Deserialize;

/// Meta's error object: `{"error": {message, type, code, error_subcode, …}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct GraphErrorBody {
    #[serde(default)]
    pub message: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub error_subcode: Option<i64>,
    #[serde(default)]
    pub error_user_title: Option<String>,
    #[serde(default)]
    pub error_user_msg: Option<String>,
    #[serde(default)]
    pub is_transient: Option<bool>,
    #[serde(default)]
    pub fbtrace_id: Option<String>,
    /// WhatsApp errors put their specifics here (`{"details": "…"}`) rather than in the title.
    #[serde(default)]
    pub error_data: Option<ErrorData>,
}

/// The `error_data` object of a WhatsApp Cloud API error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorData {
    #[serde(default)]
    pub details: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("Meta refused the access token: {reason}. Create a new system-user token in Meta Business Settings and connect again.")]
    InvalidToken {
        subcode: Option<i64>,
        reason: &'static str,
    },
    #[error("The access token lacks a permission this needs (catalog_management for catalogs, whatsapp_business_management for WhatsApp settings). Meta said: {message}")]
    PermissionDenied { code: i64, message: String },
    /// `code` is Meta's error code; `None` for an HTTP 429 without a Graph error object, or
    /// when Vitrine held a call back because Meta's usage headers asked for a long wait.
    #[error("Meta's limit on {scope} calls was reached; Vitrine waits and retries.")]
    RateLimited {
        code: Option<i64>,
        scope: &'static str,
        retry_after: Option<Duration>,
    },
    #[error("Meta is temporarily unavailable (code {code}); Vitrine retries.")]
    Transient { code: i64, message: String },
    #[error("Meta cannot find that id, or the token cannot see it. Check the catalog id. Meta said: {message}")]
    NotFound { message: String },
    #[error("Meta rejected the request: {message}")]
    InvalidParameter { message: String },
    #[error("Meta has temporarily blocked this account for a policy reason (code 368). Check Commerce Manager. Meta said: {message}")]
    Blocked { message: String },
    #[error("Meta answered error {code}: {message}")]
    Other {
        code: i64,
        subcode: Option<i64>,
        message: String,
    },
    /// 131047: more than 24 hours since the customer last wrote; only an approved template
    /// message can reach them now.
    #[error("More than 24 hours have passed since the customer's last message: WhatsApp only delivers an approved template message now. When the customer writes again, you can reply freely for 24 hours.")]
    OutsideServiceWindow,
    /// 131026: the number is not on WhatsApp, uses an old client, or cannot receive this.
    #[error("WhatsApp could not deliver the message to this customer (not on WhatsApp, an old app, or they cannot receive business messages). Meta said: {message}")]
    Undeliverable { message: String },
    #[error("Could not reach Meta: {0}")]
    Network(String),
    #[error("Meta answered HTTP {status} with a body Vitrine cannot read")]
    BadResponse { status: u16 },
}

impl GraphError {
    /// Classifies an error object. `retry_after` comes from `Retry-After` or the usage
    /// headers, if any.
    pub fn from_body(body: &GraphErrorBody, retry_after: Option<Duration>) -> Self {
        let message = body
            .error_user_msg
            .clone()
            .filter(|m| !m.is_empty())
            .or_else(|| {
                body.error_data
                    .as_ref()
                    .and_then(|d| d.details.clone())
                    .filter(|d| !d.is_empty())
            })
            .unwrap_or_else(|| body.message.clone());
        match body.code {
            190 | 102 => Self::InvalidToken {
                subcode: body.error_subcode,
                reason: token_reason(body.error_subcode),
            },
            10 | 200..=299 => Self::PermissionDenied {
                code: body.code,
                message,
            },
            131047 => Self::OutsideServiceWindow,
            131026 => Self::Undeliverable { message },
            4 | 17 | 32 | 613 | 80001 | 80004 | 80007 | 80008 | 80009 | 80014 | 130429 | 131048
            | 131056 => Self::RateLimited {
                code: Some(body.code),
                scope: rate_scope(body.code),
                retry_after,
            },
            1 | 2 | 131000 | 131057 => Self::Transient {
                code: body.code,
                message,
            },
            368 | 131031 => Self::Blocked { message },
            100 if body.error_subcode == Some(33) => Self::NotFound { message },
            803 => Self::NotFound { message },
            100 | 131008 | 131009 | 131051 => Self::InvalidParameter { message },
            code if body.is_transient == Some(true) => Self::Transient { code, message },
            code => Self::Other {
                code,
                subcode: body.error_subcode,
                message,
            },
        }
    }

    /// Worth trying again after a pause (rate limits, outages, network trouble, 5xx).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Transient { .. } | Self::Network(_) => true,
            Self::BadResponse { status } => *status >= 500,
            _ => false,
        }
    }

    /// The merchant must act before anything else can work (token, permission, policy).
    pub fn needs_merchant(&self) -> bool {
        matches!(
            self,
            Self::InvalidToken { .. } | Self::PermissionDenied { .. } | Self::Blocked { .. }
        )
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

fn token_reason(subcode: Option<i64>) -> &'static str {
    match subcode {
        Some(463) => "it has expired",
        Some(460) => "the password of its user changed",
        Some(458) => "the app is not installed for this user",
        Some(467) => "its user logged out",
        Some(464) => "its system user is not confirmed",
        Some(452) => "its session does not match",
        Some(465) => "its user or session is invalid",
        _ => "it is invalid or has expired",
    }
}

fn rate_scope(code: i64) -> &'static str {
    match code {
        80014 => "catalog batch",
        80009 => "catalog management",
        80008 | 80007 => "WhatsApp Business account",
        4 => "app",
        17 => "user",
        130429 => "message throughput",
        131056 => "messages to the same customer",
        131048 => "spam",
        _ => "API",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: i64, subcode: Option<i64>) -> GraphErrorBody {
        GraphErrorBody {
            message: format!("(#{code}) test"),
            code,
            error_subcode: subcode,
            ..Default::default()
        }
    }

    #[test]
    fn every_documented_code_maps_to_what_the_client_must_do() {
        type Case = (i64, Option<i64>, fn(&GraphError) -> bool);
        let cases: &[Case] = &[
            (190, Some(463), |e| {
                matches!(
                    e,
                    GraphError::InvalidToken {
                        reason: "it has expired",
                        ..
                    }
                )
            }),
            (190, None, |e| matches!(e, GraphError::InvalidToken { .. })),
            (102, None, |e| matches!(e, GraphError::InvalidToken { .. })),
            (10, None, |e| {
                matches!(e, GraphError::PermissionDenied { .. })
            }),
            (200, None, |e| {
                matches!(e, GraphError::PermissionDenied { .. })
            }),
            (299, None, |e| {
                matches!(e, GraphError::PermissionDenied { .. })
            }),
            (100, None, |e| {
                matches!(e, GraphError::InvalidParameter { .. })
            }),
            (100, Some(33), |e| matches!(e, GraphError::NotFound { .. })),
            (368, None, |e| matches!(e, GraphError::Blocked { .. })),
            (1, None, |e| matches!(e, GraphError::Transient { .. })),
            (2, None, |e| matches!(e, GraphError::Transient { .. })),
            (4, None, |e| {
                matches!(e, GraphError::RateLimited { scope: "app", .. })
            }),
            (17, None, |e| matches!(e, GraphError::RateLimited { .. })),
            (32, None, |e| matches!(e, GraphError::RateLimited { .. })),
            (613, None, |e| matches!(e, GraphError::RateLimited { .. })),
            (80009, None, |e| {
                matches!(
                    e,
                    GraphError::RateLimited {
                        scope: "catalog management",
                        ..
                    }
                )
            }),
            (80014, None, |e| {
                matches!(
                    e,
                    GraphError::RateLimited {
                        scope: "catalog batch",
                        ..
                    }
                )
            }),
            (131047, None, |e| {
                matches!(e, GraphError::OutsideServiceWindow)
            }),
            (131026, None, |e| {
                matches!(e, GraphError::Undeliverable { .. })
            }),
            (131056, None, |e| {
                matches!(
                    e,
                    GraphError::RateLimited {
                        scope: "messages to the same customer",
                        ..
                    }
                )
            }),
            (131009, None, |e| {
                matches!(e, GraphError::InvalidParameter { .. })
            }),
            (131031, None, |e| matches!(e, GraphError::Blocked { .. })),
            (131000, None, |e| matches!(e, GraphError::Transient { .. })),
            (12345, None, |e| {
                matches!(e, GraphError::Other { code: 12345, .. })
            }),
        ];
        for (code, subcode, expected) in cases {
            let err = GraphError::from_body(&body(*code, *subcode), None);
            assert!(expected(&err), "code {code}/{subcode:?} became {err:?}");
        }
    }

    #[test]
    fn retry_and_stop_decisions_follow_the_code() {
        assert!(GraphError::from_body(&body(80014, None), None).is_retryable());
        assert!(GraphError::from_body(&body(2, None), None).is_retryable());
        assert!(
            !GraphError::from_body(&body(190, None), None).is_retryable(),
            "an expired token is not retried"
        );
        assert!(GraphError::from_body(&body(190, None), None).needs_merchant());
        assert!(GraphError::from_body(&body(368, None), None).needs_merchant());
        assert!(GraphError::BadResponse { status: 503 }.is_retryable());
        assert!(!GraphError::BadResponse { status: 404 }.is_retryable());
        let transient = GraphErrorBody {
            is_transient: Some(true),
            ..body(131000, None)
        };
        assert!(
            GraphError::from_body(&transient, None).is_retryable(),
            "is_transient is honoured"
        );
    }

    #[test]
    fn a_whatsapp_error_says_what_its_details_say() {
        let envelope: GraphErrorBody = serde_json::from_str(r#"{"message":"(#131026) Message Undeliverable.","type":"OAuthException","code":131026,"error_data":{"messaging_product":"whatsapp","details":"Message Undeliverable."},"fbtrace_id":"A"}"#).expect("Meta's error object");
        let err = GraphError::from_body(&envelope, None);
        assert!(
            matches!(&err, GraphError::Undeliverable { message } if message == "Message Undeliverable."),
            "the details, not the title, reach the merchant: {err:?}"
        );
        let window: GraphErrorBody = serde_json::from_str(r#"{"message":"(#131047) Re-engagement message","code":131047,"error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}"#).expect("Meta's error object");
        let err = GraphError::from_body(&window, None);
        assert_eq!(err, GraphError::OutsideServiceWindow);
        assert!(
            err.to_string().contains("template"),
            "the merchant is told a template is needed: {err}"
        );
        assert!(!err.is_retryable(), "resending cannot reopen the window");
    }

    #[test]
    fn the_wait_meta_asks_for_is_kept() {
        let err = GraphError::from_body(&body(80014, None), Some(Duration::from_secs(120)));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    }
}
