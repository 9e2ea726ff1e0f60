use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use vitrine_app::core::{Availability, Condition, OrderStatus, TimeZone};
use vitrine_app::ProblemFilter;

/// Vitrine: your WhatsApp catalog, offline.
#[derive(Parser, Debug)]
#[command(name = "vitrine", version, about, propagate_version = true)]
pub struct Cli {
    /// Catalog folder (default: the desktop app's data folder).
    #[arg(long, global = true, env = "VITRINE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The shop profile: name, WhatsApp number, currency, languages, brand, logo.
    #[command(subcommand)]
    Shop(ShopCommand),
    /// Add, edit, show, list and remove products.
    #[command(subcommand)]
    Product(Box<ProductCommand>),
    /// Product photos.
    #[command(subcommand)]
    Image(ImageCommand),
    /// Collections of products.
    #[command(subcommand)]
    Collection(CollectionCommand),
    /// Import products from a file (Meta feed, Shopify or WooCommerce export, RSS/Atom
    /// feed) or the https link of a published one (a Google Sheet published as CSV).
    Import(ImportArgs),
    /// Export every product to a CSV file in Meta's feed columns.
    Export {
        file: PathBuf,
        /// For Excel: UTF-8 with a byte-order mark and `;` between cells, so Excel shows the
        /// letters right and saves a file Vitrine imports back.
        #[arg(long)]
        excel: bool,
    },
    /// Check every product against Meta's catalog rules.
    Check {
        /// Exit with status 1 when any product has a blocking error.
        #[arg(long)]
        strict: bool,
    },
    /// Save the whole catalog (products, photos, shop) to one file.
    Backup { file: PathBuf },
    /// Replace the catalog with a backup.
    Restore { file: PathBuf },
    /// The connection to your Meta (WhatsApp Business) catalog.
    #[command(subcommand)]
    Meta(MetaCommand),
    /// Where product photos are published for Meta to fetch.
    #[command(subcommand)]
    Hosting(HostingCommand),
    /// Send the catalog to Meta: only what changed since the last sync.
    Sync(SyncArgs),
    /// A Meta data feed file, for scheduled feeds in Commerce Manager.
    #[command(subcommand)]
    Feed(FeedCommand),
    /// WhatsApp (wa.me) links to the shop: the catalog, a chat, or one product.
    #[command(subcommand)]
    Link(LinkCommand),
    /// A QR code of a link, written to FILE.png or FILE.svg.
    Qr(QrArgs),
    /// A window poster with a QR code, as a print-ready PDF (or a PNG preview).
    Poster(PosterArgs),
    /// Sheets of shelf labels (price tags with a QR code) as a PDF (or a PNG of the first sheet).
    Labels(LabelsArgs),
    /// Managed WhatsApp short links and QR codes (wa.me/message/…), kept by Meta.
    #[command(subcommand, name = "short-link")]
    ShortLink(ShortLinkCommand),
    /// The webhook relay the orders and messages come from.
    #[command(subcommand)]
    Relay(RelayCommand),
    /// WhatsApp orders: read them from the relay, list, show, move along, note, export.
    #[command(subcommand)]
    Orders(OrdersCommand),
    /// Reply to an order's customer on WhatsApp (within 24 hours of their last message).
    Reply(ReplyArgs),
    /// The static shop site: build it into a folder, publish it, its settings.
    #[command(subcommand)]
    Storefront(crate::storefront::StorefrontCommand),
}

#[derive(Subcommand, Debug)]
pub enum RelayCommand {
    /// Save the relay's address; the device token is read from standard input (or
    /// VITRINE_RELAY_TOKEN) and checked against the relay.
    Connect {
        #[arg(long, value_name = "URL")]
        url: String,
    },
    /// The relay's address, how far it has been read and where the token is kept.
    Status,
    /// Forget the relay's address and token (orders stay).
    Disconnect,
}

