//! The engine's error type and the closed set of codes that cross every
//! boundary (IPC, CLI `--json`). The UI switches on [`ErrorCode`]; the message
//! is for people and may change.

use serde::Serialize;
use specta::Type;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every code a caller can receive. Adding one is an API change: the UI
/// catalogs carry a message per code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A required field is empty (names, titles).
    Required,
    InvalidEmail,
    InvalidPhone,
    /// A number written locally (no "+") where no country reads it.
    PhoneNeedsCountry,
    InvalidCountry,
    UnknownCurrency,
    InvalidAmount,
    NegativeAmount,
    /// "1,500": 1.5 or 1500? Refused rather than guessed (amounts, rates).
    AmbiguousNumber,
    /// More decimals than the currency has (cents: two).
    TooManyDecimals,
    InvalidRate,
    /// A currency other than the base one needs its rate to it.
    RateRequired,
    /// The base currency's rate to itself is 1, and is not kept.
    BaseRateIsOne,
    InvalidDate,
    InvalidTimeZone,
    EndBeforeStart,
    /// The record, or one it links to, does not exist (or is in the trash).
    NotFound,
    /// The change contradicts data that depends on the record.
    Conflict,
    /// The record was written after the copy being saved was loaded (the
    /// command line, an undo, an import): saving it would undo that write.
    ChangedSinceLoaded,
    /// A full export restores only into an empty database, and this one
    /// holds records.
    NotEmpty,
    /// Another process holds the write lock longer than the busy timeout.
    Busy,
    /// The disk is full or the file cannot be written.
    Storage,
    /// The file is not a Mission CRM database, or is damaged.
    Corrupt,
    /// A file to import cannot be read as what it claims to be (empty,
    /// binary, cut short, unbalanced quotes...); nothing was written.
    InvalidFile,
    /// The user stopped a long operation; nothing was written.
    Cancelled,
    /// A bug: the message says what; nothing was written.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidPhone => "invalid_phone",
            Self::PhoneNeedsCountry => "phone_needs_country",
            Self::InvalidCountry => "invalid_country",
            Self::UnknownCurrency => "unknown_currency",
            Self::InvalidAmount => "invalid_amount",
            Self::NegativeAmount => "negative_amount",
            Self::AmbiguousNumber => "ambiguous_number",
            Self::TooManyDecimals => "too_many_decimals",
            Self::InvalidRate => "invalid_rate",
            Self::RateRequired => "rate_required",
            Self::BaseRateIsOne => "base_rate_is_one",
            Self::InvalidDate => "invalid_date",
            Self::InvalidTimeZone => "invalid_time_zone",
            Self::EndBeforeStart => "end_before_start",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::ChangedSinceLoaded => "changed_since_loaded",
            Self::NotEmpty => "not_empty",
            Self::Busy => "busy",
            Self::Storage => "storage",
            Self::Corrupt => "corrupt",
            Self::InvalidFile => "invalid_file",
            Self::Cancelled => "cancelled",
            Self::Internal => "internal",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input broke a domain rule; `field` names the input field at fault.
    #[error("{message}")]
    Invalid {
        code: ErrorCode,
        field: &'static str,
        message: String,
    },
    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: String },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database upgrade failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A stored value could not be read back (hand-edited or damaged file).
    #[error("stored data is invalid: {0}")]
    Data(String),
    /// A file given to import is not what it must be; the message says
    /// where and why, in words for the person who chose it.
    #[error("{0}")]
    File(String),
    #[error("stopped; nothing was changed")]
    Cancelled,
    /// A database file that is damaged or is not a database at all.
    #[error(
        "the database file is damaged or is not a Mission CRM database ({0}); restore a backup"
    )]
    Damaged(String),
}

