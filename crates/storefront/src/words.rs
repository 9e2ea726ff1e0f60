//! The storefront's own words in each language Vitrine ships (English for the others).

use serde::Serialize;
use vitrine_core::{Availability, LanguageTag};

/// Every fixed text of the pages and the cart in one language.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Words {
    /// The language's own name, for the language switcher.
    pub name: &'static str,
    pub language: &'static str,
    pub all_products: &'static str,
    pub collections: &'static str,
    pub search: &'static str,
    pub no_results: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page: &'static str,
    pub photos: &'static str,
    pub options: &'static str,
    pub other_options: &'static str,
    pub quantity: &'static str,
    pub add_to_cart: &'static str,
    pub added: &'static str,
    pub cart: &'static str,
    pub remove: &'static str,
    pub total: &'static str,
    pub order_on_whatsapp: &'static str,
    pub ask_on_whatsapp: &'static str,
    pub view_in_catalog: &'static str,
    pub was: &'static str,
    pub in_stock: &'static str,
    pub out_of_stock: &'static str,
    pub available_for_order: &'static str,
    pub discontinued: &'static str,
    /// First line of the cart's WhatsApp message.
    pub order_intro: &'static str,
}

impl Words {
    pub fn availability(&self, availability: Availability) -> &'static str {
        match availability {
            Availability::InStock => self.in_stock,
            Availability::OutOfStock => self.out_of_stock,
            Availability::AvailableForOrder => self.available_for_order,
            Availability::Discontinued => self.discontinued,
        }
    }
}

const EN: Words = Words {
    name: "English",
    language: "Language",
    all_products: "All products",
    collections: "Collections",
    search: "Search products",
    no_results: "No product matches.",
    previous: "Previous",
    next: "Next",
    page: "Page",
    photos: "Photos",
    options: "Options",
    other_options: "Other options",
    quantity: "Quantity",
    add_to_cart: "Add to order",
    added: "Added",
    cart: "Your order",
    remove: "Remove",
    total: "Total",
    order_on_whatsapp: "Order on WhatsApp",
    ask_on_whatsapp: "Ask on WhatsApp",
    view_in_catalog: "View in WhatsApp catalog",
    was: "was",
    in_stock: "In stock",
    out_of_stock: "Out of stock",
    available_for_order: "Available to order",
    discontinued: "Discontinued",
    order_intro: "Hello! I'd like to order:",
};

const PT: Words = Words {
    name: "Português",
    language: "Idioma",
    all_products: "Todos os produtos",
    collections: "Coleções",
    search: "Buscar produtos",
    no_results: "Nenhum produto encontrado.",
    previous: "Anterior",
    next: "Próxima",
    page: "Página",
    photos: "Fotos",
    options: "Opções",
    other_options: "Outras opções",
    quantity: "Quantidade",
    add_to_cart: "Adicionar ao pedido",
    added: "Adicionado",
    cart: "Seu pedido",
    remove: "Remover",
    total: "Total",
    order_on_whatsapp: "Pedir pelo WhatsApp",
    ask_on_whatsapp: "Perguntar no WhatsApp",
    view_in_catalog: "Ver no catálogo do WhatsApp",
    was: "antes",
    in_stock: "Em estoque",
    out_of_stock: "Esgotado",
    available_for_order: "Sob encomenda",
    discontinued: "Fora de linha",
    order_intro: "Olá! Quero pedir:",
};

const ES: Words = Words {
    name: "Español",
    language: "Idioma",
    all_products: "Todos los productos",
    collections: "Colecciones",
    search: "Buscar productos",
    no_results: "Ningún producto coincide.",
    previous: "Anterior",
    next: "Siguiente",
    page: "Página",
    photos: "Fotos",
    options: "Opciones",
    other_options: "Otras opciones",
    quantity: "Cantidad",
    add_to_cart: "Añadir al pedido",
    added: "Añadido",
    cart: "Tu pedido",
    remove: "Quitar",
    total: "Total",
    order_on_whatsapp: "Pedir por WhatsApp",
    ask_on_whatsapp: "Preguntar por WhatsApp",
    view_in_catalog: "Ver en el catálogo de WhatsApp",
    was: "antes",
    in_stock: "Disponible",
    out_of_stock: "Agotado",
    available_for_order: "Bajo pedido",
    discontinued: "Descatalogado",
    order_intro: "¡Hola! Me gustaría pedir:",
};

