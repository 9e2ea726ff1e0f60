#!/usr/bin/env python3
"""Writes the generated import corpus: one file per dialect a shop owner's computer writes.
Deterministic; run from this folder (`python3 make.py`). Photo URLs name the host
`photos.test` (a reserved name): the tests point it at a loopback photo server."""
import csv, io

PHOTOS = "https://photos.test"

SHOPIFY = ["Handle","Title","Body (HTML)","Vendor","Product Category","Type","Tags","Published",
  "Option1 Name","Option1 Value","Option2 Name","Option2 Value","Option3 Name","Option3 Value",
  "Variant SKU","Variant Grams","Variant Inventory Tracker","Variant Inventory Qty",
  "Variant Inventory Policy","Variant Fulfillment Service","Variant Price","Variant Compare At Price",
  "Variant Requires Shipping","Variant Taxable","Variant Barcode","Image Src","Image Position",
  "Image Alt Text","Gift Card","SEO Title","SEO Description","Variant Image","Variant Weight Unit",
  "Variant Tax Code","Cost per item","Status"]

def shopify_row(**cells):
    return [cells.get(h, "") for h in SHOPIFY]

def write_csv(name, header, rows, delimiter=",", newline="\n", encoding="utf-8", bom=False):
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    data = out.getvalue().encode(encoding)
    if bom:
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe"}[encoding] + data
    open(name, "wb").write(data)

# 1. An Arabic perfume shop on Shopify: Arabic handles, no SKUs, stock not tracked (quantity 0),
#    right-to-left HTML bodies over several lines, two sizes for some products, one draft.
ar = []
perfumes = [
    ("عود-ملكي", "عود ملكي فاخر", "دهن العود", ["50 مل", "100 مل"], "350.00", "420.00"),
    ("مسك-الطهارة", "مسك الطهارة الأبيض", "مسك", ["30 مل"], "95.50", ""),
    ("بخور-العنبر", "بخور العنبر الذهبي", "بخور", [], "120.00", "150.00"),
    ("دخون-الشيوخ", "مجموعة دخون (الشيوخ - الحصن)", "دخون", [], "437.78", ""),
    ("عطر-الورد-الطائفي", "عطر الورد الطائفي", "عطور", ["12 مل", "24 مل"], "210.00", ""),
    ("زيت-العود-الكمبودي", "زيت العود الكمبودي", "دهن العود", [], "980.00", "1100.00"),
    ("مبخرة-نحاس", "مبخرة نحاسية تراثية", "أدوات", [], "75.00", ""),
    ("هدية-رمضان", "صندوق هدية رمضان", "هدايا", [], "299.00", ""),
]
for i, (handle, title, kind, sizes, price, compare) in enumerate(perfumes):
    body = ('<div dir="rtl" style="text-align: right;">\n<p><strong>' + title +
            '</strong>&nbsp;من أجود الأنواع.</p>\n<ul>\n<li>صناعة يدوية</li>\n<li>ثبات يدوم طويلاً</li>\n</ul>\n</div>')
    status = "draft" if handle == "هدية-رمضان" else "active"
    variants = sizes or ["Default Title"]
    for n, size in enumerate(variants):
        first = n == 0
        ar.append(shopify_row(
            Handle=handle, Title=title if first else "", **{
                "Body (HTML)": body if first else "", "Vendor": "دار العطور" if first else "",
                "Type": kind if first else "", "Published": "true" if first else "",
                "Option1 Name": ("الحجم" if sizes else "Title") if first else "",
                "Option1 Value": size, "Variant Grams": "0.0", "Variant Inventory Tracker": "",
                "Variant Inventory Qty": "0", "Variant Inventory Policy": "deny",
                "Variant Fulfillment Service": "manual", "Variant Price": price,
                "Variant Compare At Price": compare, "Variant Requires Shipping": "true",
                "Variant Taxable": "true",
                "Image Src": f"{PHOTOS}/ar/{i + 1}-a.jpg" if first else "",
                "Image Position": "1" if first else "", "Gift Card": "false" if first else "",
                "Variant Weight Unit": "kg", "Status": status if first else ""}))
    # A second photo on an image-only row, as Shopify writes it.
    ar.append(shopify_row(Handle=handle, **{"Image Src": f"{PHOTOS}/ar/{i + 1}-b.jpg", "Image Position": "2"}))
write_csv("shopify-ar-perfume-shop.csv", SHOPIFY, ar)

