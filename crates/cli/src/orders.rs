//! `vitrine relay …`, `vitrine orders …` and `vitrine reply`: the order inbox read from the
//! webhook relay, worked from the command line like from the desktop's Orders view.

use std::io::IsTerminal;
use std::process::ExitCode;

use vitrine_app::core::{OrderStatus, TimeZone};
use vitrine_app::{AppError, InputField, Order, OrderDetail, OrderQuery, RelayToken, Vitrine};

use crate::args::{OrderFilterArgs, OrdersCommand, RelayCommand, ReplyArgs};
use crate::output::{emit, runtime, Prices};

pub fn relay(v: &Vitrine, json: bool, cmd: &RelayCommand) -> Result<ExitCode, AppError> {
    match cmd {
        RelayCommand::Connect { url } => {
            let token = token_from_stdin()?;
            let status = runtime()?.block_on(v.connect_relay(url, token.as_ref()))?;
            emit(json, &status, || {
                format!("Connected to the relay at {}.", status.url)
            });
        }
        RelayCommand::Status => {
            let status = v.relay_status()?;
            emit(json, &status, || {
                match &status {
                None => "No relay connected (vitrine relay connect --url URL).".to_owned(),
                Some(s) => format!(
                    "Relay:     {}\nToken:     {}\nRead up to: {}\nLast pull: {}\nEvents:    {}\nOrders:    {}",
                    s.url,
                    match s.token {
                        vitrine_app::TokenSource::Environment => "from VITRINE_RELAY_TOKEN",
                        vitrine_app::TokenSource::Keychain => "in the keychain",
                        vitrine_app::TokenSource::Missing => "missing",
                    },
                    if s.cursor.is_empty() { "(nothing yet)" } else { &s.cursor },
                    s.last_pull_at.as_deref().unwrap_or("(never)"),
                    s.events,
                    s.orders
                ),
            }
            });
        }
        RelayCommand::Disconnect => {
            v.disconnect_relay()?;
            emit(json, &serde_json::json!({ "disconnected": true }), || {
                "The relay is forgotten; orders stay.".to_owned()
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The device token piped on standard input, if any (never an argument, where other users
/// and the shell history could see it). Nothing piped: the saved or environment token is used.
fn token_from_stdin() -> Result<Option<RelayToken>, AppError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut line = String::new();
    stdin.read_line(&mut line).map_err(|e| AppError::Invalid {
        field: InputField::RelayToken,
        message: e.to_string(),
    })?;
    Ok(RelayToken::new(line))
}

fn query(filter: &OrderFilterArgs) -> OrderQuery {
    OrderQuery {
        status: filter.status.map(OrderStatus::from),
        text: filter.search.clone(),
        from: filter.from.clone(),
        to: filter.to.clone(),
    }
}

/// This computer's time zone: `TZ` when it names an IANA zone (`TZ=Africa/Cairo`, or
/// `:Africa/Cairo`), else the system's setting, else UTC. A POSIX rule in `TZ`
/// (`CET-1CEST,M3.5.0,M10.5.0/3`) is not a zone name and is passed over.
fn computer_time_zone() -> TimeZone {
    std::env::var("TZ")
        .ok()
        .and_then(|tz| TimeZone::parse(tz.trim_start_matches(':')).ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|name| TimeZone::parse(&name).ok())
        })
        .unwrap_or(TimeZone::UTC)
}

fn summary_line(o: &Order, prices: &Prices) -> String {
    let flags = [
        (o.has_unknown_products, " [unknown SKU]"),
        (o.has_price_differences, " [price changed]"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, text)| *text)
    .collect::<String>();
    format!(
        "#{:<5} {}  {:<10} {:<24} {:>3} items  {}{}",
        o.id,
        o.received_at.format("%Y-%m-%d %H:%M"),
        o.status.as_str(),
        format!("{} (+{})", o.customer.name, o.customer.wa_id),
        o.item_count,
        prices.maybe(o.total),
        flags
    )
}

fn describe(d: &OrderDetail, prices: &Prices) -> String {
    let o = &d.order;
    let mut lines = vec![
        format!(
            "Order #{} — {} — received {}",
            o.id,
            o.status.as_str(),
            o.received_at.format("%Y-%m-%d %H:%M UTC")
        ),
        format!("Customer: {} (+{})", o.customer.name, o.customer.wa_id),
    ];
    if let Some(tag) = &o.ref_tag {
        lines.push(format!("Ref:      {tag}"));
    }
    if !o.customer_text.is_empty() {
        lines.push(format!("Message:  {}", o.customer_text));
    }
    if !o.note.is_empty() {
        lines.push(format!("Note:     {}", o.note));
    }
    for l in &o.lines {
        let title = l
            .product
            .as_ref()
            .map(|p| match &p.variant {
                Some(v) => format!("{} ({v})", p.title),
                None => p.title.clone(),
            })
            .unwrap_or_else(|| "(unknown product)".to_owned());
        let mut line = format!(
            "  {} × {} {title} @ {} = {}",
            l.quantity,
            l.sku,
            prices.maybe(l.unit_price),
            prices.maybe(l.line_total)
        );
        if l.price_differs {
            if let Some(p) = &l.product {
                line.push_str(&format!("  (catalog price now {})", prices.text(&p.price)));
            }
        }
        lines.push(line);
    }
    lines.push(format!("Total:    {}", prices.maybe(o.total)));
    lines.push(format!("Reply:    {}", d.window.describe()));
    if !d.thread.is_empty() {
        lines.push("Messages:".to_owned());
        for m in &d.thread {
            let who = if m.inbound { "customer" } else { "shop" };
            let status = m
                .status
                .as_deref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default();
            let body = if m.body.is_empty() {
                format!("({})", m.kind)
            } else {
                m.body.replace('\n', " ")
            };
            lines.push(format!(
                "  {} {who}: {body}{status}",
                m.at.format("%m-%d %H:%M")
            ));
        }
    }
    lines.join("\n")
}

pub fn orders(v: &Vitrine, json: bool, cmd: &OrdersCommand) -> Result<ExitCode, AppError> {
    match cmd {
        OrdersCommand::Pull => {
            let report = runtime()?.block_on(v.pull_relay())?;
            emit(json, &report, || {
                format!(
                    "Read {} event(s): {} new order(s), {} update(s).",
                    report.events,
                    report.new_orders().len(),
                    report.updates.len()
                )
            });
        }
        OrdersCommand::List(filter) => {
            let list = v.orders(&query(filter))?;
            let prices = Prices::of_shop(v)?;
            emit(json, &list, || {
                if list.is_empty() {
                    "No orders.".to_owned()
                } else {
                    list.iter()
                        .map(|o| summary_line(o, &prices))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            });
        }
        OrdersCommand::Show { id } => {
            let detail = v.order_detail(*id)?;
            let prices = Prices::of_shop(v)?;
            emit(json, &detail, || describe(&detail, &prices));
        }
        OrdersCommand::SetStatus { id, status } => {
            let order = v.set_order_status(*id, OrderStatus::from(*status))?;
            emit(json, &order, || {
                format!("Order #{} is {}.", order.id, order.status.as_str())
            });
        }
        OrdersCommand::Note { id, text } => {
            let order = v.set_order_note(*id, text)?;
            emit(json, &order, || {
                format!("Note saved on order #{}.", order.id)
            });
        }
        OrdersCommand::Export { file, filter } => {
            let summary = v.export_orders(file, &query(filter))?;
            emit(json, &summary, || {
                format!(
                    "Exported {} order(s), {} line(s), to {}.",
                    summary.orders,
                    summary.lines,
                    file.display()
                )
            });
        }
        OrdersCommand::Stats { filter, time_zone } => {
            let zone = time_zone.unwrap_or_else(computer_time_zone);
            let stats = v.order_analytics(&query(filter), zone)?;
            emit(json, &stats, || {
                let amounts = |m: &[vitrine_app::core::Money]| {
                    m.iter()
                        .map(|m| m.to_meta_string())
                        .collect::<Vec<_>>()
                        .join(" + ")
                };
                let mut out = vec!["Per week:".to_owned()];
                for w in &stats.per_week {
                    out.push(format!(
                        "  {}  {} order(s)  {}",
                        w.start,
                        w.orders,
                        amounts(&w.revenue)
                    ));
                }
                out.push("Top products:".to_owned());
                for p in &stats.top_products {
                    out.push(format!(
                        "  {} {}  {} sold",
                        p.sku,
                        p.title.as_deref().unwrap_or("(unknown)"),
                        p.quantity
                    ));
                }
                out.push("Channels:".to_owned());
                for c in &stats.per_channel {
                    out.push(format!(
                        "  {}  {} order(s)",
                        c.ref_tag.as_deref().unwrap_or("(no ref tag)"),
                        c.orders
                    ));
                }
                out.join("\n")
            });
        }
        OrdersCommand::Payment { pix, upi } => {
            v.set_payment_details(pix.as_deref(), upi.as_deref())?;
            emit(json, &serde_json::json!({ "saved": true }), || {
                "Payment details saved.".to_owned()
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reply(v: &Vitrine, json: bool, args: &ReplyArgs) -> Result<ExitCode, AppError> {
    let (client, _) = v.meta_client()?;
    let rt = runtime()?;
    let sent = match (&args.text, &args.quick) {
        (Some(text), _) => rt.block_on(v.reply(&client, args.order_id, text))?,
        (None, Some(name)) => {
            rt.block_on(v.reply_quick(&client, args.order_id, name, args.lang.as_deref()))?
        }
        (None, None) => {
            return Err(AppError::Invalid {
                field: InputField::Reply,
                message: "give --text or --quick".to_owned(),
            })
        }
    };
    emit(json, &sent, || {
        format!(
            "Sent to the customer of order #{} ({}).",
            sent.order_id,
            sent.window.describe()
        )
    });
    Ok(ExitCode::SUCCESS)
}
