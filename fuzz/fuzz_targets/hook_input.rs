//! What git hands a pre-receive hook: the ref updates on standard input and
//! the environment, on any bytes.
//!
//! The input up to the first NUL is the environment's text (alternates and
//! push options), the rest is standard input, parsed for both object
//! formats. Parsed updates must print back to lines that parse the same.

#![no_main]

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use evalgate::push::{self, Environment, ObjectFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (env, stdin) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&[][..], data),
    };

    let value = OsString::from_vec(env.to_vec());
    let environment = Environment::from_vars(|name| match name {
        "GIT_ALTERNATE_OBJECT_DIRECTORIES" | "GIT_PUSH_OPTION_0" | "GIT_DIR" => Some(value.clone()),
        "GIT_PUSH_OPTION_COUNT" => Some(OsString::from("1")),
        _ => None,
    });
    let _ = environment.has_push_option("evalgate.verbose");

    for format in [ObjectFormat::Sha1, ObjectFormat::Sha256] {
        let Ok(updates) = push::parse_updates(stdin, format) else { continue };
        let text: String = updates.iter().map(|u| u.to_line(format) + "\n").collect();
        let again = push::parse_updates(text.as_bytes(), format).expect("printed updates parse");
        assert_eq!(again, updates, "updates round trip");
    }
});
