//! Who is acting and when, for secret metadata and the audit trail.

/// `user@host` of the current process, looked up once (without `$USER`, a
/// passwd lookup through NSS) however many entries a command stamps.
/// `MEMBER (user@host)` once a member's own identity has opened the vault.
pub fn current() -> String {
    static CURRENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let user = CURRENT.get_or_init(look_up);
    match MEMBER.get() {
        Some(member) => format!("{member} ({user})"),
        None => user.clone(),
    }
}

static MEMBER: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Names the member whose identity opened the vault, for metadata and the trail.
pub fn set_member(name: &str) {
    let _ = MEMBER.set(name.to_owned());
}

fn look_up() -> String {
    let user = std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| {
            nix::unistd::User::from_uid(nix::unistd::getuid())
                .ok()
                .flatten()
                .map(|u| u.name)
        })
        .unwrap_or_else(|| nix::unistd::getuid().to_string());
    let host = nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{user}@{host}")
}

/// The current time as RFC 3339 UTC with second precision.
pub fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .to_string()
}
