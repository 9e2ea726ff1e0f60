//! Replying to a customer through the Cloud API, inside WhatsApp's customer service window:
//! 24 hours from the customer's last message (any kind). Outside it only an approved
//! template reaches them; Vitrine says so before sending, and maps Meta's own 131047 to the
//! same error ([`GraphError::OutsideServiceWindow`]).
//!
//! Quick replies (confirm, ask for the address, payment details, ready for pickup) have
//! built-in texts in English, Português (Brasil), Español, Bahasa Indonesia, हिन्दी and
//! العربية; the merchant may replace any of them, kept in `app_state`
//! (`orders.quick_reply.<name>.<language>`). Placeholders: `{name}` (the customer's first
//! name), `{order}` (`#12`), `{total}`, `{shop}`, `{payment}` (the Pix key and/or UPI id
//! from the settings).

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use vitrine_core::LanguageTag;
use vitrine_meta::{GraphApi, GraphError, TEXT_MESSAGE_MAX};
use vitrine_store::{app_state, relay_events, thread_messages};

use super::{instant, Order};
use crate::error::Setup;
use crate::{AppError, InputField, Vitrine};

/// `app_state` key of the shop's Pix key (Brazil's instant payments).
pub const PAYMENT_PIX_KEY: &str = vitrine_store::machine::PAYMENT_PIX_KEY;
/// `app_state` key of the shop's UPI id (India's instant payments).
pub const PAYMENT_UPI_ID: &str = vitrine_store::machine::PAYMENT_UPI_ID;
const QUICK_REPLY_KEY: &str = "orders.quick_reply.";
const WINDOW: Duration = Duration::hours(24);
const PLACEHOLDERS: [&str; 5] = ["name", "order", "total", "shop", "payment"];

/// How long the shop can still reply freely to an order's customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplyWindow {
    pub open: bool,
    pub last_customer_message_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// Seconds left; 0 once closed.
    pub remaining_seconds: i64,
}

impl ReplyWindow {
    /// "5 h 12 min left", or why it is closed.
    pub fn describe(&self) -> String {
        if self.open {
            let minutes = self.remaining_seconds / 60;
            format!("{} h {} min left to reply", minutes / 60, minutes % 60)
        } else if self.last_customer_message_at.is_none() {
            "the customer has not written: only a template message can reach them".to_owned()
        } else {
            "more than 24 hours since the customer's last message: only a template message can reach them".to_owned()
        }
    }
}

/// How customers pay: a Brazilian Pix key and/or an Indian UPI id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetails {
    pub pix_key: Option<String>,
    pub upi_id: Option<String>,
}

/// A reply Meta accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SentReply {
    pub order_id: i64,
    pub wamid: String,
    pub text: String,
    pub window: ReplyWindow,
}

/// The ready-made replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum QuickReply {
    Confirm,
    AskAddress,
    PaymentInfo,
    ReadyForPickup,
}