const ID: Words = Words {
    name: "Bahasa Indonesia",
    language: "Bahasa",
    all_products: "Semua produk",
    collections: "Koleksi",
    search: "Cari produk",
    no_results: "Tidak ada produk yang cocok.",
    previous: "Sebelumnya",
    next: "Berikutnya",
    page: "Halaman",
    photos: "Foto",
    options: "Pilihan",
    other_options: "Pilihan lain",
    quantity: "Jumlah",
    add_to_cart: "Tambah ke pesanan",
    added: "Ditambahkan",
    cart: "Pesanan Anda",
    remove: "Hapus",
    total: "Total",
    order_on_whatsapp: "Pesan lewat WhatsApp",
    ask_on_whatsapp: "Tanya lewat WhatsApp",
    view_in_catalog: "Lihat di katalog WhatsApp",
    was: "sebelumnya",
    in_stock: "Tersedia",
    out_of_stock: "Habis",
    available_for_order: "Bisa dipesan",
    discontinued: "Tidak diproduksi lagi",
    order_intro: "Halo! Saya mau pesan:",
};

const HI: Words = Words {
    name: "हिन्दी",
    language: "भाषा",
    all_products: "सभी उत्पाद",
    collections: "संग्रह",
    search: "उत्पाद खोजें",
    no_results: "कोई उत्पाद नहीं मिला।",
    previous: "पिछला",
    next: "अगला",
    page: "पृष्ठ",
    photos: "तस्वीरें",
    options: "विकल्प",
    other_options: "अन्य विकल्प",
    quantity: "मात्रा",
    add_to_cart: "ऑर्डर में जोड़ें",
    added: "जोड़ा गया",
    cart: "आपका ऑर्डर",
    remove: "हटाएँ",
    total: "कुल",
    order_on_whatsapp: "WhatsApp पर ऑर्डर करें",
    ask_on_whatsapp: "WhatsApp पर पूछें",
    view_in_catalog: "WhatsApp कैटलॉग में देखें",
    was: "पहले",
    in_stock: "स्टॉक में",
    out_of_stock: "स्टॉक में नहीं",
    available_for_order: "ऑर्डर पर उपलब्ध",
    discontinued: "बंद",
    order_intro: "नमस्ते! मुझे यह ऑर्डर करना है:",
};

const AR: Words = Words {
    name: "العربية",
    language: "اللغة",
    all_products: "كل المنتجات",
    collections: "المجموعات",
    search: "ابحث عن منتج",
    no_results: "لا توجد منتجات مطابقة.",
    previous: "السابق",
    next: "التالي",
    page: "صفحة",
    photos: "الصور",
    options: "الخيارات",
    other_options: "خيارات أخرى",
    quantity: "الكمية",
    add_to_cart: "أضف إلى الطلب",
    added: "تمت الإضافة",
    cart: "طلبك",
    remove: "إزالة",
    total: "الإجمالي",
    order_on_whatsapp: "اطلب عبر واتساب",
    ask_on_whatsapp: "اسأل عبر واتساب",
    view_in_catalog: "اعرض في كتالوج واتساب",
    was: "كان",
    in_stock: "متوفر",
    out_of_stock: "نفد من المخزون",
    available_for_order: "متاح للطلب",
    discontinued: "متوقف",
    order_intro: "مرحبًا! أود طلب:",
};

/// The words of a language, by its primary subtag; English for languages without their own.
pub fn words(language: &LanguageTag) -> &'static Words {
    match language.language() {
        "pt" => &PT,
        "es" => &ES,
        "id" => &ID,
        "hi" => &HI,
        "ar" => &AR,
        _ => &EN,
    }
}

/// The language's name for the switcher: its own name, or its tag when Vitrine has none.
pub fn language_name(language: &LanguageTag) -> String {
    let w = words(language);
    if w.name == EN.name && language.language() != "en" {
        language.as_str().to_owned()
    } else {
        w.name.to_owned()
    }
}
