//! SPEC.md, "Validation": every rule is a clear error, exit 2, nothing
//! written, and no error message ever contains a secret value.

use crate::common;
use crate::common::{TestVault, assert_no_canary};
use crate::util;
use crate::util::{Snapshot, error_mentions, expect_code, value_of, write_work_file};

const CANARY: &str = "canary-validation-7f3a";

/// A vault holding `existing` (with a canary value) to try updates on.
fn vault() -> TestVault {
    let tv = TestVault::new();
    tv.ok(&[
        "create",
        "secret",
        "existing",
        "-e",
        &format!("KEEP={CANARY}-kept"),
    ]);
    tv
}

/// Runs `args`, expects exit 2 with `says` in the error, no canary anywhere in
/// the output and the vault (and its backup) byte-for-byte unchanged.
fn refused(tv: &TestVault, args: &[&str], says: &str) {
    refused_with_stdin(tv, args, None, says);
}

fn refused_with_stdin(tv: &TestVault, args: &[&str], stdin: Option<&[u8]>, says: &str) {
    let before = Snapshot::of(tv);
    let mut cmd = tv.cmd(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    let output = cmd.output().unwrap();
    assert_eq!(
        util::code(&output),
        2,
        "{args:?} should be refused\nstderr: {}",
        common::stderr(&output)
    );
    util::no_panic(&output);
    error_mentions(&output, says);
    assert_no_canary(&output, CANARY);
    assert!(output.stdout.is_empty(), "{args:?} printed on stdout");
    before.assert_unchanged();
}

/// The same change tried as `create secret new …` and `update secret existing …`.
fn refused_on_create_and_update(tv: &TestVault, change: &[&str], says: &str) {
    let mut create = vec!["create", "secret", "new"];
    create.extend_from_slice(change);
    refused(tv, &create, says);
    let mut update = vec!["update", "secret", "existing"];
    update.extend_from_slice(change);
    refused(tv, &update, says);
}

// --- names ------------------------------------------------------------------

const BAD_NAMES: &[&str] = &[
    ".hidden",
    "_under",
    "a b",
    "a/b",
    "../up",
    "a:b",
    "é",
    "tab\there",
    "semi;colon",
];

#[test]
fn secret_names_follow_the_pattern() {
    let tv = vault();
    let value = format!("K={CANARY}");
    for name in BAD_NAMES {
        refused(&tv, &["create", "secret", name, "-e", &value], "name");
        refused(&tv, &["update", "secret", name, "-e", &value], "name");
        refused(&tv, &["delete", "secret", name, "--yes"], "name");
        refused(&tv, &["get", "secret", name], "name");
        refused(&tv, &["edit", "secret", name], "name");
    }
    refused(&tv, &["create", "secret", "", "-e", &value], "name");
    // The first character may be a digit; '.', '_' and '-' may follow.
    tv.ok(&["create", "secret", "9lives.v2_x-y", "-e", "K=v"]);
}

#[test]
fn secret_names_have_at_most_128_characters() {
    let tv = vault();
    let longest = "n".repeat(128);
    tv.ok(&["create", "secret", &longest, "-e", "K=v"]);
    assert_eq!(value_of(&tv, &longest, &[], "K").unwrap(), "v");
    let too_long = "n".repeat(129);
    refused(
        &tv,
        &["create", "secret", &too_long, "-e", &format!("K={CANARY}")],
        "128",
    );
}

#[test]
fn project_names_follow_the_same_rules() {
    let tv = vault();
    let value = format!("K={CANARY}");
    for project in BAD_NAMES.iter().copied().chain([&*"p".repeat(129)]) {
        refused(
            &tv,
            &["create", "secret", "s", "-p", project, "-e", &value],
            "project",
        );
        refused(&tv, &["get", "secrets", "-p", project], "project");
        refused(
            &tv,
            &[
                "create",
                "secret",
                "s",
                "-e",
                &value,
                "--allow-project",
                project,
            ],
            "project",
        );
        let mut cmd = tv.cmd(&["create", "secret", "s", "-e", &value]);
        cmd.env("VAULT_PROJECT", project);
        let output = expect_code(&mut cmd, 2);
        assert_no_canary(&output, CANARY);
    }
    tv.ok(&["create", "secret", "s", "-p", &"p".repeat(128), "-e", "K=v"]);
}

// --- environment variable keys ----------------------------------------------

#[test]
fn keys_follow_the_pattern() {
    let tv = vault();
    for key in ["1BAD", "A-B", "A B", "A.B", "É", "A/B"] {
        let arg = format!("{key}={CANARY}");
        refused_on_create_and_update(&tv, &["-e", &arg], "variable");
    }
    tv.ok(&["create", "secret", "ok", "-e", "_a1=v", "-e", "Z_9=v"]);
}

#[test]
fn keys_starting_with_vault_are_reserved() {
    let tv = vault();
    for key in ["VAULT_TOKEN", "VAULT_", "VAULT_PASSPHRASE"] {
        let arg = format!("{key}={CANARY}");
        refused_on_create_and_update(&tv, &["-e", &arg], "reserved");
    }
    // Only the prefix is reserved.
    tv.ok(&[
        "create",
        "secret",
        "ok",
        "-e",
        "VAULTED=v",
        "-e",
        "MY_VAULT_X=v",
    ]);
}

#[test]
fn keys_have_at_most_255_characters() {
    let tv = vault();
    let longest = "K".repeat(255);
    tv.ok(&["create", "secret", "ok", "-e", &format!("{longest}=v")]);
    let too_long = format!("{}={CANARY}", "K".repeat(256));
    refused_on_create_and_update(&tv, &["-e", &too_long], "255");
}

#[test]
fn keys_are_unique_within_a_change() {
    let tv = vault();
    let first = format!("A={CANARY}-1");
    let second = format!("A={CANARY}-2");
    refused_on_create_and_update(&tv, &["-e", &first, "-e", &second], "more than once");
}

#[test]
fn e_without_a_key_is_refused() {
    let tv = vault();
    let arg = format!("={CANARY}");
    refused_on_create_and_update(&tv, &["-e", &arg], "variable name");
    refused_on_create_and_update(&tv, &["-e", ""], "variable name");
}

#[test]
fn a_bad_key_asked_for_on_stdin_is_refused_before_reading_it() {
    let tv = vault();
    refused_with_stdin(
        &tv,
        &["create", "secret", "new", "-e", "1BAD"],
        Some(CANARY.as_bytes()),
        "1BAD",
    );
}

#[test]
fn only_one_value_can_come_from_stdin() {
    let tv = vault();
    refused_with_stdin(
        &tv,
        &["create", "secret", "new", "-e", "A", "-e", "B"],
        Some(format!("{CANARY}\n").as_bytes()),
        "stdin",
    );
}

// --- values -----------------------------------------------------------------

#[test]
fn values_have_at_most_64_kib() {
    let tv = vault();
    let mut largest = CANARY.to_owned();
    largest.push_str(&"v".repeat(65_536 - CANARY.len()));
    assert_eq!(largest.len(), 65_536);
    let output = tv
        .cmd(&["create", "secret", "big", "-e", &format!("BIG={largest}")])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert_no_canary(&output, CANARY);
    assert_eq!(value_of(&tv, "big", &[], "BIG").unwrap(), largest);

    let too_big = format!("TOO_BIG={largest}v");
    refused_on_create_and_update(&tv, &["-e", &too_big], "65536");
    // The same through stdin (a trailing newline is dropped first).
    refused_with_stdin(
        &tv,
        &["update", "secret", "existing", "-e", "TOO_BIG"],
        Some(format!("{largest}v\n").as_bytes()),
        "limit",
    );
    // Exactly the limit plus the dropped newline is fine.
    let output = tv
        .cmd(&["update", "secret", "big", "-e", "FROM_STDIN"])
        .write_stdin(format!("{largest}\n"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert_eq!(value_of(&tv, "big", &[], "FROM_STDIN").unwrap(), largest);
}

#[test]
fn values_with_nul_are_refused() {
    let tv = vault();
    let value = format!("{CANARY}\0after");
    refused_with_stdin(
        &tv,
        &["create", "secret", "new", "-e", "K"],
        Some(value.as_bytes()),
        "NUL",
    );
    refused_with_stdin(
        &tv,
        &["update", "secret", "existing", "-e", "K"],
        Some(value.as_bytes()),
        "NUL",
    );
    write_work_file(
        &tv,
        "nul.env",
        format!("FIRST=ok\nL=\"{CANARY}\0b\"\n").as_bytes(),
    );
    refused(
        &tv,
        &["create", "secret", "new", "--env-file", "nul.env"],
        "NUL",
    );
}

#[test]
fn values_must_be_utf8() {
    let tv = vault();
    let mut value = CANARY.as_bytes().to_vec();
    value.extend_from_slice(&[0xff, 0xfe, b'\n']);
    refused_with_stdin(
        &tv,
        &["create", "secret", "new", "-e", "K"],
        Some(&value),
        "UTF-8",
    );
}

// --- files ------------------------------------------------------------------

#[test]
fn a_missing_local_file_is_refused() {
    let tv = vault();
    refused_on_create_and_update(&tv, &["-f", "no-such-file:dest"], "no-such-file");
}

#[test]
fn a_directory_or_a_device_is_not_a_file() {
    let tv = vault();
    std::fs::create_dir_all(tv.work().join("somedir")).unwrap();
    refused_on_create_and_update(&tv, &["-f", "somedir:dest"], "not a regular file");
    refused_on_create_and_update(&tv, &["-f", "/dev/zero:dest"], "not a regular file");
}

#[test]
fn files_have_at_most_1_mib() {
    let tv = vault();
    let mut contents = CANARY.as_bytes().to_vec();
    contents.resize(1_048_576, b'x');
    write_work_file(&tv, "largest.bin", &contents);
    tv.ok(&["create", "secret", "files", "-f", "largest.bin:largest.bin"]);
    let secret = tv.json(&["get", "secret", "files", "-o", "json"]);
    assert_eq!(secret["files"][0]["size"], 1_048_576);
    contents.push(b'x');
    write_work_file(&tv, "too-big.bin", &contents);
    refused_on_create_and_update(&tv, &["-f", "too-big.bin:too-big.bin"], "1048576");
}

#[test]
fn f_needs_a_colon_a_local_path_and_a_destination() {
    let tv = vault();
    write_work_file(&tv, "local.txt", CANARY.as_bytes());
    refused_on_create_and_update(&tv, &["-f", "local.txt"], "':'");
    refused_on_create_and_update(&tv, &["-f", "local.txt:"], "destination");
    refused_on_create_and_update(&tv, &["-f", ":dest.txt"], "local path");
}

#[test]
fn a_destination_is_given_once() {
    let tv = vault();
    write_work_file(&tv, "a.txt", CANARY.as_bytes());
    write_work_file(&tv, "b.txt", b"b");
    refused_on_create_and_update(
        &tv,
        &["-f", "a.txt:same.txt", "-f", "b.txt:same.txt"],
        "more than once",
    );
}

// --- one bad flag anywhere cancels the whole change ---------------------------

#[test]
fn one_bad_part_cancels_the_whole_change() {
    let tv = vault();
    write_work_file(&tv, "good.txt", b"good");
    let good = format!("GOOD={CANARY}-good");
    refused_on_create_and_update(
        &tv,
        &["-e", &good, "-f", "good.txt:good.txt", "-e", "VAULT_BAD=x"],
        "reserved",
    );
    refused_on_create_and_update(
        &tv,
        &["-e", &good, "-f", "good.txt:good.txt", "-f", "missing:dest"],
        "missing",
    );
    assert_eq!(
        value_of(&tv, "existing", &[], "KEEP").unwrap(),
        format!("{CANARY}-kept")
    );
    let existing = tv.json(&["get", "secret", "existing", "-o", "json"]);
    assert_eq!(existing["files"], serde_json::json!([]));
}

#[test]
fn a_bad_name_is_never_echoed_past_its_first_bad_character() {
    let tv = vault();
    // `--unset` takes a name: a value written after it is not repeated.
    refused(
        &tv,
        &[
            "update",
            "secret",
            "existing",
            "--unset",
            &format!("KEEP={CANARY}"),
        ],
        "'='",
    );
    // `-e "KEY value"` (a space for '=') is a bad name, not echoed whole.
    refused_with_stdin(
        &tv,
        &["create", "secret", "new", "-e", &format!("TOKEN {CANARY}")],
        Some(b"x"),
        "TOKEN",
    );
    refused(
        &tv,
        &[
            "create",
            "secret",
            "new",
            "-e",
            &format!("TOKEN:{CANARY}=x"),
        ],
        "':'",
    );
}