impl QuickReply {
    pub const ALL: [Self; 4] = [
        Self::Confirm,
        Self::AskAddress,
        Self::PaymentInfo,
        Self::ReadyForPickup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::AskAddress => "ask-address",
            Self::PaymentInfo => "payment-info",
            Self::ReadyForPickup => "ready-for-pickup",
        }
    }

    pub fn parse(text: &str) -> Result<Self, AppError> {
        let word = text.trim().to_ascii_lowercase().replace('_', "-");
        Self::ALL
            .into_iter()
            .find(|q| q.name() == word)
            .ok_or_else(|| {
                AppError::invalid(
                    InputField::QuickReply,
                    format!("“{}” is not a quick reply (confirm, ask-address, payment-info, ready-for-pickup)", text.trim()),
                )
            })
    }

    /// The built-in text in one of the shipped languages (`en`, `pt-BR`, `es`, `id`, `hi`, `ar`).
    fn builtin(self, language: &str) -> &'static str {
        let texts: [&'static str; 6] = match self {
            Self::Confirm => [
                "Hi {name}! We have received your order {order} ({total}) and it is confirmed. Thank you!",
                "Olá, {name}! Recebemos seu pedido {order} ({total}) e ele está confirmado. Obrigado!",
                "¡Hola, {name}! Recibimos tu pedido {order} ({total}) y está confirmado. ¡Gracias!",
                "Halo {name}! Pesanan {order} ({total}) sudah kami terima dan kami konfirmasi. Terima kasih!",
                "नमस्ते {name}! आपका ऑर्डर {order} ({total}) हमें मिल गया है और पक्का हो गया है। धन्यवाद!",
                "مرحبًا {name}! استلمنا طلبك {order} ({total}) وتم تأكيده. شكرًا لك!",
            ],
            Self::AskAddress => [
                "Hi {name}! To deliver order {order}, please send us your full address (street, number, city and postcode).",
                "Olá, {name}! Para entregar o pedido {order}, envie seu endereço completo (rua, número, bairro, cidade e CEP).",
                "¡Hola, {name}! Para entregar el pedido {order}, envíanos tu dirección completa (calle, número, ciudad y código postal).",
                "Halo {name}! Untuk mengirim pesanan {order}, mohon kirim alamat lengkap Anda (jalan, nomor, kota, dan kode pos).",
                "नमस्ते {name}! ऑर्डर {order} की डिलीवरी के लिए कृपया अपना पूरा पता भेजें (गली, मकान नंबर, शहर और पिन कोड)।",
                "مرحبًا {name}! لتوصيل الطلب {order}، أرسل لنا عنوانك الكامل (الشارع، الرقم، المدينة والرمز البريدي).",
            ],
            Self::PaymentInfo => [
                "The total of order {order} is {total}. You can pay here:\n{payment}\nPlease send us the receipt once paid.",
                "O total do pedido {order} é {total}. Você pode pagar aqui:\n{payment}\nPor favor, envie o comprovante depois de pagar.",
                "El total del pedido {order} es {total}. Puedes pagar aquí:\n{payment}\nPor favor, envíanos el comprobante cuando pagues.",
                "Total pesanan {order} adalah {total}. Pembayaran bisa ke:\n{payment}\nMohon kirim bukti pembayaran setelah membayar.",
                "ऑर्डर {order} का कुल {total} है। आप यहाँ भुगतान कर सकते हैं:\n{payment}\nभुगतान के बाद कृपया रसीद भेजें।",
                "إجمالي الطلب {order} هو {total}. يمكنك الدفع هنا:\n{payment}\nمن فضلك أرسل لنا الإيصال بعد الدفع.",
            ],
            Self::ReadyForPickup => [
                "Good news, {name}! Your order {order} is ready for pickup at {shop}.",
                "Boa notícia, {name}! Seu pedido {order} está pronto para retirada em {shop}.",
                "¡Buenas noticias, {name}! Tu pedido {order} está listo para recoger en {shop}.",
                "Kabar baik, {name}! Pesanan {order} sudah siap diambil di {shop}.",
                "खुशखबरी, {name}! आपका ऑर्डर {order} {shop} पर लेने के लिए तैयार है।",
                "خبر سار يا {name}! طلبك {order} جاهز للاستلام من {shop}.",
            ],
        };
        let index = SHIPPED
            .iter()
            .position(|l| *l == language)
            .unwrap_or_default();
        texts[index]
    }
}

/// The languages with built-in quick replies, in the order of [`QuickReply::builtin`].
const SHIPPED: [&str; 6] = ["en", "pt-BR", "es", "id", "hi", "ar"];

/// The shipped language closest to `tag` (`pt` and `pt-PT` → `pt-BR`; anything else → `en`).
fn shipped_language(tag: &LanguageTag) -> &'static str {
    SHIPPED
        .iter()
        .find(|l| l.eq_ignore_ascii_case(tag.as_str()))
        .or_else(|| {
            SHIPPED
                .iter()
                .find(|l| l.split('-').next() == Some(tag.language()))
        })
        .copied()
        .unwrap_or("en")
}

