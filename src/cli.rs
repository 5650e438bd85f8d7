//! The whole command surface of `vault`, in one place. The doc comments here are
//! the `--help` text, the man pages and the completions: write them for users.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A secrets manager for developers and CI: an encrypted local vault of
/// org-level and project-level secrets, injected into commands as environment
/// variables and files, and masked in their logs.
#[derive(Debug, Parser)]
#[command(
    name = "vault",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Start with `vault init`, then `vault create secret NAME -e KEY=VALUE`.\n\
Docs: vault help COMMAND, man vault-COMMAND."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The vault file [default: $XDG_DATA_HOME/vault/vault.toml]
    #[arg(long, global = true, env = "VAULT_FILE", value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)
    #[arg(long, global = true, value_name = "PATH")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new vault (asks for the passphrase twice on a terminal)
    Init(InitArgs),
    /// Create a secret
    #[command(subcommand)]
    Create(CreateCommand),
    /// List secrets, describe one, or list projects
    #[command(subcommand)]
    Get(GetCommand),
    /// Change part of a secret: for scripts and rotation
    #[command(subcommand)]
    Update(UpdateCommand),
    /// Edit a whole secret as TOML in $VISUAL or $EDITOR
    #[command(subcommand)]
    Edit(EditCommand),
    /// Delete a secret
    #[command(subcommand)]
    Delete(DeleteCommand),
    /// Run a command with secrets injected as environment variables and files
    Exec(ExecArgs),
    /// Load a .env file or a flat JSON object into a secret
    Import(ImportArgs),
    /// Print a secret's variables, quoted so that they read back exactly
    Export(ExportArgs),
    /// Start a session: prints `export VAULT_SESSION=…` for `eval "$(vault unlock)"`
    Unlock(UnlockArgs),
    /// End every session of this vault
    Lock,
    /// Change the passphrase (ends every session)
    Passwd(PasswdArgs),
    /// Show the audit trail, oldest first
    Log(LogArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print names for shell completion (used by the completion scripts)
    #[command(name = "__complete", hide = true)]
    Complete(CompleteArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Argon2id memory in MiB (default 160; at least 64 is recommended)
    #[arg(long, value_name = "MIB")]
    pub kdf_memory_mib: Option<u32>,
    /// Argon2id iterations (default 3)
    #[arg(long, value_name = "N")]
    pub kdf_iterations: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum CreateCommand {
    /// Create a secret from variables and files
    #[command(visible_alias = "secrets")]
    Secret(CreateSecretArgs),
}

#[derive(Debug, Args)]
pub struct CreateSecretArgs {
    /// The secret's name: letters, digits, '.', '_', '-'
    pub name: String,
    #[command(flatten)]
    pub project: ProjectArg,
    #[command(flatten)]
    pub contents: ContentArgs,
    /// Read variables from a .env file
    #[arg(long, value_name = "PATH")]
    pub env_file: Option<PathBuf>,
    /// A description of the secret
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Org-level secrets only: the projects allowed to see it (repeatable; default all)
    #[arg(long = "allow-project", value_name = "P")]
    pub allow_projects: Vec<String>,
}

/// The flags that set variables and files, shared by create and update.
#[derive(Debug, Args)]
pub struct ContentArgs {
    /// A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)
    #[arg(short = 'e', long = "env", value_name = "KEY[=VALUE]")]
    pub env: Vec<String>,
    /// A file: the local file's contents, written at DEST when injected
    #[arg(short = 'f', long = "file", value_name = "LOCAL:DEST")]
    pub files: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ProjectArg {
    /// The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)
    #[arg(short = 'p', long = "project", value_name = "P", env = "VAULT_PROJECT")]
    pub project: Option<String>,
}

#[derive(Debug, Args)]
pub struct OutputArg {
    /// Output format
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Output::Table)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum GetCommand {
    /// List secrets (never values), or describe one when NAME is given
    #[command(visible_alias = "secrets")]
    Secret(GetSecretArgs),
    /// List projects with their secret counts
    #[command(visible_alias = "project")]
    Projects(OutputArg),
}

#[derive(Debug, Args)]
pub struct GetSecretArgs {
    /// Describe this secret: keys, file destinations and sizes, metadata
    pub name: Option<String>,
    #[command(flatten)]
    pub project: ProjectArg,
    /// List the secrets of every scope (ignores -p and VAULT_PROJECT)
    #[arg(long, conflicts_with = "name")]
    pub all: bool,
    /// List only secrets whose name or description contains TEXT
    #[arg(long, value_name = "TEXT", conflicts_with = "name")]
    pub search: Option<String>,
    #[command(flatten)]
    pub output: OutputArg,
    /// Show the values too (recorded in the audit trail)
    #[arg(long, requires = "name")]
    pub reveal: bool,
}

#[derive(Debug, Subcommand)]
pub enum UpdateCommand {
    /// Change part of a secret
    #[command(visible_alias = "secrets")]
    Secret(UpdateSecretArgs),
}

#[derive(Debug, Args)]
pub struct UpdateSecretArgs {
    pub name: String,
    #[command(flatten)]
    pub project: ProjectArg,
    #[command(flatten)]
    pub contents: ContentArgs,
    /// Remove a variable (repeatable)
    #[arg(long, value_name = "KEY")]
    pub unset: Vec<String>,
    /// Remove a file by its destination (repeatable)
    #[arg(long, value_name = "DEST")]
    pub remove_file: Vec<String>,
    /// Replace the description
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Replace the allow-list of an org-level secret (repeatable)
    #[arg(long = "allow-project", value_name = "P")]
    pub allow_projects: Vec<String>,
    /// Clear the allow-list: every project may see this org-level secret
    #[arg(long, conflicts_with = "allow_projects")]
    pub allow_all_projects: bool,
}

#[derive(Debug, Subcommand)]
pub enum EditCommand {
    /// Edit a secret in $VISUAL or $EDITOR (else vi)
    #[command(visible_alias = "secrets")]
    Secret(NameArgs),
}

#[derive(Debug, Args)]
pub struct NameArgs {
    pub name: String,
    #[command(flatten)]
    pub project: ProjectArg,
}

#[derive(Debug, Subcommand)]
pub enum DeleteCommand {
    /// Delete a secret (asks on a terminal; --yes otherwise)
    #[command(visible_alias = "secrets")]
    Secret(DeleteSecretArgs),
}

#[derive(Debug, Args)]
pub struct DeleteSecretArgs {
    pub name: String,
    #[command(flatten)]
    pub project: ProjectArg,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  vault exec -- make test\n  vault exec -p blue -s aws -s db -- ./deploy.sh\n  vault exec --dry-run -- true"
)]
pub struct ExecArgs {
    #[command(flatten)]
    pub project: ProjectArg,
    /// Inject this secret (repeatable, in order; default: `secrets` in .vault.toml, else all visible)
    #[arg(short = 's', long = "secret", value_name = "NAME")]
    pub secrets: Vec<String>,
    /// Mask values in the output even on a terminal
    #[arg(long, conflicts_with = "no_mask")]
    pub mask: bool,
    /// Do not mask values (also VAULT_MASK=0)
    #[arg(long)]
    pub no_mask: bool,
    /// Run the command on a pseudo-terminal and mask what it shows (needs a terminal)
    #[arg(long, conflicts_with = "no_mask")]
    pub pty: bool,
    /// Print what would be injected, without values, and run nothing
    #[arg(long)]
    pub dry_run: bool,
    /// The command and its arguments
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "CMD"
    )]
    pub command: Vec<OsString>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to read (`-` for stdin)
    pub path: PathBuf,
    /// The secret to create or add to
    #[arg(long, value_name = "NAME")]
    pub secret: String,
    #[command(flatten)]
    pub project: ProjectArg,
    /// The file's format [default: json for *.json, else dotenv]
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Dotenv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The secret to export
    pub name: String,
    #[command(flatten)]
    pub project: ProjectArg,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Dotenv)]
    pub format: ExportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// KEY="value" lines that dotenv parsers read back
    Dotenv,
    /// A flat {"KEY": "value"} object
    Json,
    /// `export KEY='value'` lines for `. file` in sh
    Shell,
}

#[derive(Debug, Args)]
pub struct UnlockArgs {
    /// How long the session lasts: 90s, 10m, 1h, 1d
    #[arg(
        long,
        default_value = "15m",
        value_name = "DURATION",
        allow_hyphen_values = true
    )]
    pub ttl: String,
    /// The shell syntax to print
    #[arg(long, value_enum, default_value_t = ShellSyntax::Sh)]
    pub shell: ShellSyntax,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellSyntax {
    /// bash, zsh, sh
    Sh,
    Fish,
}

#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// New Argon2id memory in MiB (default: keep the current one)
    #[arg(long, value_name = "MIB")]
    pub kdf_memory_mib: Option<u32>,
    /// New Argon2id iterations (default: keep the current one)
    #[arg(long, value_name = "N")]
    pub kdf_iterations: Option<u32>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Show only the newest N entries
    #[arg(short = 'n', value_name = "N")]
    pub count: Option<usize>,
    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// What to list: secrets or projects
    pub what: String,
    #[command(flatten)]
    pub project: ProjectArg,
}
