//! Mission CRM engine: the domain model, its rules, and the SQLite store that
//! keeps it. Nothing here knows about Tauri, a window or a terminal; the
//! desktop shell (`src-tauri`) and the CLI (`src-tauri/cli`) only adapt it.
//!
//! Reading order: [`store`] (connections, transactions, change events),
//! [`model`] (one module per table, with its rules and queries),
//! [`validate`] and [`money`] (domain rules), [`demo`] (the demo mission).

mod macros;

pub mod attachments;
pub mod backup;
pub mod capture;
pub mod dataset;
pub mod db;
pub mod demo;
pub mod duplicates;
pub mod error;
pub mod export;
pub mod history;
pub mod id;
pub mod import;
pub mod model;
pub mod money;
pub mod paths;
pub mod reminder;
pub mod report;
pub mod search;
pub mod store;
pub mod time;
pub mod trash;
pub mod undo;
pub mod validate;

pub use error::{Error, ErrorBody, ErrorCode, Result};
pub use id::Id;
pub use store::{Change, ChangeOp, Db, Entity, Source, Store, Tx};