/// A quick reply's text in one language, as the settings show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuickReplyText {
    pub name: &'static str,
    pub language: String,
    pub text: String,
    /// True when the merchant has not changed the built-in text.
    pub is_default: bool,
}

fn check_placeholders(text: &str) -> Result<(), AppError> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            AppError::invalid(
                InputField::QuickReply,
                "a “{” is not closed; placeholders look like {name}",
            )
        })?;
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(AppError::invalid(
                InputField::QuickReply,
                format!("{{{name}}} is not a placeholder; use {{name}}, {{order}}, {{total}}, {{shop}} or {{payment}}"),
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

fn storage(action: &'static str) -> impl FnOnce(vitrine_store::StoreError) -> AppError {
    move |e| AppError::from_store(action, e)
}

impl Vitrine {
    fn language_or_shop(&self, language: Option<&str>) -> Result<LanguageTag, AppError> {
        match language.filter(|l| !l.trim().is_empty()) {
            Some(l) => {
                LanguageTag::parse(l).map_err(|e| AppError::invalid(InputField::Language, e))
            }
            None => Ok(self
                .shop()?
                .main_language()
                .cloned()
                .unwrap_or_else(|| LanguageTag::parse("en").expect("en is a language tag"))),
        }
    }

    /// Every quick reply in `language` (default: the shop's main language).
    pub fn quick_replies(&self, language: Option<&str>) -> Result<Vec<QuickReplyText>, AppError> {
        let tag = self.language_or_shop(language)?;
        QuickReply::ALL
            .into_iter()
            .map(|q| self.quick_reply_text(q, &tag))
            .collect()
    }

    fn quick_reply_text(
        &self,
        reply: QuickReply,
        tag: &LanguageTag,
    ) -> Result<QuickReplyText, AppError> {
        let key = format!("{QUICK_REPLY_KEY}{}.{}", reply.name(), tag.as_str());
        let saved = self
            .store
            .read(|c| app_state::get(c, &key))
            .map_err(storage("reading the quick replies"))?;
        Ok(QuickReplyText {
            name: reply.name(),
            language: tag.as_str().to_owned(),
            is_default: saved.is_none(),
            text: saved.unwrap_or_else(|| reply.builtin(shipped_language(tag)).to_owned()),
        })
    }

    /// Replaces a quick reply's text in one language; an empty text restores the built-in one.
    pub fn set_quick_reply(
        &self,
        name: &str,
        language: &str,
        text: &str,
    ) -> Result<QuickReplyText, AppError> {
        let reply = QuickReply::parse(name)?;
        let tag =
            LanguageTag::parse(language).map_err(|e| AppError::invalid(InputField::Language, e))?;
        let text = text.trim();
        check_placeholders(text)?;
        let key = format!("{QUICK_REPLY_KEY}{}.{}", reply.name(), tag.as_str());
        self.store
            .write(|tx| {
                if text.is_empty() {
                    app_state::remove(tx, &key)
                } else {
                    app_state::set(tx, &key, text)
                }
            })
            .map_err(storage("saving the quick reply"))?;
        self.quick_reply_text(reply, &tag)
    }

    /// Saves the payment details quick replies quote: a Pix key and/or a UPI id (`None`
    /// leaves one as it is, an empty text removes it).
    pub fn set_payment_details(
        &self,
        pix_key: Option<&str>,
        upi_id: Option<&str>,
    ) -> Result<(), AppError> {
        self.store
            .write(|tx| {
                for (key, value) in [(PAYMENT_PIX_KEY, pix_key), (PAYMENT_UPI_ID, upi_id)] {
                    match value.map(str::trim) {
                        Some("") => app_state::remove(tx, key)?,
                        Some(v) => app_state::set(tx, key, v)?,
                        None => {}
                    }
                }
                Ok(())
            })
            .map_err(storage("saving the payment details"))
    }

    /// The payment details quick replies quote, as saved.
    pub fn payment_details(&self) -> Result<PaymentDetails, AppError> {
        let (pix_key, upi_id) = self
            .store
            .read(|c| {
                Ok((
                    app_state::get(c, PAYMENT_PIX_KEY)?,
                    app_state::get(c, PAYMENT_UPI_ID)?,
                ))
            })
            .map_err(storage("reading the payment details"))?;
        Ok(PaymentDetails { pix_key, upi_id })
    }

    /// The `{payment}` lines: `Pix: …` and/or `UPI: …`.
    fn payment_lines(&self) -> Result<Option<String>, AppError> {
        let PaymentDetails {
            pix_key: pix,
            upi_id: upi,
        } = self.payment_details()?;
        let lines: Vec<String> = [("Pix", pix), ("UPI", upi)]
            .into_iter()
            .filter_map(|(label, value)| value.map(|v| format!("{label}: {v}")))
            .collect();
        Ok((!lines.is_empty()).then(|| lines.join("\n")))
    }

    /// A quick reply filled in for an order, in `language` (default: the shop's).
    pub fn quick_reply_for(
        &self,
        order_id: i64,
        name: &str,
        language: Option<&str>,
    ) -> Result<String, AppError> {
        let reply = QuickReply::parse(name)?;
        let tag = self.language_or_shop(language)?;
        let template = self.quick_reply_text(reply, &tag)?.text;
        let order = self.order(order_id)?;
        let payment = if template.contains("{payment}") {
            self.payment_lines()?
                .ok_or(AppError::NotSetUp(Setup::PaymentDetails))?
        } else {
            String::new()
        };
        let first_name = order
            .customer
            .name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        let total = order.total.map(|t| t.to_meta_string()).unwrap_or_default();
        Ok(template
            .replace("{name}", &first_name)
            .replace("{order}", &format!("#{}", order.id))
            .replace("{total}", &total)
            .replace("{shop}", &self.shop()?.name)
            .replace("{payment}", &payment))
    }

    pub(crate) fn reply_window_of(&self, order: &Order) -> Result<ReplyWindow, AppError> {
        let last = self
            .store
            .read(|c| {
                thread_messages::last_inbound(c, &order.phone_number_id, &order.customer.wa_id)
            })
            .map_err(storage("reading the customer's messages"))?
            .map(|m| instant(m.sent_at));
        let now = self.now();
        let closes_at = last.map(|at| at + WINDOW);
        let remaining = closes_at
            .map(|c| (c - now).num_seconds().max(0))
            .unwrap_or(0);
        Ok(ReplyWindow {
            open: remaining > 0,
            last_customer_message_at: last,
            closes_at,
            remaining_seconds: remaining,
        })
    }

    /// How long the shop can still reply freely to the order's customer.
    pub fn reply_window(&self, order_id: i64) -> Result<ReplyWindow, AppError> {
        self.reply_window_of(&self.order(order_id)?)
    }

    /// Sends `text` to the order's customer and adds it to their thread. Refused before
    /// sending when the 24-hour window is closed; Meta's 131047 gives the same error.
    pub async fn reply(
        &self,
        api: &impl GraphApi,
        order_id: i64,
        text: &str,
    ) -> Result<SentReply, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::invalid(InputField::Reply, "the message is empty"));
        }
        if text.chars().count() > TEXT_MESSAGE_MAX {
            return Err(AppError::invalid(
                InputField::Reply,
                format!("WhatsApp messages have at most {TEXT_MESSAGE_MAX} characters"),
            ));
        }
        let order = self.order(order_id)?;
        let window = self.reply_window_of(&order)?;
        if !window.open {
            return Err(AppError::Meta(GraphError::OutsideServiceWindow));
        }
        let sent = api
            .send_text(&order.phone_number_id, &order.customer.wa_id, text, None)
            .await?
            .value;
        let message = thread_messages::ThreadMessage {
            wamid: sent.id.clone(),
            phone_number_id: order.phone_number_id.clone(),
            customer_wa_id: order.customer.wa_id.clone(),
            direction: thread_messages::Direction::Outbound,
            kind: "text".to_owned(),
            body: text.to_owned(),
            referred_retailer_id: None,
            ref_tag: None,
            sent_at: self.now().timestamp(),
            status: None,
            error: None,
            marked_read: false,
        };
        self.store
            .write(|tx| {
                thread_messages::insert(tx, &message)?;
                // A status may have come through the relay before this send was recorded.
                for status in relay_events::statuses_of(tx, &sent.id)? {
                    if let Some(state) = &status.status {
                        let error = super::ingest::failure(&status.data);
                        thread_messages::advance_status(tx, &sent.id, state, error.as_deref())?;
                    }
                }
                Ok(())
            })
            .map_err(storage("recording the reply"))?;
        Ok(SentReply {
            order_id,
            wamid: sent.id,
            text: text.to_owned(),
            window,
        })
    }

    /// [`Vitrine::reply`] through the saved Meta connection (the desktop's Orders view).
    pub async fn reply_connected(&self, order_id: i64, text: &str) -> Result<SentReply, AppError> {
        let (client, _) = self.meta_client()?;
        self.reply(&client, order_id, text).await
    }

    /// [`Vitrine::mark_order_read`] through the saved Meta connection.
    pub async fn mark_order_read_connected(&self, order_id: i64) -> Result<usize, AppError> {
        let (client, _) = self.meta_client()?;
        self.mark_order_read(&client, order_id).await
    }

    /// Sends a quick reply (see [`Vitrine::quick_reply_for`]).
    pub async fn reply_quick(
        &self,
        api: &impl GraphApi,
        order_id: i64,
        name: &str,
        language: Option<&str>,
    ) -> Result<SentReply, AppError> {
        let text = self.quick_reply_for(order_id, name, language)?;
        self.reply(api, order_id, &text).await
    }

    /// Marks the customer's messages up to the order's latest one read on WhatsApp (blue
    /// ticks); returns how many were unread.
    pub async fn mark_order_read(
        &self,
        api: &impl GraphApi,
        order_id: i64,
    ) -> Result<usize, AppError> {
        let order = self.order(order_id)?;
        let Some(last) = self
            .store
            .read(|c| {
                thread_messages::last_inbound(c, &order.phone_number_id, &order.customer.wa_id)
            })
            .map_err(storage("reading the customer's messages"))?
        else {
            return Ok(0);
        };
        api.mark_read(&order.phone_number_id, &last.wamid).await?;
        self.store
            .write(|tx| thread_messages::mark_read_through(tx, &last.wamid))
            .map_err(storage("recording the read messages"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quick_reply_has_its_own_text_in_every_shipped_language() {
        for reply in QuickReply::ALL {
            let texts: Vec<&str> = SHIPPED.iter().map(|l| reply.builtin(l)).collect();
            for (language, text) in SHIPPED.iter().zip(&texts) {
                check_placeholders(text).expect("built-in texts use known placeholders");
                assert!(
                    text.contains("{order}") || text.contains("{name}"),
                    "{language}: {text}"
                );
            }
            let mut distinct = texts.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(
                distinct.len(),
                SHIPPED.len(),
                "{} is translated, not copied",
                reply.name()
            );
        }
        assert!(QuickReply::PaymentInfo
            .builtin("pt-BR")
            .contains("{payment}"));
    }

    #[test]
    fn a_language_falls_back_to_its_shipped_neighbour() {
        let tag = |t: &str| LanguageTag::parse(t).expect("tag");
        assert_eq!(shipped_language(&tag("pt")), "pt-BR");
        assert_eq!(shipped_language(&tag("es-MX")), "es");
        assert_eq!(shipped_language(&tag("ar")), "ar");
        assert_eq!(
            shipped_language(&tag("fr")),
            "en",
            "an unshipped language reads English"
        );
    }

    #[test]
    fn unknown_placeholders_are_refused() {
        assert!(check_placeholders("Olá {name}, total {total}").is_ok());
        assert!(
            check_placeholders("Olá {nome}").is_err(),
            "a typo would reach the customer"
        );
        assert!(check_placeholders("Olá {name").is_err());
    }
}