# 2. A Brazilian dropshipping shop (DSers-style): AliExpress SKUs with spaces, # : and ;, stock not
#    tracked, two duplicate SKUs, an apostrophe barcode, an Excel-mangled barcode, HTML entities,
#    three photos per product, CRLF line ends.
br = []
items = [
    ("projetor-4k", "Projetor Smart 4K Ultra HD", ["14:193#Sliver 2hapa;200007763:201336100", "14:10#Preto;200007763:201336100"], "987,00"),
    ("fone-bluetooth", "Fone Bluetooth com Cancelamento de Ruído", ["14:29#Branco", "14:193#Sliver 2hapa;200007763:201336100"], "129.90"),
    ("relogio-smart", "Relógio Smart à Prova d'Água", ["200000639:200003982#42mm"], "199.00"),
    ("camiseta-brasil", "Camiseta Seleção – Edição Campeão", ["", ""], "89.90"),
    ("lampada-led", "Lâmpada LED Inteligente", ["LAMP 01 / RGB"], "49.90"),
]
for i, (handle, title, skus, price) in enumerate(items):
    body = "<p>Produto importado com garantia. Cer&acirc;mica &amp; a&ccedil;o inox.</p><ul><li>Envio r&aacute;pido</li><li>Nota fiscal</li></ul>"
    colours = ["Prata", "Preto"] if len(skus) > 1 else ["Único"]
    for n, sku in enumerate(skus):
        first = n == 0
        barcode = {0: "'31232131314", 1: "7.89123E+12"}.get(i, "")
        tracker = "shopify" if handle in ("relogio-smart", "lampada-led") else ""
        br.append(shopify_row(
            Handle=handle, Title=title if first else "", **{
                "Body (HTML)": body if first else "", "Vendor": "Nuvem Shop" if first else "",
                "Type": "Eletrônicos" if first else "", "Published": "true" if first else "",
                "Option1 Name": "Cor" if first else "", "Option1 Value": colours[n] if len(skus) > 1 else "Único",
                "Option2 Name": "Tamanho" if first and handle == "camiseta-brasil" else "",
                "Option2 Value": ["P", "M"][n] if handle == "camiseta-brasil" else "",
                "Variant SKU": sku, "Variant Inventory Tracker": tracker,
                "Variant Inventory Qty": "3" if handle == "relogio-smart" else "0",
                "Variant Inventory Policy": "continue" if handle == "lampada-led" else "deny",
                "Variant Price": price, "Variant Barcode": barcode if first else "",
                "Image Src": f"{PHOTOS}/br/{i + 1}-1.jpg" if first else "",
                "Image Position": "1" if first else "",
                "Status": "active" if first else ""}))
    for k in (2, 3):
        br.append(shopify_row(Handle=handle, **{"Image Src": f"{PHOTOS}/br/{i + 1}-{k}.jpg", "Image Position": str(k)}))
write_csv("shopify-br-dropship.csv", SHOPIFY, br, newline="\r\n")

# 3. A Shopify export opened and saved again by Excel in Portuguese (Brazil): Windows-1252,
#    semicolons, decimal commas, CRLF.
excel = [
    shopify_row(Handle="caneca-ceramica", Title="Caneca de cerâmica", **{"Body (HTML)": "<p>Caneca artesanal, 350 ml.</p>", "Vendor": "Ateliê São Jorge", "Type": "Cozinha", "Option1 Name": "Title", "Option1 Value": "Default Title", "Variant SKU": "CAN-AZUL", "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "12", "Variant Inventory Policy": "deny", "Variant Price": "89,90", "Variant Compare At Price": "99,90", "Status": "active"}),
    shopify_row(Handle="jarra-vidro", Title="Jarra de vidro soprado", **{"Body (HTML)": "<p>Jarra grande, 1,5 litro.</p>", "Vendor": "Ateliê São Jorge", "Type": "Cozinha", "Option1 Name": "Title", "Option1 Value": "Default Title", "Variant SKU": "JAR-1500", "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "0", "Variant Inventory Policy": "deny", "Variant Price": "1.299,00", "Status": "active"}),
    shopify_row(Handle="prato-fundo", Title="Prato fundo pintado à mão", **{"Body (HTML)": "<p>Cerâmica esmaltada.</p>", "Vendor": "Ateliê São Jorge", "Type": "Mesa", "Option1 Name": "Cor", "Option1 Value": "Açafrão", "Variant SKU": "PRA-ACA", "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "4", "Variant Inventory Policy": "deny", "Variant Price": "45,5", "Status": "active"}),
    shopify_row(Handle="prato-fundo", **{"Option1 Value": "Oliva", "Variant SKU": "PRA-OLI", "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "2", "Variant Inventory Policy": "deny", "Variant Price": "45,5"}),
]
write_csv("excel-ptbr-shopify-windows1252.csv", SHOPIFY, excel, delimiter=";", newline="\r\n", encoding="cp1252")

# 4. Meta's feed columns saved by Excel as "Unicode text": UTF-16 with a byte-order mark, tabs.
META = ["id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand", "quantity_to_sell_on_facebook"]
unicode_rows = [
    ["EG-SAA-1", "ساعة يد رجالية", "ساعة كلاسيكية مقاومة للماء", "in stock", "new", "1250.00 EGP", "https://shop.test/saa-1", "", "متجر القاهرة", "7"],
    ["IN-KUR-2", "सूती कुर्ता", "हाथ से बुना सूती कुर्ता", "in stock", "new", "899.00 INR", "https://shop.test/kur-2", "", "Pune Weaves", "15"],
    ["ID-BAT-3", "Kain batik tulis", "Batik tulis asli Solo", "out of stock", "new", "350000.00 IDR", "https://shop.test/bat-3", "", "Batik Solo", "0"],
]
write_csv("excel-unicode-text-meta.txt", META, unicode_rows, delimiter="\t", newline="\r\n", encoding="utf-16-le", bom=True)

# 5. A Meta feed written on Windows (CRLF) with three bad rows at known lines.
crlf = [
    ["OK-1", "Mug", "Blue mug", "in stock", "new", "10.00 USD", "https://shop.test/1", "", "B", "3"],
    ["OK-2", "Cup", "Small cup", "in stock", "new", "not a price", "https://shop.test/2", "", "B", "1"],
    ["OK-3", "Plate", "Flat plate", "in stock", "new", "8.00 USD", "https://shop.test/3", "", "B", "many"],
    ["OK-1", "Mug again", "Same SKU", "in stock", "new", "10.00 USD", "https://shop.test/1", "", "B", "3"],
    ["OK-4", "Bowl", "Deep bowl", "in stock", "new", "12.00 USD", "https://shop.test/4", "", "B", "2"],
]
write_csv("meta-windows-crlf.csv", META, crlf, newline="\r\n")
