//! Reading a template from a file or stdin, bounded.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

use super::Template;

/// Templates are configuration files: anything larger is a mistake (or
/// `/dev/zero`), refused before it fills the memory.
pub const MAX_TEMPLATE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads and parses the template from `path`, or stdin for none or `-`.
pub fn read(path: Option<&Path>) -> Result<Template> {
    let (origin, reader): (String, Box<dyn Read>) = match path.filter(|p| *p != Path::new("-")) {
        None => ("stdin".to_owned(), Box::new(std::io::stdin().lock())),
        Some(path) => {
            let file = std::fs::File::open(path).map_err(|err| {
                Error::usage(format!("cannot read template {}: {err}", path.display()))
            })?;
            (path.display().to_string(), Box::new(file))
        }
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_TEMPLATE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::usage(format!("cannot read template {origin}: {err}")))?;
    if bytes.len() as u64 > MAX_TEMPLATE_BYTES {
        return Err(Error::usage(format!(
            "template {origin} is larger than {} MiB",
            MAX_TEMPLATE_BYTES / (1024 * 1024)
        )));
    }
    Template::parse(bytes, &origin)
}
