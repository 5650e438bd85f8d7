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
    /// Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)
    #[arg(long, global = true, value_name = "PATH")]
    pub identity: Option<PathBuf>,
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
    /// Print one raw value, for scripts: TOKEN=$(vault read api TOKEN)
    Read(ReadArgs),
    /// Run a command with secrets injected as environment variables and files
    Exec(ExecArgs),
    /// Render a template, replacing each {{ secret('NAME', 'KEY') }} with its value
    Inject(InjectArgs),
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
    /// Make an age identity and print its recipient
    Keygen(KeygenArgs),
    /// Add, remove or list the members who hold a key to the vault
    #[command(subcommand)]
    Member(MemberCommand),
    /// Replace every key of the vault and seal everything again (ends every session)
    Rekey,
    /// Rewrite a vault of an older format in the current one (keeps the old file as .bak)
    Upgrade,
    /// Show the audit trail, oldest first
    Log(LogArgs),
    /// List secrets due for rotation (or unread too long); exit 1 when any
    Check(CheckArgs),
    /// Keep the vault in git: set up the merge driver and diff view, or run them
    #[command(subcommand)]
    Git(GitCommand),
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
    /// Make the one member this recipient (age1…, an ssh-ed25519/ssh-rsa key, or @PATH) instead of a passphrase
    #[arg(long, value_name = "RECIPIENT", conflicts_with_all = ["kdf_memory_mib", "kdf_iterations"])]
    pub recipient: Option<String>,
    /// The member's name with --recipient [default: your login name]
    #[arg(long, value_name = "NAME", requires = "recipient")]
    pub member: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the identity [default: <config dir>/vault/identity.txt]
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Add a member holding a recipient; with --project, a project member
    Add(MemberAddArgs),
    /// Remove a member and replace every key it could use
    Remove(MemberRemoveArgs),
    /// List the members
    List(MemberListArgs),
}

#[derive(Debug, Args)]
pub struct MemberAddArgs {
    /// The member's name: letters, digits, '.', '_', '-'
    pub name: String,
    /// age1…, an ssh-ed25519/ssh-rsa public key line, or @PATH of a file holding one
    #[arg(long, value_name = "RECIPIENT")]
    pub recipient: String,
    /// Make it a project member of P (repeatable): it reads P's secrets and the org secrets P may see
    #[arg(long = "project", value_name = "P")]
    pub projects: Vec<String>,
}

