//! The application menu. Its items do not run anything themselves: each one emits a
//! [`MenuAction`] event and the UI opens its own flow (a file dialog, then a command), so
//! the menu and the UI's buttons share one code path.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Runtime};
use tauri_specta::Event;

/// What the merchant picked in the app menu.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct MenuAction {
    pub action: MenuActionKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum MenuActionKind {
    ImportCsv,
    ImportPhotoFolder,
    ExportCsv,
    Backup,
    Restore,
}

impl MenuActionKind {
    const ALL: [Self; 5] = [
        Self::ImportCsv,
        Self::ImportPhotoFolder,
        Self::ExportCsv,
        Self::Backup,
        Self::Restore,
    ];

    /// The menu item id.
    fn id(self) -> &'static str {
        match self {
            Self::ImportCsv => "importCsv",
            Self::ImportPhotoFolder => "importPhotoFolder",
            Self::ExportCsv => "exportCsv",
            Self::Backup => "backup",
            Self::Restore => "restore",
        }
    }

    /// English labels: the native menu is built before the UI knows the merchant's language.
    fn label(self) -> &'static str {
        match self {
            Self::ImportCsv => "Import CSV…",
            Self::ImportPhotoFolder => "Import photo folder…",
            Self::ExportCsv => "Export CSV…",
            Self::Backup => "Back up…",
            Self::Restore => "Restore…",
        }
    }

    fn accelerator(self) -> Option<&'static str> {
        match self {
            Self::ImportCsv => Some("CmdOrCtrl+I"),
            Self::Backup => Some("CmdOrCtrl+Shift+B"),
            Self::ImportPhotoFolder | Self::ExportCsv | Self::Restore => None,
        }
    }
}

const QUIT: &str = "quit";

/// File → Import CSV…, Import photo folder…, Export CSV…, Back up…, Restore…, Quit.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let file = Submenu::with_id(app, "file", "File", true)?;
    for (i, kind) in MenuActionKind::ALL.into_iter().enumerate() {
        if i == 2 || i == 3 {
            file.append(&PredefinedMenuItem::separator(app)?)?;
        }
        file.append(&MenuItem::with_id(
            app,
            kind.id(),
            kind.label(),
            true,
            kind.accelerator(),
        )?)?;
    }
    file.append(&PredefinedMenuItem::separator(app)?)?;
    // A plain item rather than the predefined Quit, which GTK does not provide.
    file.append(&MenuItem::with_id(
        app,
        QUIT,
        "Quit",
        true,
        Some("CmdOrCtrl+Q"),
    )?)?;
    Menu::with_items(app, &[&file])
}

/// Turns a click on a menu item into a [`MenuAction`] for the UI (or quits).
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    if id == QUIT {
        app.exit(0);
        return;
    }
    let Some(action) = MenuActionKind::ALL.into_iter().find(|k| k.id() == id) else {
        return;
    };
    if let Err(error) = (MenuAction { action }).emit(app) {
        tracing::warn!(%error, ?action, "could not tell the window about a menu action");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_menu_item_is_named_like_the_action_the_ui_receives() {
        for kind in MenuActionKind::ALL {
            let payload = serde_json::to_value(MenuAction { action: kind }).expect("serialise");
            assert_eq!(
                payload,
                serde_json::json!({ "action": kind.id() }),
                "the item id is the event's action name"
            );
        }
    }
}
