//! Managed WhatsApp short links and QR codes (Meta's `message_qrdls`): `wa.me/message/<code>`
//! links that open a chat with the shop, a message prefilled (at most 140 characters). Meta
//! keeps them; unlike a `wa.me/<number>?text=` link the message can be changed later without
//! reprinting the code. Vitrine keeps a copy in the store so the list shows offline.
//!
//! Each use case takes the Graph API and the phone number id (tests pass a client of the fake
//! Graph server); the `*_connected` forms use the saved connection, for the desktop and CLI.

use serde::Serialize;
use vitrine_core::share::{self, RefTag};
use vitrine_core::LanguageTag;
use vitrine_meta::{GraphApi, SHORT_LINK_MESSAGE_MAX};
use vitrine_store::short_links as stored;

use crate::{AppError, InputField, Vitrine};

/// A managed short link as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShortLink {
    /// Meta's code (`wa.me/message/<code>`).
    pub code: String,
    pub message: String,
    pub url: String,
    /// When Vitrine last saw it change (RFC 3339).
    pub updated_at: String,
    /// The ref tag written in the message, if any.
    pub ref_tag: Option<String>,
}

impl From<stored::ShortLink> for ShortLink {
    fn from(link: stored::ShortLink) -> Self {
        let stored::ShortLink {
            code,
            prefilled_message,
            deep_link_url,
            updated_at,
        } = link;
        Self {
            ref_tag: share::parse_ref(&prefilled_message).map(|t| t.as_str().to_owned()),
            code,
            message: prefilled_message,
            url: deep_link_url,
            updated_at,
        }
    }
}

/// Pages read from Meta before giving up on a list that never ends.
const MAX_PAGES: usize = 40;

impl Vitrine {
    /// The short links as last seen (no network).
    pub fn short_links(&self) -> Result<Vec<ShortLink>, AppError> {
        Ok(self
            .store
            .read(stored::list)
            .map_err(|e| AppError::from_store("reading the short links", e))?
            .into_iter()
            .map(ShortLink::from)
            .collect())
    }

