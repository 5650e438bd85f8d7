//! `-g KEY[=SPEC]` on create and update (SPEC.md, "Generated values and
//! templates", "Validation"): the shape of each spec, fresh values every time,
//! never printed, uniform over the alphabet, and bad specs refused.

use std::collections::BTreeMap;

use crate::common::{TestVault, stderr, stdout};
use crate::util::{Snapshot, error_mentions, expect_code, value_of};

const ALPHANUMERIC: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Every variable of a secret, by `export --format json`.
fn values(tv: &TestVault, name: &str) -> BTreeMap<String, String> {
    serde_json::from_str(&tv.ok(&["export", name, "--format", "json"])).unwrap()
}

#[test]
fn each_spec_has_its_shape_and_is_never_printed() {
    let tv = TestVault::new();
    let output = tv
        .cmd(&[
            "create",
            "secret",
            "gen",
            "-g",
            "PLAIN",
            "-g",
            "SHORT=8",
            "-g",
            "LONG=1024",
            "-g",
            "HEX=hex:32",
            "-g",
            "B64=base64:32",
            "-g",
            "B64_ODD=base64:8",
            "-g",
            "ID=uuid",
            "-e",
            "USER=bob",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = format!("{}{}", stdout(&output), stderr(&output));
    let got = values(&tv, "gen");
    for key in ["PLAIN", "SHORT", "LONG", "HEX", "B64", "B64_ODD", "ID"] {
        assert!(
            !printed.contains(&got[key]),
            "create printed {key}'s value: {printed}"
        );
    }
    let alnum = |v: &str| v.chars().all(|c| ALPHANUMERIC.contains(c));
    assert_eq!(got["PLAIN"].len(), 32, "plain -g KEY is 32 characters");
    assert!(alnum(&got["PLAIN"]));
    assert_eq!(got["SHORT"].len(), 8);
    assert!(alnum(&got["SHORT"]));
    assert_eq!(got["LONG"].len(), 1024);
    assert!(alnum(&got["LONG"]));
    assert_eq!(got["HEX"].len(), 64);
    assert!(
        got["HEX"]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    assert_eq!(b64.decode(&got["B64"]).unwrap().len(), 32);
    assert_eq!(b64.decode(&got["B64_ODD"]).unwrap().len(), 8);
    let id = &got["ID"];
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
    assert_eq!(&id[14..15], "4", "version 4: {id}");
    assert!("89ab".contains(&id[19..20]), "RFC variant: {id}");
    assert_eq!(got["USER"], "bob", "-e and -g mix");
}

#[test]
fn every_run_makes_a_fresh_value_and_update_rotates_it() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "a", "-g", "K", "-g", "U=uuid"]);
    tv.ok(&["create", "secret", "b", "-g", "K", "-g", "U=uuid"]);
    let (a, b) = (values(&tv, "a"), values(&tv, "b"));
    assert_ne!(a["K"], b["K"]);
    assert_ne!(a["U"], b["U"]);
    tv.ok(&["update", "secret", "a", "-g", "K=hex:16"]);
    let rotated = values(&tv, "a");
    assert_ne!(rotated["K"], a["K"]);
    assert_eq!(rotated["K"].len(), 32);
    assert_eq!(
        rotated["U"], a["U"],
        "update changes only the keys it names"
    );
    let log = tv.ok(&["log", "-o", "json"]);
    assert!(
        !log.contains(&rotated["K"]) && !log.contains(&a["K"]),
        "{log}"
    );
}

/// 98 variables of 1,024 characters: 100,352 characters in one `create`. Their
/// counts over the 62 letters and digits must fit a uniform distribution.
/// The chi-square statistic has 61 degrees of freedom (mean 61, sd 11); a
/// uniform source exceeds 160 with probability 8e-11, while `byte % 62`
/// (the bias rejection sampling avoids) gives about 660.
#[test]
fn generated_characters_are_uniform_over_the_alphabet() {
    let tv = TestVault::new();
    let mut args = vec!["create".to_owned(), "secret".to_owned(), "many".to_owned()];
    for i in 0..98 {
        args.extend(["-g".to_owned(), format!("K{i}=1024")]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tv.ok(&args);
    let mut counts: BTreeMap<char, u64> = ALPHANUMERIC.chars().map(|c| (c, 0)).collect();
    let mut total = 0u64;
    for value in values(&tv, "many").values() {
        for c in value.chars() {
            *counts
                .get_mut(&c)
                .unwrap_or_else(|| panic!("{c:?} is not a letter or digit")) += 1;
            total += 1;
        }
    }
    assert_eq!(total, 98 * 1024);
    let expected = total as f64 / 62.0;
    let chi_square: f64 = counts
        .values()
        .map(|&n| (n as f64 - expected).powi(2) / expected)
        .sum();
    assert!(
        chi_square < 160.0,
        "chi-square {chi_square:.1} over 61 degrees of freedom: not uniform ({counts:?})"
    );
}

#[test]
fn bad_specs_are_refused_and_nothing_is_written() {
    let tv = TestVault::new();
    tv.ok(&["create", "secret", "existing", "-e", "K=v"]);
    for (spec, says) in [
        ("K=7", "outside 8..=1024"),
        ("K=1025", "outside 8..=1024"),
        ("K=hex:7", "outside 8..=512"),
        ("K=base64:513", "outside 8..=512"),
        ("K=hex", "invalid -g spec 'hex'"),
        ("K=uuid4", "invalid -g spec 'uuid4'"),
        ("K=sha:32", "invalid -g spec"),
        ("K=", "invalid -g spec"),
        ("=32", "-g needs a variable name"),
        ("VAULT_K", "reserved"),
        ("1K", "starts with a digit"),
    ] {
        for verb in ["create", "update"] {
            let before = Snapshot::of(&tv);
            let name = if verb == "create" { "new" } else { "existing" };
            let output = expect_code(&mut tv.cmd(&[verb, "secret", name, "-g", spec]), 2);
            error_mentions(&output, says);
            assert!(output.stdout.is_empty());
            before.assert_unchanged();
        }
    }
    // One key from -e and -g at once.
    let before = Snapshot::of(&tv);
    let output = expect_code(
        &mut tv.cmd(&["create", "secret", "new", "-e", "K=x", "-g", "K"]),
        2,
    );
    error_mentions(&output, "more than once");
    before.assert_unchanged();
    assert_eq!(value_of(&tv, "existing", &[], "K").as_deref(), Some("v"));
}
