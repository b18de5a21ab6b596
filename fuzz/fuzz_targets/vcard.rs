//! Any bytes after BEGIN:VCARD: the vCard reader (unfolding,
//! quoted-printable, charsets, parameters) returns cards or a clear error,
//! and never panics or hangs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = b"BEGIN:VCARD\r\n".to_vec();
    file.extend_from_slice(data);
    let _ = mission_crm_engine::import::read_people(&file);
});