    /// Reads every short link of the number from Meta and keeps that list.
    pub async fn refresh_short_links(
        &self,
        api: &impl GraphApi,
        phone_number_id: &str,
    ) -> Result<Vec<ShortLink>, AppError> {
        let mut links = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = api
                .short_links_page(phone_number_id, after.as_deref())
                .await?
                .value;
            let next = page.next_cursor().map(str::to_owned);
            links.extend(page.data);
            match next {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
        let at = self.now_text();
        let rows: Vec<stored::ShortLink> = links
            .into_iter()
            .map(|l| stored::ShortLink {
                deep_link_url: deep_link(&l.code, &l.deep_link_url),
                code: l.code,
                prefilled_message: l.prefilled_message,
                updated_at: at.clone(),
            })
            .collect();
        self.store
            .write(|tx| stored::replace_all(tx, &rows))
            .map_err(|e| AppError::from_store("saving the short links", e))?;
        self.short_links()
    }

    /// Asks Meta for a new short link whose chat starts with `message` (and the ref line).
    pub async fn create_short_link(
        &self,
        api: &impl GraphApi,
        phone_number_id: &str,
        message: &str,
        ref_tag: Option<&str>,
    ) -> Result<ShortLink, AppError> {
        let message = self.short_link_message(message, ref_tag)?;
        let created = api
            .create_short_link(phone_number_id, &message)
            .await?
            .value;
        self.keep_short_link(created, &message)
    }

    /// Changes the message of a short link; its code, link and printed QR codes stay valid.
    pub async fn update_short_link(
        &self,
        api: &impl GraphApi,
        phone_number_id: &str,
        code: &str,
        message: &str,
        ref_tag: Option<&str>,
    ) -> Result<ShortLink, AppError> {
        let code = check_code(code)?;
        let message = self.short_link_message(message, ref_tag)?;
        let updated = api
            .update_short_link(phone_number_id, code, &message)
            .await?
            .value;
        self.keep_short_link(updated, &message)
    }

    /// Deletes a short link at Meta; printed codes of it stop working.
    pub async fn delete_short_link(
        &self,
        api: &impl GraphApi,
        phone_number_id: &str,
        code: &str,
    ) -> Result<(), AppError> {
        let code = check_code(code)?;
        api.delete_short_link(phone_number_id, code).await?;
        self.store
            .write(|tx| stored::remove(tx, code))
            .map_err(|e| AppError::from_store("forgetting the short link", e))
    }

    pub async fn refresh_short_links_connected(&self) -> Result<Vec<ShortLink>, AppError> {
        let (client, phone) = self.messaging_client()?;
        self.refresh_short_links(&client, &phone).await
    }

    pub async fn create_short_link_connected(
        &self,
        message: &str,
        ref_tag: Option<&str>,
    ) -> Result<ShortLink, AppError> {
        let (client, phone) = self.messaging_client()?;
        self.create_short_link(&client, &phone, message, ref_tag)
            .await
    }

    pub async fn update_short_link_connected(
        &self,
        code: &str,
        message: &str,
        ref_tag: Option<&str>,
    ) -> Result<ShortLink, AppError> {
        let (client, phone) = self.messaging_client()?;
        self.update_short_link(&client, &phone, code, message, ref_tag)
            .await
    }

    pub async fn delete_short_link_connected(&self, code: &str) -> Result<(), AppError> {
        let (client, phone) = self.messaging_client()?;
        self.delete_short_link(&client, &phone, code).await
    }

    /// The Graph client and the WhatsApp phone number id short links belong to.
    fn messaging_client(&self) -> Result<(vitrine_meta::GraphClient, String), AppError> {
        let (client, connection) = self.meta_client()?;
        let phone = connection.phone_number_id.ok_or_else(|| {
            AppError::invalid(
                InputField::PhoneNumberId,
                "add the WhatsApp phone number id to the Meta connection to make short links",
            )
        })?;
        Ok((client, phone))
    }

    fn short_link_message(&self, message: &str, ref_tag: Option<&str>) -> Result<String, AppError> {
        let message = message.trim();
        if message.is_empty() {
            return Err(AppError::invalid(
                InputField::Message,
                "write the message the chat starts with",
            ));
        }
        let message = match ref_tag.map(str::trim).filter(|t| !t.is_empty()) {
            None => message.to_owned(),
            Some(tag) => {
                let tag = RefTag::parse(tag).map_err(|e| AppError::invalid(InputField::Ref, e))?;
                let language = self.shop()?.main_language().cloned().unwrap_or_else(|| {
                    LanguageTag::parse("en").unwrap_or_else(|_| unreachable!("en"))
                });
                share::with_ref(message, &tag, &language)
            }
        };
        let length = message.chars().count();
        if length > SHORT_LINK_MESSAGE_MAX {
            return Err(AppError::invalid(
                InputField::Message,
                format!(
                    "WhatsApp allows {SHORT_LINK_MESSAGE_MAX} characters in a short link's message; this one has {length}"
                ),
            ));
        }
        Ok(message)
    }

    fn keep_short_link(
        &self,
        link: vitrine_meta::ShortLink,
        sent_message: &str,
    ) -> Result<ShortLink, AppError> {
        let row = stored::ShortLink {
            deep_link_url: deep_link(&link.code, &link.deep_link_url),
            prefilled_message: if link.prefilled_message.is_empty() {
                sent_message.to_owned()
            } else {
                link.prefilled_message
            },
            code: link.code,
            updated_at: self.now_text(),
        };
        check_code(&row.code)?;
        self.store
            .write(|tx| stored::put(tx, &row))
            .map_err(|e| AppError::from_store("saving the short link", e))?;
        Ok(row.into())
    }

    fn now_text(&self) -> String {
        self.now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }
}

/// Meta's link, or the documented form when an answer leaves it out.
fn deep_link(code: &str, given: &str) -> String {
    if given.starts_with("https://") {
        given.to_owned()
    } else {
        format!("https://wa.me/message/{code}")
    }
}

/// Codes are Meta's 14 letters and digits; anything else never reaches a URL path.
fn check_code(code: &str) -> Result<&str, AppError> {
    let code = code.trim();
    if (1..=32).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(code)
    } else {
        Err(AppError::invalid(
            InputField::Code,
            format!("“{code}” is not a short link code (letters and digits, like 4O4YGZEG3RIVE1)"),
        ))
    }
}
