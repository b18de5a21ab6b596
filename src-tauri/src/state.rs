//! What the command handlers share: the store (or why it could not be
//! opened) and where it lives.

use std::path::PathBuf;
use std::sync::Arc;

use mission_crm_engine::{ErrorBody, Store};

pub struct AppState {
    store: Result<Arc<Store>, ErrorBody>,
    pub db_path: PathBuf,
}

impl AppState {
    /// Opens the database; a failure is kept and reported by every command
    /// (and shown by the UI) instead of crashing the app at start.
    pub fn open(db_path: PathBuf) -> Self {
        let store = Store::open(&db_path).map(Arc::new).map_err(|e| e.body());
        Self { store, db_path }
    }

    /// No database path could be worked out (no HOME): every command says so.
    pub fn unavailable(error: ErrorBody) -> Self {
        Self {
            store: Err(error),
            db_path: PathBuf::new(),
        }
    }

    pub fn from_store(store: Store, db_path: PathBuf) -> Self {
        Self {
            store: Ok(Arc::new(store)),
            db_path,
        }
    }

    pub fn store(&self) -> Result<Arc<Store>, ErrorBody> {
        self.store.clone()
    }

    pub fn open_error(&self) -> Option<&ErrorBody> {
        self.store.as_ref().err()
    }
}