#[derive(Debug, Args)]
pub struct MemberRemoveArgs {
    pub name: String,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct MemberListArgs {
    #[command(flatten)]
    pub output: OutputArg,
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
    pub environment: EnvironmentArg,
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
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Branch rule and rotation period, shared by create and update.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Use the values only on a branch matching GLOB (repeatable; `*` any run, `?` one character)
    #[arg(long = "allow-branch", value_name = "GLOB")]
    pub allow_branches: Vec<String>,
    /// How often the values should change: 90d, 12w, … (`vault check` reports it when due)
    #[arg(long, value_name = "DURATION")]
    pub rotate_every: Option<String>,
}

/// The flags that set variables and files, shared by create and update.
#[derive(Debug, Args)]
pub struct ContentArgs {
    /// A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)
    #[arg(short = 'e', long = "env", value_name = "KEY[=VALUE]")]
    pub env: Vec<String>,
    /// A variable set to a fresh random value, never printed. SPEC: N letters and
    /// digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid
    #[arg(short = 'g', long = "generate", value_name = "KEY[=SPEC]")]
    pub generate: Vec<String>,
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

/// `-E`: the environment a command addresses (SPEC.md, "Where things come from").
#[derive(Debug, Args)]
pub struct EnvironmentArg {
    /// The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else
    /// `[branches]` or `environment` in .vault.toml; else none)
    #[arg(short = 'E', long = "environment", value_name = "E")]
    pub environment: Option<String>,
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
    /// List the environments in use, with their number of secret variants
    #[command(visible_alias = "environment")]
    Environments(OutputArg),
}

#[derive(Debug, Args)]
pub struct GetSecretArgs {
    /// Describe this secret: keys, file destinations and sizes, metadata
    pub name: Option<String>,
    #[command(flatten)]
    pub project: ProjectArg,
    #[command(flatten)]
    pub environment: EnvironmentArg,
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
    pub environment: EnvironmentArg,
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
    /// Replace the branch rule: use the values only on a matching branch (repeatable)
    #[arg(long = "allow-branch", value_name = "GLOB")]
    pub allow_branches: Vec<String>,
    /// Clear the branch rule: the values may be used on every branch
    #[arg(long, conflicts_with = "allow_branches")]
    pub allow_all_branches: bool,
    /// How often the values should change (90d, 12w, …), or `never`
    #[arg(long, value_name = "DURATION|never")]
    pub rotate_every: Option<String>,
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
    #[command(flatten)]
    pub environment: EnvironmentArg,
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
    #[command(flatten)]
    pub environment: EnvironmentArg,
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
    #[command(flatten)]
    pub environment: EnvironmentArg,
    /// Inject this secret (repeatable, in order; default: `secrets` in .vault.toml, else all visible)
    #[arg(short = 's', long = "secret", value_name = "NAME")]
    pub secrets: Vec<String>,
    /// Mask values in the output even on a terminal
    #[arg(long, conflicts_with = "no_mask")]
    pub mask: bool,
    /// Do not mask values (also VAULT_MASK=0)
    #[arg(long)]
    pub no_mask: bool,
    /// Render TEMPLATE (see `vault inject`) to DEST for the run, like a file (repeatable)
    #[arg(long = "template", value_name = "TEMPLATE:DEST")]
    pub templates: Vec<String>,
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
#[command(
    after_help = "Examples:\n  TOKEN=$(vault read api TOKEN)\n  vault read db        # a secret with one variable\n  vault read tls --file certs/key.pem > key.pem"
)]
pub struct ReadArgs {
    /// The secret
    pub name: String,
    /// The variable; may be left out when the secret has exactly one
    #[arg(conflicts_with = "file")]
    pub key: Option<String>,
    #[command(flatten)]
    pub project: ProjectArg,
    #[command(flatten)]
    pub environment: EnvironmentArg,
    /// Print the bytes of the secret's file with this destination instead, as they are
    #[arg(long, value_name = "DEST")]
    pub file: Option<String>,
    /// Do not print a newline after the value
    #[arg(short = 'n')]
    pub no_newline: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "A reference is {{ secret('NAME') }} (a secret with one variable) or\n\
{{ secret('NAME', 'KEY') }}, optionally followed by | base64 or | json; {{{{ is a literal {{.\n\n\
Examples:\n  vault inject -i config.yml.tpl -o config.yml\n  vault inject < app.conf.tpl | kubectl apply -f -"
)]
pub struct InjectArgs {
    /// The template (default: stdin; `-` is stdin too)
    #[arg(short = 'i', long = "in-file", value_name = "TEMPLATE")]
    pub in_file: Option<PathBuf>,
    /// Write the result here, atomically with mode 0600 (default: stdout)
    #[arg(short = 'o', long = "out-file", value_name = "OUT")]
    pub out_file: Option<PathBuf>,
    /// Replace OUT if it exists
    #[arg(long, requires = "out_file")]
    pub force: bool,
    #[command(flatten)]
    pub project: ProjectArg,
    #[command(flatten)]
    pub environment: EnvironmentArg,
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
    #[command(flatten)]
    pub environment: EnvironmentArg,
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
    #[command(flatten)]
    pub environment: EnvironmentArg,
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
    /// `SECRET_KEY=<base64 of the value>` lines, as Kestra's open-source edition reads them
    Kestra,
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

#[derive(Debug, Subcommand)]
pub enum GitCommand {
    /// Make the git work tree around the vault merge and diff it with `vault`
    ///
    /// Adds `PATH merge=vault diff=vault` to the .gitattributes at the work
    /// tree's root, sets merge.vault.driver and diff.vault.textconv in the
    /// repository's own config, and adds the vault's backup, lock and audit
    /// files to .gitignore. Running it again changes nothing.
    Setup,
    /// Git's merge driver: merge three versions of the vault file into OURS
    ///
    /// Merges each variable, file, description, allow-list, branch rule,
    /// rotation period and member on its own; a member removed on either side
    /// cannot read the result. Needs a full member's key (exit 4 without one).
    /// Exit 0 when merged; exit 1 on conflicts, each named on stderr, with
    /// OURS holding a valid vault with our side of each conflict.
    Merge(GitMergeArgs),
    /// Git's textconv: a line-per-item view of a vault file, without values
    ///
    /// Each value is shown as a keyed fingerprint that changes when it
    /// changes. Without a key, only what the header shows.
    Show(GitShowArgs),
}

#[derive(Debug, Args)]
pub struct GitMergeArgs {
    /// The common ancestor's version (git's %O)
    pub base: PathBuf,
    /// Our version, replaced by the merge (git's %A)
    pub ours: PathBuf,
    /// Their version (git's %B)
    pub theirs: PathBuf,
}

#[derive(Debug, Args)]
pub struct GitShowArgs {
    /// The vault file to show
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// What to list: secrets, projects or environments
    pub what: String,
    #[command(flatten)]
    pub project: ProjectArg,
    #[command(flatten)]
    pub environment: EnvironmentArg,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when nothing is due, 1 when anything is.\n\
Example, in a scheduled CI job:\n  vault check --all --unread-for 90d"
)]
pub struct CheckArgs {
    #[command(flatten)]
    pub project: ProjectArg,
    /// Check the secrets of every scope and environment (ignores -p and VAULT_PROJECT)
    #[arg(long)]
    pub all: bool,
    /// Also list secrets whose values were not used for this long (90d, 12w, …), or never
    #[arg(long, value_name = "DURATION")]
    pub unread_for: Option<String>,
    #[command(flatten)]
    pub output: OutputArg,
}
