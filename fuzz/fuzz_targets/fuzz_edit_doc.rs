//! The document `vault edit` reads back from the editor, on hostile text.
//!
//! Invariants: no panic, for an org and a project secret; and a secret that
//! parses renders to a document that parses back to the same secret.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::edit_doc::{parse, render};
use vault::vault::model::{Scope, Secret};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let original = Secret::default();
    for scope in [Scope::Org, Scope::Project("blue".into())] {
        let Ok(secret) = parse(text, &scope, &original) else {
            continue;
        };
        let rendered = render("fuzzed", &scope, &secret);
        let again = parse(&rendered, &scope, &original).expect("a rendered secret parses");
        assert_eq!(again.env, secret.env);
        assert_eq!(again.files, secret.files);
        assert_eq!(again.description, secret.description);
        assert_eq!(again.allowed_projects, secret.allowed_projects);
    }
});
