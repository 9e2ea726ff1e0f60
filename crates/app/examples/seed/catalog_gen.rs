//! Generates realistic test catalogs (shared by the `seed` example and the benchmarks).

use std::fmt::Write as _;

const PT: [&str; 8] = [
    "Pão de queijo",
    "Caneca de cerâmica",
    "Açúcar mascavo",
    "Camiseta de algodão",
    "Sabonete artesanal",
    "Chinelo de couro",
    "Bolsa de palha",
    "Café especial",
];
const AR: [&str; 8] = [
    "فانوس رمضان نحاسي",
    "سجادة صلاة",
    "عطر العود",
    "تمر مجدول",
    "كوب قهوة",
    "عباية سوداء",
    "زيت زيتون",
    "مصحف مذهب",
];
const EN: [&str; 8] = [
    "Leather wallet",
    "Scented candle",
    "Bamboo toothbrush",
    "Wool scarf",
    "Ceramic vase",
    "Linen shirt",
    "Honey jar",
    "Silver ring",
];
const WORDS: [&str; 12] = [
    "artesanal",
    "feito à mão",
    "مصنوع يدويا",
    "handmade",
    "premium",
    "natural",
    "orgânico",
    "أصلي",
    "gift",
    "presente",
    "هدية",
    "limited",
];

/// A CSV of `products` rows in Meta's feed columns with mixed Arabic, Portuguese and
/// English text; deterministic.
pub fn generate_csv(products: usize) -> String {
    let mut csv = String::from("id,title,description,availability,condition,price,link,brand,quantity_to_sell_on_facebook,collections\n");
    for i in 0..products {
        let title = match i % 3 {
            0 => PT[i % 8],
            1 => AR[i % 8],
            _ => EN[i % 8],
        };
        let description = format!(
            "{} {} {} nº {i}",
            WORDS[i % 12],
            WORDS[(i * 7) % 12],
            WORDS[(i * 5 + 3) % 12]
        );
        let _ = writeln!(
            csv,
            "SKU-{i:05},\"{title} {i}\",\"{description}\",{},new,{}.{:02} BRL,https://loja.example/p/{i},Marca {},{},Coleção {}",
            if i % 10 == 0 { "out of stock" } else { "in stock" },
            10 + i % 990,
            i % 100,
            i % 40,
            i % 50,
            i % 25
        );
    }
    csv
}
