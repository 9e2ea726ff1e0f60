//! The application menu. Its items do not run anything themselves: each one emits a
//! [`MenuAction`] event and the UI opens its own flow (a file dialog, then a command), so
//! the menu and the UI's buttons share one code path. Quit too: the UI asks first when a
//! product has unsaved changes, as it does for the window's close button.
//!
//! The menu is built in English before the UI has loaded; the UI then sends its words for
//! each item ([`set_menu_labels`]) at start and whenever the merchant changes the language,
//! so the translations live in one place, the UI's message catalogs.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Manager, Runtime, State};
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
    Quit,
}

/// The menu's words in the UI's language, one per item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MenuLabels {
    pub file: String,
    pub import_csv: String,
    pub import_photo_folder: String,
    pub export_csv: String,
    pub backup: String,
    pub restore: String,
    pub quit: String,
}

impl MenuLabels {
    /// What the menu says until the UI has sent its own words.
    pub fn english() -> Self {
        Self {
            file: "File".into(),
            import_csv: "Import CSV…".into(),
            import_photo_folder: "Import photo folder…".into(),
            export_csv: "Export CSV…".into(),
            backup: "Back up…".into(),
            restore: "Restore…".into(),
            quit: "Quit".into(),
        }
    }

    fn of(&self, kind: MenuActionKind) -> &str {
        match kind {
            MenuActionKind::ImportCsv => &self.import_csv,
            MenuActionKind::ImportPhotoFolder => &self.import_photo_folder,
            MenuActionKind::ExportCsv => &self.export_csv,
            MenuActionKind::Backup => &self.backup,
            MenuActionKind::Restore => &self.restore,
            MenuActionKind::Quit => &self.quit,
        }
    }
}

impl MenuActionKind {
    const ALL: [Self; 6] = [
        Self::ImportCsv,
        Self::ImportPhotoFolder,
        Self::ExportCsv,
        Self::Backup,
        Self::Restore,
        Self::Quit,
    ];

    /// The menu item id.
    fn id(self) -> &'static str {
        match self {
            Self::ImportCsv => "importCsv",
            Self::ImportPhotoFolder => "importPhotoFolder",
            Self::ExportCsv => "exportCsv",
            Self::Backup => "backup",
            Self::Restore => "restore",
            Self::Quit => "quit",
        }
    }

    fn accelerator(self) -> Option<&'static str> {
        match self {
            Self::ImportCsv => Some("CmdOrCtrl+I"),
            Self::Backup => Some("CmdOrCtrl+Shift+B"),
            Self::Quit => Some("CmdOrCtrl+Q"),
            Self::ImportPhotoFolder | Self::ExportCsv | Self::Restore => None,
        }
    }

    /// Whether a separator comes before this item (groups: import, export, backup, quit).
    fn starts_group(self) -> bool {
        matches!(self, Self::ExportCsv | Self::Backup | Self::Quit)
    }
}

const FILE: &str = "file";

/// File → Import CSV…, Import photo folder…, Export CSV…, Back up…, Restore…, Quit.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    AppMenu::manage(app);
    Menu::with_items(app, &[&file_menu(app, &MenuLabels::english())?])
}

fn file_menu<R: Runtime>(app: &AppHandle<R>, labels: &MenuLabels) -> tauri::Result<Submenu<R>> {
    let file = Submenu::with_id(app, FILE, &labels.file, true)?;
    for kind in MenuActionKind::ALL {
        if kind.starts_group() {
            file.append(&PredefinedMenuItem::separator(app)?)?;
        }
        // Quit is a plain item rather than the predefined one, which GTK does not provide,
        // and which would close the window without asking about unsaved changes.
        file.append(&MenuItem::with_id(
            app,
            kind.id(),
            labels.of(kind),
            true,
            kind.accelerator(),
        )?)?;
    }
    Ok(file)
}

/// Turns a click on a menu item into a [`MenuAction`] for the UI.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    let Some(action) = MenuActionKind::ALL.into_iter().find(|k| k.id() == id) else {
        return;
    };
    if let Err(error) = (MenuAction { action }).emit(app) {
        tracing::warn!(%error, ?action, "could not tell the window about a menu action");
    }
}

/// Puts `labels` on the app menu (no menu, nothing to do). A new File menu replaces the old
/// one rather than new texts on it: GTK keeps a menu bar title as it was first set.
pub fn relabel<R: Runtime>(app: &AppHandle<R>, labels: &MenuLabels) -> tauri::Result<()> {
    let Some(menu) = app.menu() else {
        return Ok(());
    };
    if let Some(old) = menu.get(FILE) {
        menu.remove(&old)?;
    }
    menu.prepend(&file_menu(app, labels)?)
}

/// Relabels the app menu of the running app. Managed state, so [`set_menu_labels`] is one
/// command on every runtime: tauri-specta's command list cannot name a runtime-generic one.
pub struct AppMenu {
    relabel: Box<Relabel>,
}

type Relabel = dyn Fn(&MenuLabels) -> tauri::Result<()> + Send + Sync;

impl AppMenu {
    /// Puts the app's menu in managed state, as it is built.
    pub fn manage<R: Runtime>(app: &AppHandle<R>) {
        let handle = app.clone();
        app.manage(Self {
            relabel: Box::new(move |labels| relabel(&handle, labels)),
        });
    }
}

/// The menu in the UI's language: the UI calls this at start and when the language changes.
/// A menu that cannot be relabelled keeps its words; the failure is logged here.
#[tauri::command]
#[specta::specta]
pub fn set_menu_labels(menu: State<'_, AppMenu>, labels: MenuLabels) {
    if let Err(error) = (menu.relabel)(&labels) {
        tracing::warn!(%error, "could not translate the app menu");
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