impl Error {
    pub fn invalid(code: ErrorCode, field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            field,
            message: message.into(),
        }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        use rusqlite_migration::{Error as Mig, MigrationDefinitionError as Def};
        match self {
            Self::Invalid { code, .. } => *code,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Sqlite(e) => sqlite_code(e),
            Self::Migration(Mig::RusqliteError { err, .. }) => sqlite_code(err),
            // Written by a newer Mission CRM: opening it here must not touch it.
            Self::Migration(Mig::MigrationDefinition(Def::DatabaseTooFarAhead)) => {
                ErrorCode::Conflict
            }
            Self::Migration(Mig::InvalidUserVersion) => ErrorCode::Corrupt,
            Self::Migration(_) => ErrorCode::Internal,
            Self::Io(_) => ErrorCode::Storage,
            Self::Data(_) => ErrorCode::Corrupt,
            Self::File(_) => ErrorCode::InvalidFile,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::Damaged(_) => ErrorCode::Corrupt,
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The message a person reads. Foreign-key failures are rephrased because
    /// SQLite's own text ("FOREIGN KEY constraint failed") names nothing useful.
    pub fn message(&self) -> String {
        if let Self::Migration(rusqlite_migration::Error::MigrationDefinition(
            rusqlite_migration::MigrationDefinitionError::DatabaseTooFarAhead,
        )) = self
        {
            return "this database was written by a newer version of Mission CRM; update the app to open it".to_owned();
        }
        match self.code() {
            ErrorCode::NotFound if matches!(self, Self::Sqlite(_)) => {
                "a linked record does not exist (it may have been deleted)".to_owned()
            }
            // SQLite's own text ("disk I/O error", "database or disk is full")
            // does not say what happened to the user's change.
            // A file that cannot be opened or written is not helped by
            // freeing space: say to look at the file instead.
            ErrorCode::Storage if matches!(self, Self::Sqlite(_)) => {
                let advice = match self {
                    Self::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                        if matches!(
                            f.code,
                            rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen
                        ) =>
                    {
                        "check that the database file and its folder are still there and may be written to, and try again"
                    }
                    _ => "free some disk space and try again",
                };
                format!("the change could not be saved, and nothing of it was written: {self}; {advice}")
            }
            // Found while reading, not by a page check (the app's runs after
            // start; the CLI's reads skip it): the same advice as at open.
            ErrorCode::Corrupt if matches!(self, Self::Sqlite(_)) => {
                Self::Damaged(self.to_string()).to_string()
            }
            ErrorCode::Busy => {
                "the database is busy in another window or program; try again".to_owned()
            }
            _ => self.to_string(),
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.message(),
            field: self.field().map(str::to_owned),
        }
    }
}

/// A text that names none of an enum's values (a kind, side, stage...), as
/// typed on the command line or found in a hand-edited file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnknownValue(pub String);

/// What a SQLite failure means to the person who caused it.
fn sqlite_code(e: &rusqlite::Error) -> ErrorCode {
    use rusqlite::ErrorCode as Sq;
    match e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            Sq::DatabaseBusy | Sq::DatabaseLocked => ErrorCode::Busy,
            Sq::DiskFull | Sq::ReadOnly | Sq::CannotOpen | Sq::SystemIoFailure => {
                ErrorCode::Storage
            }
            Sq::DatabaseCorrupt | Sq::NotADatabase => ErrorCode::Corrupt,
            // A foreign key names a record that does not exist.
            Sq::ConstraintViolation
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
            {
                ErrorCode::NotFound
            }
            // A CHECK or UNIQUE rule of the schema: the data contradicts itself.
            Sq::ConstraintViolation => ErrorCode::Conflict,
            _ => ErrorCode::Internal,
        },
        // A stored value that does not read back as its type: damaged or
        // hand-edited data.
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => ErrorCode::Corrupt,
        _ => ErrorCode::Internal,
    }
}

/// The shape of an error wherever it leaves the engine: `{code, message}`,
/// plus the input field when one is at fault.
#[derive(Debug, Clone, Serialize, Type, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

impl ErrorBody {
    /// A failure of the app itself (a thread that could not start or
    /// stopped); `message` says what.
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Internal,
            message: message.into(),
            field: None,
        }
    }
}

impl std::fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code.as_str())
    }
}

impl From<Error> for ErrorBody {
    fn from(e: Error) -> Self {
        e.body()
    }
}