/// Which orders: every filter is optional.
#[derive(Args, Debug, Clone, Default)]
pub struct OrderFilterArgs {
    /// new, confirmed, paid, shipped (or ready), delivered, cancelled.
    #[arg(long, value_name = "STATUS", value_enum, ignore_case = true)]
    pub status: Option<StatusArg>,
    /// Customer name or number, SKU, product title, note or ref tag.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// From this day (YYYY-MM-DD, UTC), included.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD, UTC), included.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum OrdersCommand {
    /// Read everything new from the relay.
    Pull,
    /// Orders, newest first.
    List(OrderFilterArgs),
    /// One order with its lines, the customer's messages and the time left to reply.
    Show { id: i64 },
    /// Move an order along: confirmed, paid, shipped (or ready), delivered, or cancelled.
    #[command(name = "set-status")]
    SetStatus {
        id: i64,
        #[arg(value_enum, ignore_case = true)]
        status: StatusArg,
    },
    /// Replace an order's note (for the shop only; never sent).
    Note { id: i64, text: String },
    /// Write the orders to a CSV file, one row per line.
    Export {
        file: PathBuf,
        #[command(flatten)]
        filter: OrderFilterArgs,
    },
    /// Orders and revenue per day and week, top products, orders per ref tag.
    Stats {
        #[command(flatten)]
        filter: OrderFilterArgs,
        /// The shop's time zone, for days and weeks: an IANA name such as Africa/Cairo or
        /// America/Sao_Paulo (default: this computer's zone, else UTC).
        #[arg(long, value_name = "ZONE")]
        time_zone: Option<TimeZone>,
    },
    /// The payment details the payment-info quick reply quotes (an empty value removes one).
    Payment {
        #[arg(long, value_name = "KEY")]
        pix: Option<String>,
        #[arg(long, value_name = "ID")]
        upi: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct ReplyArgs {
    pub order_id: i64,
    /// The message.
    #[arg(
        long,
        value_name = "TEXT",
        conflicts_with = "quick",
        required_unless_present = "quick"
    )]
    pub text: Option<String>,
    /// A quick reply: confirm, ask-address, payment-info, ready-for-pickup.
    #[arg(long, value_name = "NAME")]
    pub quick: Option<String>,
    /// The quick reply's language (default: the shop's main language).
    #[arg(long, value_name = "LANG", requires = "quick")]
    pub lang: Option<String>,
}

#[derive(Args, Debug)]
pub struct PosterArgs {
    /// The file to write: FILE.pdf to print, FILE.png for a preview.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Paper size: A4, A5, A6 or letter (portrait).
    #[arg(long, value_name = "SIZE", default_value = "A4")]
    pub size: String,
    /// The poster's languages, the first for the headline (default: the shop's languages).
    #[arg(long, value_name = "LANGS", value_delimiter = ',')]
    pub lang: Vec<String>,
    /// What the code opens: `catalog`, `chat` or `product:SKU`.
    #[arg(long, value_name = "TARGET", default_value = "catalog")]
    pub target: String,
    /// Your own headline (in the first language).
    #[arg(long, value_name = "TEXT")]
    pub headline: Option<String>,
    /// The message a `chat` target starts with.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub text: String,
    /// The colour of the band, #rrggbb.
    #[arg(long, value_name = "HEX")]
    pub accent: Option<String>,
    /// The colour of the QR code, #rrggbb (refused when too light to scan).
    #[arg(long, value_name = "HEX")]
    pub qr_colour: Option<String>,
    /// Print the shop logo on the band and in the QR code.
    #[arg(long)]
    pub logo: bool,
    /// For a product poster, leave its photo out.
    #[arg(long)]
    pub no_photo: bool,
    /// PNG preview resolution in dots per inch.
    #[arg(long, value_name = "DPI", default_value_t = 150.0)]
    pub dpi: f32,
    #[command(flatten)]
    pub tag: RefArg,
}

#[derive(Args, Debug)]
pub struct LabelsArgs {
    /// The file to write: FILE.pdf to print, FILE.png for a preview of the first sheet.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The A4 label sheet: 3x8, 3x7, 2x7, 2x5 or 4x10.
    #[arg(long, value_name = "LAYOUT", default_value = "3x8")]
    pub layout: String,
    /// Every product of this collection (name or id).
    #[arg(long, value_name = "NAME", conflicts_with = "sku")]
    pub collection: Option<String>,
    /// These products (repeat the flag), in this order.
    #[arg(long, value_name = "SKU")]
    pub sku: Vec<String>,
    /// Prices with Arabic-Indic (or Devanagari) digits.
    #[arg(long)]
    pub local_digits: bool,
    /// PNG preview resolution in dots per inch.
    #[arg(long, value_name = "DPI", default_value_t = 150.0)]
    pub dpi: f32,
    #[command(flatten)]
    pub tag: RefArg,
}

#[derive(Subcommand, Debug)]
pub enum ShortLinkCommand {
    /// The short links of the shop's WhatsApp number, read from Meta.
    List {
        /// Show the copy kept by Vitrine without asking Meta.
        #[arg(long)]
        offline: bool,
    },
    /// A new short link whose chat starts with TEXT (at most 140 characters).
    Create {
        #[arg(long, value_name = "TEXT")]
        text: String,
        #[command(flatten)]
        tag: RefArg,
    },
    /// A new message for an existing short link (its printed QR codes keep working).
    Update {
        code: String,
        #[arg(long, value_name = "TEXT")]
        text: String,
        #[command(flatten)]
        tag: RefArg,
    },
    /// Delete a short link at Meta (its printed QR codes stop working).
    Delete { code: String },
}

