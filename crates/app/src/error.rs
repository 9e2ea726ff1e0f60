use serde::Serialize;
use vitrine_store::StoreError;

/// What the UI branches on; the message is for the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    Conflict,
    Image,
    Storage,
    Network,
    /// Meta refused or failed; the message says whether the merchant must act.
    Meta,
}

/// Something the merchant must set up before an action can work. The words say what, not
/// where: each shell says where (a settings page in the desktop, a command in the CLI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
pub enum Setup {
    #[error("connect to your Meta catalog first")]
    MetaCatalog,
    #[error("connect to your webhook relay first")]
    Relay,
    #[error("no payment details saved: set your Pix key or UPI id first")]
    PaymentDetails,
    #[error("set where product photos are published for Meta to fetch before syncing")]
    PhotoHostingForSync,
    #[error("set where product photos are published first: a feed needs public photo URLs")]
    PhotoHostingForFeed,
    #[error("set the storefront's web address first")]
    StorefrontAddress,
    #[error("set where the storefront is published first")]
    StorefrontHosting,
}

/// The input a refusal concerns, so a form can show the refusal next to that field. It
/// crosses IPC in camelCase (`salePrice`); its `Display` is the English
/// word the CLI's messages start with (`sale price: …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum InputField {
    Sku,
    Title,
    Price,
    SalePrice,
    SaleWindow,
    Currency,
    Availability,
    Condition,
    Variant,
    Translation,
    Gtin,
    /// The product as a whole (a rule across several of its fields).
    Product,
    Images,
    /// A collection's name.
    CollectionName,
    /// A bulk price change by an amount.
    Amount,
    /// A bulk price change by a percentage.
    Percent,
    /// An imported file's header or layout.
    Csv,
    /// An imported row's SKU column.
    ImportId,
    Input,
    Backup,
    /// The items at Meta chosen for removal.
    Orphans,
    /// The shop profile as a whole.
    Shop,
    /// The shop's WhatsApp number.
    Phone,
    /// The shop's languages.
    Languages,
    /// One language, of a message, a label or a poster.
    Language,
    TimeZone,
    CatalogId,
    WhatsAppAccountId,
    PhoneNumberId,
    /// A Meta access token.
    Token,
    /// A product's id at Meta.
    MetaId,
    /// The address published photos are read from.
    PublicUrl,
    Bucket,
    Region,
    AccessKeyId,
    SecretAccessKey,
    Endpoint,
    Prefix,
    /// Where photos or the storefront are published.
    Hosting,
    /// The storefront's web address.
    BaseUrl,
    /// The storefront's accent colour.
    Accent,
    /// An order's status.
    Status,
    /// The first day of an order list.
    FromDay,
    /// The last day of an order list.
    ToDay,
    Relay,
    RelayUrl,
    RelayToken,
    Reply,
    QuickReply,
    /// What a link or QR code opens.
    Target,
    Url,
    Qr,
    /// The file something is saved to.
    File,
    OrderText,
    Colour,
    Logo,
    /// A link's ref tag.
    Ref,
    /// A paper size.
    Size,
    /// A label sheet layout.
    Layout,
    /// The products chosen for a document.
    Products,
    Print,
    /// A short link's message.
    Message,
    /// A short link's code.
    Code,
    /// A photo's number (CLI).
    Photo,
    /// A variant attribute given as NAME=VALUE (CLI).
    Attr,
    /// A translated title given as LANG=TEXT (CLI).
    TitleIn,
    /// A translated description given as LANG=TEXT (CLI).
    DescriptionIn,
    /// The file a command writes (CLI).
    Out,
    /// The command's own machinery (CLI).
    Runtime,
}

