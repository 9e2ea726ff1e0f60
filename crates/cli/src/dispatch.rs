//! Routes a parsed command to the module of its family; each family runs its use case and
//! prints the result.

use std::process::ExitCode;

use vitrine_app::{AppError, Vitrine};

use crate::args::{Command, FeedCommand};
use crate::Cli;

pub fn run(v: &Vitrine, cli: &Cli) -> Result<ExitCode, AppError> {
    let json = cli.json;
    match &cli.command {
        Command::Shop(cmd) => crate::shop::shop(v, json, cmd),
        Command::Product(cmd) => crate::catalog::product(v, json, cmd.as_ref()),
        Command::Image(cmd) => crate::catalog::image(v, json, cmd),
        Command::Collection(cmd) => crate::collections::collection(v, json, cmd),
        Command::Check { strict } => crate::catalog::check(v, json, *strict),
        Command::Import(args) => crate::import::import(v, json, args),
        Command::Export { file, excel } => crate::export::export(v, json, file, *excel),
        Command::Feed(FeedCommand::Export { file }) => crate::export::feed(v, json, file),
        Command::Backup { file } => crate::shop::backup(v, json, file),
        Command::Restore { file } => crate::shop::restore(v, json, file),
        Command::Meta(cmd) => crate::meta::meta(v, json, cmd),
        Command::Hosting(cmd) => crate::hosting::hosting(v, json, cmd),
        Command::Sync(args) => crate::sync::sync(v, json, args),
        Command::Link(cmd) => crate::share::link(v, json, cmd),
        Command::Qr(args) => crate::share::qr(v, json, args),
        Command::Poster(args) => crate::share::poster(v, json, args),
        Command::Labels(args) => crate::share::labels(v, json, args),
        Command::ShortLink(cmd) => crate::share::short_link(v, json, cmd),
        Command::Relay(cmd) => crate::orders::relay(v, json, cmd),
        Command::Orders(cmd) => crate::orders::orders(v, json, cmd),
        Command::Reply(args) => crate::orders::reply(v, json, args),
        Command::Storefront(cmd) => crate::storefront::storefront(v, json, cmd),
    }
}
