// Vitrine storefront: a cart kept in localStorage whose "Order on WhatsApp" link carries the
// order written out in the page's language, and search over the language's products.json.
// Prices are integer minor units; amounts are written as the pages write them.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("shop-data").textContent);
  var KEY = "vitrine-cart";
  var words = data.words;

  function $(selector) { return document.querySelector(selector); }
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }

  // RFC 3986: everything but A-Z a-z 0-9 - . _ ~ percent-encoded as UTF-8, spaces as %20.
  function encode(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function price(minor, currency) {
    var f = data.formats[currency];
    if (!f) return String(minor) + " " + currency;
    var digits = String(minor);
    while (digits.length < f.exponent + 1) digits = "0" + digits;
    var whole = digits.slice(0, digits.length - f.exponent);
    var fraction = digits.slice(digits.length - f.exponent);
    var out = "";
    for (var i = 0; i < whole.length; i++) {
      var left = whole.length - i;
      var boundary = f.indian ? left === 3 || (left > 3 && (left - 3) % 2 === 0) : left % 3 === 0;
      if (boundary && i > 0) out += f.group;
      out += whole[i];
    }
    if (f.exponent > 0 && !(f.wholeWhenEven && /^0*$/.test(fraction))) out += f.decimal + fraction;
    var zero = f.zero.charCodeAt(0);
    if (zero !== 48) out = out.replace(/[0-9]/g, function (d) { return String.fromCharCode(zero + d.charCodeAt(0) - 48); });
    return f.prefix + out + f.suffix;
  }

  function load() {
    try {
      var cart = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(cart) ? cart.filter(function (l) {
        return l && typeof l.sku === "string" && Number.isSafeInteger(l.minor) && Number.isSafeInteger(l.qty) && l.qty > 0;
      }) : [];
    } catch (e) {
      return [];
    }
  }

  function save(cart) {
    try { localStorage.setItem(KEY, JSON.stringify(cart)); } catch (e) { /* private mode: the cart lasts the page */ }
  }

  function title(line) {
    return (line.titles && (line.titles[data.lang] || line.titles[Object.keys(line.titles)[0]])) || line.sku;
  }

  // The message: greeting, "2 × Title (SKU): amount" per line, the total per currency, the ref line.
  function message(cart) {
    var lines = [words.intro];
    var totals = {};
    var order = [];
    cart.forEach(function (l) {
      var amount = l.minor * l.qty;
      if (!Number.isSafeInteger(amount)) return;
      lines.push(l.qty + " × " + title(l) + " (" + l.sku + "): " + price(amount, l.cur));
      if (!(l.cur in totals)) { totals[l.cur] = 0; order.push(l.cur); }
      totals[l.cur] += amount;
    });
    order.forEach(function (c) { lines.push(words.total + ": " + price(totals[c], c)); });
    var body = lines.join("\n").replace(/\s+$/, "");
    return data.refLine ? body + "\n\n" + data.refLine : body;
  }

  function render(cart) {
    var aside = $("#cart");
    var list = $("[data-cart-lines]");
    var count = 0;
    list.textContent = "";
    cart.forEach(function (l) {
      count += l.qty;
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.className = "line-title";
      name.textContent = title(l);
      var label = document.createElement("label");
      label.textContent = words.quantity + " ";
      var input = document.createElement("input");
      input.type = "number"; input.min = "0"; input.max = "999"; input.value = String(l.qty);
      input.addEventListener("change", function () {
        var qty = Math.max(0, Math.min(999, parseInt(input.value, 10) || 0));
        update(function (c) {
          return c.map(function (x) { return x.sku === l.sku ? Object.assign({}, x, { qty: qty }) : x; })
            .filter(function (x) { return x.qty > 0; });
        });
      });
      label.appendChild(input);
      var amount = document.createElement("span");
      amount.textContent = price(l.minor * l.qty, l.cur);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = words.remove;
      remove.addEventListener("click", function () {
        update(function (c) { return c.filter(function (x) { return x.sku !== l.sku; }); });
      });
      li.append(name, label, amount, remove);
      list.appendChild(li);
    });
    var totals = {};
    cart.forEach(function (l) { totals[l.cur] = (totals[l.cur] || 0) + l.minor * l.qty; });
    $("[data-cart-total]").textContent = Object.keys(totals).map(function (c) {
      return words.total + ": " + price(totals[c], c);
    }).join(" · ");
    var order = $("[data-order]");
    if (order && data.number) order.href = "https://wa.me/" + data.number + "?text=" + encode(message(cart));
    aside.hidden = cart.length === 0;
    all("[data-cart-link]").forEach(function (a) { a.hidden = cart.length === 0; });
    all("[data-cart-count]").forEach(function (s) { s.textContent = String(count); });
  }

  function update(change) {
    var cart = change(load());
    save(cart);
    render(cart);
  }

  function add(item, qty) {
    update(function (cart) {
      var found = false;
      cart = cart.map(function (l) {
        if (l.sku !== item.sku) return l;
        found = true;
        return Object.assign({}, item, { qty: Math.min(999, l.qty + qty) });
      });
      if (!found) cart.push(Object.assign({}, item, { qty: qty }));
      return cart;
    });
    var status = $("[data-status]");
    status.textContent = words.added + ": " + title(item);
    setTimeout(function () { status.textContent = ""; }, 2500);
  }

  all("[data-add]").forEach(function (button) {
    var item = JSON.parse(button.getAttribute("data-add"));
    var form = button.closest("form");
    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var qty = parseInt(form.querySelector("[data-qty]").value, 10);
        if (qty > 0) add(item, Math.min(999, qty));
      });
    } else {
      button.addEventListener("click", function () { add(item, 1); });
    }
  });

  // Search: products.json of this language, fetched on first use; accents and case ignored.
  var search = $("[data-search]");
  if (search) {
    var grid = $("[data-grid]");
    var original = grid.innerHTML;
    var products = null;
    var fold = function (s) { return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase(); };
    var input = search.querySelector("input");
    var run = function () {
      var q = fold(input.value.trim());
      var none = $("[data-no-results]");
      if (!q) { grid.innerHTML = original; none.hidden = true; return; }
      var found = products.filter(function (p) { return fold(p.t + " " + p.s).indexOf(q) >= 0; }).slice(0, 60);
      grid.textContent = "";
      found.forEach(function (p) {
        var li = document.createElement("li");
        li.className = "card";
        var a = document.createElement("a");
        a.href = data.root + p.u;
        if (p.i) {
          var img = document.createElement("img");
          img.src = data.root + p.i; img.alt = ""; img.loading = "lazy"; img.width = 256; img.height = 256;
          a.appendChild(img);
        }
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = p.t;
        a.appendChild(name);
        var pr = document.createElement("p");
        pr.className = "price";
        pr.textContent = p.p;
        li.append(a, pr);
        grid.appendChild(li);
      });
      none.hidden = found.length > 0;
    };
    search.addEventListener("submit", function (e) { e.preventDefault(); });
    input.addEventListener("input", function () {
      if (products) { run(); return; }
      fetch(data.root + data.lang + "/products.json").then(function (r) { return r.json(); })
        .then(function (list) { products = list; run(); })
        .catch(function () { products = null; });
    });
  }

  all("[data-search], [data-buy], [data-add]").forEach(function (e) { e.hidden = false; });
  render(load());
})();