impl InputField {
    /// The field's name in the CLI's messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sku => "sku",
            Self::Title => "title",
            Self::Price => "price",
            Self::SalePrice => "sale price",
            Self::SaleWindow => "sale window",
            Self::Currency => "currency",
            Self::Availability => "availability",
            Self::Condition => "condition",
            Self::Variant => "variant",
            Self::Translation => "translation",
            Self::Gtin => "gtin",
            Self::Product => "product",
            Self::Images => "images",
            Self::CollectionName => "name",
            Self::Amount => "amount",
            Self::Percent => "percent",
            Self::Csv => "csv",
            Self::ImportId => "id",
            Self::Input => "input",
            Self::Backup => "backup",
            Self::Orphans => "orphans",
            Self::Shop => "shop",
            Self::Phone => "phone",
            Self::Languages => "languages",
            Self::Language => "language",
            Self::TimeZone => "time zone",
            Self::CatalogId => "catalog id",
            Self::WhatsAppAccountId => "WhatsApp Business account id",
            Self::PhoneNumberId => "phone number id",
            Self::Token => "token",
            Self::MetaId => "meta id",
            Self::PublicUrl => "public URL",
            Self::Bucket => "bucket",
            Self::Region => "region",
            Self::AccessKeyId => "access key id",
            Self::SecretAccessKey => "secret access key",
            Self::Endpoint => "endpoint",
            Self::Prefix => "prefix",
            Self::Hosting => "hosting",
            Self::BaseUrl => "base URL",
            Self::Accent => "accent",
            Self::Status => "status",
            Self::FromDay => "from",
            Self::ToDay => "to",
            Self::Relay => "relay",
            Self::RelayUrl => "relay URL",
            Self::RelayToken => "relay token",
            Self::Reply => "reply",
            Self::QuickReply => "quick reply",
            Self::Target => "target",
            Self::Url => "url",
            Self::Qr => "qr",
            Self::File => "file",
            Self::OrderText => "order text",
            Self::Colour => "colour",
            Self::Logo => "logo",
            Self::Ref => "ref",
            Self::Size => "size",
            Self::Layout => "layout",
            Self::Products => "products",
            Self::Print => "print",
            Self::Message => "message",
            Self::Code => "code",
            Self::Photo => "photo",
            Self::Attr => "attr",
            Self::TitleIn => "title-in",
            Self::DescriptionIn => "description-in",
            Self::Out => "out",
            Self::Runtime => "runtime",
        }
    }
}

impl std::fmt::Display for InputField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotSetUp(Setup),
    #[error("{field}: {message}")]
    Invalid { field: InputField, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{source_name}: {source}")]
    Image {
        source_name: String,
        source: vitrine_media::MediaError,
    },
    #[error("{source_name}: {message}")]
    Unreadable {
        source_name: String,
        message: String,
    },
    #[error("could not write {path}: {message}")]
    Write { path: String, message: String },
    #[error("{source_name}: {source}")]
    Download {
        source_name: String,
        source: vitrine_download::DownloadError,
    },
    #[error("{action} failed: {source}")]
    Storage {
        action: &'static str,
        source: StoreError,
    },
    #[error("{0}")]
    Meta(#[from] vitrine_meta::GraphError),
    #[error("{0}")]
    Hosting(#[from] crate::hosting::HostingError),
    #[error("{0}")]
    Relay(#[from] vitrine_relay::client::ClientError),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid { .. } | Self::NotSetUp(_) => ErrorCode::InvalidInput,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::Image { .. } | Self::Unreadable { .. } => ErrorCode::Image,
            Self::Download { .. } => ErrorCode::Network,
            // The merchant chose where to save: they can fix the folder or the disk.
            Self::Write { .. } => ErrorCode::InvalidInput,
            Self::Meta(_) => ErrorCode::Meta,
            Self::Hosting(e) if e.is_setting() => ErrorCode::InvalidInput,
            Self::Hosting(_) => ErrorCode::Network,
            Self::Relay(e) if e.is_transient() => ErrorCode::Network,
            Self::Relay(_) => ErrorCode::InvalidInput,
            Self::Storage { source, .. } => match source {
                StoreError::DuplicateSku(_) | StoreError::DuplicateCollection(_) => {
                    ErrorCode::Conflict
                }
                StoreError::NotFound(_) => ErrorCode::NotFound,
                StoreError::BadBackup(_) => ErrorCode::InvalidInput,
                _ => ErrorCode::Storage,
            },
        }
    }

    pub(crate) fn invalid(field: InputField, message: impl std::fmt::Display) -> Self {
        Self::Invalid {
            field,
            message: message.to_string(),
        }
    }

    pub(crate) fn from_store(action: &'static str, source: StoreError) -> Self {
        match source {
            StoreError::DuplicateSku(sku) => {
                Self::Conflict(format!("a product with SKU “{sku}” already exists"))
            }
            StoreError::DuplicateCollection(name) => {
                Self::Conflict(format!("a collection named “{name}” already exists"))
            }
            StoreError::NotFound(what) => Self::NotFound(format!("{what} not found")),
            StoreError::BadBackup(reason) => Self::Invalid {
                field: InputField::Backup,
                message: format!("this file is not a usable Vitrine backup: {reason}"),
            },
            source => Self::Storage { action, source },
        }
    }
}

impl From<vitrine_core::UnknownTimeZone> for AppError {
    fn from(e: vitrine_core::UnknownTimeZone) -> Self {
        Self::invalid(InputField::TimeZone, e)
    }
}