#[derive(Args, Debug, Clone, Default)]
pub struct RefArg {
    /// A ref tag naming where the link is shared (poster-window, instagram-bio), written in
    /// the prefilled text so orders show where the customer came from.
    #[arg(long = "ref", value_name = "TAG")]
    pub ref_tag: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum LinkCommand {
    /// The catalog link (with --ref, a chat asking for the catalog).
    Catalog {
        #[command(flatten)]
        tag: RefArg,
    },
    /// A chat with the shop, the message prefilled.
    Chat {
        #[arg(long, value_name = "TEXT", default_value = "")]
        text: String,
        #[command(flatten)]
        tag: RefArg,
    },
    /// A product: its WhatsApp item with --meta-id, else a chat prefilled with its order text.
    Product {
        sku: String,
        /// Meta's id of the item (`vitrine --json meta pull` shows each `meta_id`).
        #[arg(long, value_name = "ID")]
        meta_id: Option<String>,
        #[command(flatten)]
        tag: RefArg,
    },
}

#[derive(Args, Debug)]
pub struct QrArgs {
    /// What the code opens: a URL, `catalog`, `chat` (with --text) or `product SKU`.
    #[arg(value_name = "TARGET", num_args = 1..=2, required = true)]
    pub target: Vec<String>,
    /// The file to write; its extension (.png or .svg) picks the format.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Side of the PNG (or the SVG's display size) in pixels.
    #[arg(long, value_name = "PX", default_value_t = 1024)]
    pub size: u32,
    /// Put the shop logo in the middle (the code then uses the strongest error correction).
    #[arg(long)]
    pub logo: bool,
    /// Text of a `chat` target.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub text: String,
    /// Meta's id of a `product` target.
    #[arg(long, value_name = "ID")]
    pub meta_id: Option<String>,
    /// Colour of the code, #rrggbb.
    #[arg(long, value_name = "HEX")]
    pub fg: Option<String>,
    /// Colour of the background, #rrggbb.
    #[arg(long, value_name = "HEX")]
    pub bg: Option<String>,
    #[command(flatten)]
    pub tag: RefArg,
}

#[derive(Subcommand, Debug)]
pub enum FeedCommand {
    /// Write FILE.csv (CSV) or FILE.xml (RSS XML with the g: namespace).
    Export { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum MetaCommand {
    /// Save the catalog id (and WhatsApp ids); the token is read from standard input.
    Connect {
        #[arg(long, value_name = "ID")]
        catalog: String,
        #[arg(long, value_name = "ID")]
        waba: Option<String>,
        #[arg(long, value_name = "ID")]
        phone_number_id: Option<String>,
        /// Read the access token from standard input (never pass it as an argument).
        #[arg(long)]
        token_stdin: bool,
    },
    /// Check the connection: can Vitrine read the catalog with this token?
    Test,
    /// Show, or change, "catalog visible" and "cart enabled" on WhatsApp.
    Settings {
        #[arg(long, value_enum)]
        catalog_visible: Option<Switch>,
        #[arg(long, value_enum)]
        cart: Option<Switch>,
    },
    /// Forget the saved access token.
    Disconnect,
    /// Read Meta's catalog back: review status and problems of each item.
    Pull,
    /// Bring Meta's items that Vitrine lacks (a catalog built in the WhatsApp Business app)
    /// into Vitrine, photos included; the next sync then sends nothing for them.
    Import,
    /// Items at Meta that are not in Vitrine (left by another tool or a deleted product).
    Orphans {
        /// Delete them at Meta.
        #[arg(long)]
        delete: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum HostingCommand {
    /// Photos will be copied into FOLDER (or uploaded to a bucket: `hosting set s3 …`) and
    /// fetched by Meta from URL/<sha256>.jpg.
    Set(HostingSet),
    Show,
    /// Copy or upload now the photos the folder or bucket lacks (a sync does it first anyway).
    Publish,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct HostingSet {
    #[command(subcommand)]
    pub target: Option<HostingTarget>,
    /// Where Meta fetches the photos.
    #[arg(long, value_name = "URL", required = true)]
    pub public_url: Option<String>,
    /// A folder your web host serves at URL (without it, you upload the files yourself).
    #[arg(long, value_name = "FOLDER")]
    pub folder: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum HostingTarget {
    /// Upload photos to an S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO).
    S3(S3Hosting),
}

#[derive(Args, Debug)]
pub struct S3Hosting {
    #[arg(long)]
    pub bucket: String,
    /// The bucket's region (`auto` for Cloudflare R2).
    #[arg(long)]
    pub region: String,
    /// The storage service's address, for R2, B2 or MinIO (none for AWS S3).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Folder inside the bucket, e.g. `catalog`.
    #[arg(long)]
    pub prefix: Option<String>,
    #[arg(long, value_name = "ID")]
    pub access_key_id: String,
    /// Where Meta fetches the photos: the bucket's public address, including the prefix.
    #[arg(long, value_name = "URL")]
    pub public_url: String,
    /// Read the secret access key from standard input and keep it in the system keychain
    /// (never pass it as an argument). Without it, the key saved before, or
    /// VITRINE_S3_SECRET_KEY, is used.
    #[arg(long)]
    pub secret_key_stdin: bool,
}

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// Show what would be sent, without sending.
    #[arg(long)]
    pub dry_run: bool,
    /// Items per Meta call (at most 5000; fewer, larger calls save Meta's hourly quota).
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u32).range(1..=5000))]
    pub batch_size: u32,
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
}

#[derive(Subcommand, Debug)]
pub enum SyncCommand {
    /// Where the catalog stands against Meta (without calling Meta).
    Status,
}

#[derive(Subcommand, Debug)]
pub enum ShopCommand {
    Show,
    Set(ShopSet),
}

#[derive(Args, Debug)]
pub struct ShopSet {
    #[arg(long)]
    pub name: Option<String>,
    /// WhatsApp number, e.g. "+55 11 98765-4321" (empty to clear).
    #[arg(long)]
    pub phone: Option<String>,
    /// Country for numbers written without +country code, e.g. BR, ID, EG, IN.
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// ISO 4217 code of new products' prices, e.g. BRL.
    #[arg(long, value_name = "ISO")]
    pub currency: Option<String>,
    /// Catalog languages, main first: ar,en
    #[arg(long, value_delimiter = ',')]
    pub languages: Option<Vec<String>>,
    /// Default brand for products without one.
    #[arg(long)]
    pub brand: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub logo: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum ProductCommand {
    Add(ProductAdd),
    Edit(ProductEdit),
    Show {
        product: String,
    },
    List(ProductList),
    /// Remove a product and the photos only it used.
    Rm {
        product: String,
    },
}

#[derive(Args, Debug, Default)]
pub struct ProductFields {
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long)]
    pub brand: Option<String>,
    /// ISO 4217 code (default: the shop's currency).
    #[arg(long, value_name = "ISO")]
    pub currency: Option<String>,
    /// Sale price as a decimal ("" to end the sale).
    #[arg(long)]
    pub sale_price: Option<String>,
    /// When the sale applies: 2025-11-01T00:00-03:00/2025-12-01T00:00-03:00
    #[arg(long)]
    pub sale_window: Option<String>,
    /// in stock | out of stock | available for order | discontinued
    #[arg(long, value_parser = Availability::parse)]
    pub availability: Option<Availability>,
    /// new | refurbished | used
    #[arg(long, value_parser = Condition::parse)]
    pub condition: Option<Condition>,
    #[arg(long)]
    pub stock: Option<u32>,
    /// The product's web page.
    #[arg(long)]
    pub link: Option<String>,
    /// Collection name (repeatable; created if new).
    #[arg(long = "collection", value_name = "NAME")]
    pub collections: Vec<String>,
    /// Variant group code shared by sibling variants.
    #[arg(long)]
    pub variant_group: Option<String>,
    /// Variant attribute, repeatable: --attr size=M --attr color=blue
    #[arg(long = "attr", value_name = "NAME=VALUE")]
    pub attributes: Vec<String>,
    /// Title in another language, repeatable: --title-in ar=كوب
    #[arg(long = "title-in", value_name = "LANG=TEXT")]
    pub titles_in: Vec<String>,
    /// Description in another language, repeatable.
    #[arg(long = "description-in", value_name = "LANG=TEXT")]
    pub descriptions_in: Vec<String>,
    /// Barcode (GTIN: 8, 12, 13 or 14 digits; "" to clear).
    #[arg(long)]
    pub gtin: Option<String>,
    /// Keep the product as a draft: out of WhatsApp, the feed and the storefront.
    #[arg(long, conflicts_with = "publish")]
    pub draft: bool,
    /// Publish a draft.
    #[arg(long)]
    pub publish: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A file path, or an https:// link.
    pub file: String,
    /// Read the file in this encoding (utf-8, utf-16, windows-1252, windows-1256…)
    /// instead of the one detected.
    #[arg(long)]
    pub encoding: Option<vitrine_app::TextEncoding>,
    /// The character between cells: comma, semicolon, tab or pipe.
    #[arg(long)]
    pub delimiter: Option<vitrine_app::Delimiter>,
    /// ISO 4217 code for prices the file gives no currency for (default: the shop's).
    #[arg(long, value_name = "ISO")]
    pub currency: Option<String>,
    /// Give a SKU seen before in the file a new one (SKU-2…) instead of skipping the row.
    #[arg(long)]
    pub dedupe_skus: bool,
    /// Only show how the file reads and its first products; import nothing.
    #[arg(long)]
    pub preview: bool,
}

#[derive(Args, Debug)]
pub struct ProductAdd {
    #[arg(long)]
    pub sku: String,
    #[arg(long)]
    pub title: String,
    /// Price as a decimal in the currency, e.g. 49.90
    #[arg(long)]
    pub price: String,
    #[command(flatten)]
    pub fields: ProductFields,
}

#[derive(Args, Debug)]
pub struct ProductEdit {
    /// SKU or id of the product.
    pub product: String,
    #[arg(long)]
    pub sku: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub price: Option<String>,
    /// Stop tracking stock.
    #[arg(long, conflicts_with = "stock")]
    pub no_stock: bool,
    /// Remove the product from every collection (before adding --collection ones).
    #[arg(long)]
    pub clear_collections: bool,
    /// Remove the variant group.
    #[arg(long, conflicts_with_all = ["variant_group", "attributes"])]
    pub no_variant: bool,
    #[command(flatten)]
    pub fields: ProductFields,
}

#[derive(Args, Debug)]
pub struct ProductList {
    /// Search SKU, title, description, brand and translations (partial words work).
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long)]
    pub collection: Option<String>,
    /// in stock | out of stock | available for order | discontinued
    #[arg(long, value_parser = Availability::parse)]
    pub availability: Option<Availability>,
    /// Only products with Meta pre-flight problems: errors (blocking) or any.
    #[arg(long, value_enum)]
    pub problems: Option<Problems>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

#[derive(Subcommand, Debug)]
pub enum ImageCommand {
    /// Add photos (files or http(s) URLs) to a product, in order.
    Add {
        product: String,
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Remove photo number N (1 = main photo).
    Rm { product: String, number: usize },
    /// Move photo FROM to position TO (1 = main photo).
    Move {
        product: String,
        from: usize,
        to: usize,
    },
    /// Download again the photos an import could not download (offline, dead link, a
    /// website that refused or was too slow); each that arrives goes to its place.
    Retry,
}

#[derive(Subcommand, Debug)]
pub enum CollectionCommand {
    List,
    Add {
        name: String,
    },
    Rename {
        collection: String,
        new_name: String,
    },
    /// Delete a collection (its products stay).
    Rm {
        collection: String,
    },
    /// Put products into a collection.
    Assign {
        collection: String,
        #[arg(required = true)]
        products: Vec<String>,
    },
    /// Take products out of a collection.
    Unassign {
        collection: String,
        #[arg(required = true)]
        products: Vec<String>,
    },
}

/// An order's status as typed on the command line: `ready` (or `ready-for-pickup`) is
/// `shipped`, and `canceled` is `cancelled`, as `OrderStatus::parse` reads them.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusArg {
    New,
    Confirmed,
    Paid,
    #[value(alias = "ready", alias = "ready-for-pickup")]
    Shipped,
    Delivered,
    #[value(alias = "canceled")]
    Cancelled,
}

impl From<StatusArg> for OrderStatus {
    fn from(status: StatusArg) -> Self {
        match status {
            StatusArg::New => Self::New,
            StatusArg::Confirmed => Self::Confirmed,
            StatusArg::Paid => Self::Paid,
            StatusArg::Shipped => Self::Shipped,
            StatusArg::Delivered => Self::Delivered,
            StatusArg::Cancelled => Self::Cancelled,
        }
    }
}

/// `on` or `off`, for a WhatsApp setting.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    On,
    Off,
}

impl Switch {
    pub fn is_on(self) -> bool {
        self == Self::On
    }
}

/// Which products `product list --problems` keeps.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problems {
    /// Products with a blocking error.
    Errors,
    /// Products with any error or warning.
    Any,
}

impl From<Problems> for ProblemFilter {
    fn from(problems: Problems) -> Self {
        match problems {
            Problems::Errors => Self::Errors,
            Problems::Any => Self::Any,
        }
    }
}
