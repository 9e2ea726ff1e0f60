//! What the CLI adds to an error: the command that fixes it. The use cases say what is
//! missing ([`Setup`]); only the CLI knows it is a command line (the desktop names a page).

use vitrine_app::{AppError, Setup};

/// The command that sets up what `setup` names.
fn command(setup: Setup) -> &'static str {
    match setup {
        Setup::MetaCatalog => "vitrine meta connect",
        Setup::Relay => "vitrine relay connect",
        Setup::PaymentDetails => "vitrine orders payment",
        Setup::PhotoHostingForSync | Setup::PhotoHostingForFeed | Setup::StorefrontHosting => {
            "vitrine hosting set"
        }
        Setup::StorefrontAddress => "vitrine storefront set --base-url",
    }
}

/// The error as one line, with the fixing command when there is one.
pub(crate) fn line(error: &AppError) -> String {
    let text = error.to_string().replace('\n', " ");
    match error {
        AppError::NotSetUp(setup) => format!("{text} ({})", command(*setup)),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_setup_names_the_command_that_sets_it_up() {
        let line = line(&AppError::NotSetUp(Setup::Relay));
        assert_eq!(
            line,
            "connect to your webhook relay first (vitrine relay connect)"
        );
    }
}
