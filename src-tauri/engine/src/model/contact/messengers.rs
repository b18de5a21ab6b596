//! A messenger's handle as the app keeps it, however it was typed in a
//! form or came in an import: a WhatsApp number in E.164 when it reads as
//! one (as phones are: the same number typed two ways was kept twice, and
//! duplicates were not found by it), a Telegram link or name as `@name`.

use super::MessengerKind;
use crate::validate;

/// `handle` (trimmed) as the app keeps it for `kind`; `region` reads a
/// WhatsApp number written without its country code.
pub(crate) fn messenger_handle(kind: MessengerKind, handle: &str, region: Option<&str>) -> String {
    let handle = handle.trim();
    match kind {
        MessengerKind::Telegram => telegram_handle(handle),
        MessengerKind::Whatsapp => {
            validate::phone("whatsapp", handle, region).unwrap_or_else(|_| handle.to_owned())
        }
        _ => handle.to_owned(),
    }
}

/// A Telegram username as the app writes it ("@aidar"), from a link to it
/// or the name alone; a number stays a number.
fn telegram_handle(value: &str) -> String {
    let name = [
        "https://t.me/",
        "http://t.me/",
        "t.me/",
        "https://telegram.me/",
        "telegram.me/",
    ]
    .iter()
    .find_map(|p| value.strip_prefix(p))
    .unwrap_or(value)
    .trim_end_matches('/');
    if name.is_empty()
        || name.starts_with(['@', '+'])
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        name.to_owned()
    } else {
        format!("@{name}")
    }
}
