use crate::cli::ExecArgs;
use crate::context::Context;
use crate::error::{Error, Result};
pub fn run(_ctx: &Context, _args: ExecArgs) -> Result<i32> {
    Err(Error::failure("not yet"))
}
