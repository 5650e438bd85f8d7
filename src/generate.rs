//! Shell completions and man pages, generated from the command definition in
//! `cli.rs`. Copies are committed under `completions/` and `man/`; the test
//! `tests/generated.rs` fails when they are stale, and
//! `UPDATE_GENERATED=1 cargo test --test generated` rewrites them.
//!
//! clap_complete's scripts complete the command line statically. For bash, zsh
//! and fish they are extended here to complete secret and project names too,
//! by calling the hidden `vault __complete secrets|projects`, which answers
//! only while a session is unlocked (`VAULT_SESSION`) and never prompts.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The shells `vault completions` supports, with the file each script is
/// committed as under `completions/`.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "vault.bash"),
    (Shell::Zsh, "_vault"),
    (Shell::Fish, "vault.fish"),
    (Shell::PowerShell, "_vault.ps1"),
    (Shell::Elvish, "vault.elv"),
];

/// The completion script `vault completions SHELL` prints.
pub fn completion_script(shell: Shell) -> String {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "vault", &mut script);
    let script = String::from_utf8(script).expect("clap_complete writes UTF-8");
    let script = without_internal_command(&script);
    match shell {
        Shell::Bash => format!("{script}\n{BASH_NAMES}"),
        Shell::Zsh => zsh_with_names(&script),
        Shell::Fish => format!("{script}\n{FISH_NAMES}"),
        _ => script,
    }
}

/// clap_complete offers hidden subcommands too: take `__complete` out of the
/// candidates (bash's word lists; the other shells' candidate lines), leaving
/// the parsing rules that recognise it intact.
fn without_internal_command(script: &str) -> String {
    let offers = |line: &str| {
        let line = line.trim_start();
        line.starts_with("'__complete:")
            || line.contains("-a \"__complete\"")
            || line.contains("CompletionResult]::new('__complete'")
            || line.starts_with("cand __complete ")
    };
    let mut out = String::with_capacity(script.len());
    for line in script.lines().filter(|line| !offers(line)) {
        if line.trim_start().starts_with("opts=\"") {
            out.push_str(&line.replace(" __complete ", " "));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// One man page per command and subcommand, as (file name, roff): `vault.1`,
/// `vault-create.1`, `vault-create-secret.1`, … Hidden commands are left out.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    add_pages(command, &mut pages);
    pages.sort();
    pages
}

fn add_pages(command: clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        add_pages(sub.clone(), pages);
    }
    let man = clap_mangen::Man::new(command);
    let mut roff = Vec::new();
    man.render(&mut roff)
        .expect("rendering to memory cannot fail");
    pages.push((man.get_filename(), roff));
}

/// Bash: a wrapper around clap_complete's `_vault` that offers names where a
/// secret or project is expected, and defers to `_vault` everywhere else.
const BASH_NAMES: &str = r#"# Secret and project names, while a session is unlocked (vault unlock).
_vault_dynamic_names() {
    [[ -n "${VAULT_SESSION:-}" ]] || return 0
    local bin="${COMP_WORDS[0]}"
    [[ "$bin" == */* ]] || bin=vault
    if [[ -n "$2" ]]; then
        command "$bin" __complete "$1" -p "$2" 2>/dev/null
    else
        command "$bin" __complete "$1" 2>/dev/null
    fi
}

_vault_dynamic() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev=""
    (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    local i word verb="" resource="" project="" positionals=0
    for (( i = 1; i < COMP_CWORD; i++ )); do
        word="${COMP_WORDS[i]}"
        case "$word" in
            --) break ;;
            -p|--project)
                (( i + 1 < COMP_CWORD )) && project="${COMP_WORDS[i+1]}"
                (( i++ )) ;;
            --vault|--passphrase-file|-e|--env|-f|--file|--env-file|--description|\
            --allow-project|-s|--secret|--format|-o|--output|--ttl|--shell|--search|\
            --unset|--remove-file|-n|--kdf-memory-mib|--kdf-iterations|-g|--generate|\
            --template|-i|--in-file|--out-file)
                (( i++ )) ;;
            -*) ;;
            *)
                if [[ -z "$verb" ]]; then
                    verb="$word"
                elif [[ -z "$resource" && "$verb" =~ ^(create|get|update|edit|delete)$ ]]; then
                    resource="$word"
                else
                    (( positionals++ ))
                fi ;;
        esac
    done
    local what=""
    case "$prev" in
        -p|--project|--allow-project) what=projects ;;
        -s|--secret) [[ "$verb" == exec || "$verb" == import ]] && what=secrets ;;
        *)
            if [[ "$cur" != -* && $positionals -eq 0 ]]; then
                case "$verb,$resource" in
                    get,secret|get,secrets|update,secret|update,secrets|edit,secret|\
                    edit,secrets|delete,secret|delete,secrets|export,|read,) what=secrets ;;
                esac
            fi ;;
    esac
    if [[ -n "$what" ]]; then
        local names
        names="$(_vault_dynamic_names "$what" "$project")"
        if [[ -n "$names" ]]; then
            COMPREPLY=( $(compgen -W "$names" -- "$cur") )
            return 0
        fi
    fi
    _vault "$@"
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _vault_dynamic -o nosort -o bashdefault -o default vault
else
    complete -F _vault_dynamic -o bashdefault -o default vault
fi
"#;

/// Zsh: clap_complete's `_default` for the values that name a project or an
/// existing secret becomes a function that asks `vault __complete`.
fn zsh_with_names(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + ZSH_NAMES.len());
    for line in script.lines() {
        let named = if line.ends_with(":P:_default' \\") {
            line.replace(":P:_default'", ":P:_vault_dynamic_projects'")
        } else if is_zsh_secret_name(line) {
            line.replace(":_default' \\", ":_vault_dynamic_secrets' \\")
        } else {
            line.to_owned()
        };
        if line.starts_with("if [ \"$funcstack[1]\" = \"_vault\" ]") {
            out.push_str(ZSH_NAMES);
            out.push('\n');
        }
        out.push_str(&named);
        out.push('\n');
    }
    out
}

/// The positional NAME of get/update/edit/delete/export/read (not create's, which
/// names a new secret), and the values of `exec -s` and `import --secret`.
fn is_zsh_secret_name(line: &str) -> bool {
    let positional = (line.starts_with("':name") || line.starts_with("'::name"))
        && !line.contains("letters, digits");
    let option = line.ends_with(":NAME:_default' \\") && line.contains("secret");
    (positional || option) && line.ends_with(":_default' \\")
}

const ZSH_NAMES: &str = r#"# Secret and project names, while a session is unlocked (vault unlock).
(( $+functions[_vault_dynamic_names] )) ||
_vault_dynamic_names() {
    [[ -n "${VAULT_SESSION:-}" ]] || return 1
    local -a names project
    local i
    for (( i = 1; i < CURRENT; i++ )); do
        case "${words[i]}" in
            -p|--project) project=(-p "${words[i+1]}") ;;
            --project=*) project=(-p "${words[i]#--project=}") ;;
        esac
    done
    names=(${(f)"$(command vault __complete "$1" "${project[@]}" 2>/dev/null)"})
    (( ${#names} )) || return 1
    compadd -a names
}
(( $+functions[_vault_dynamic_secrets] )) ||
_vault_dynamic_secrets() {
    _vault_dynamic_names secrets || _default
}
(( $+functions[_vault_dynamic_projects] )) ||
_vault_dynamic_projects() {
    _vault_dynamic_names projects || _default
}
"#;

/// Fish: more candidates for the same positions; fish merges them with clap's.
const FISH_NAMES: &str = r#"# Secret and project names, while a session is unlocked (vault unlock).
function __fish_vault_dynamic_names
    set -q VAULT_SESSION; or return
    set -l tokens (commandline -opc)
    set -l project
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case -p --project
                if test $i -lt (count $tokens)
                    set project -p $tokens[(math $i + 1)]
                end
            case '--project=*'
                set project -p (string replace -- --project= '' $tokens[$i])
        end
    end
    command vault __complete $argv[1] $project 2>/dev/null
end

function __fish_vault_dynamic_wants_secret
    set -l tokens (commandline -opc)
    set -e tokens[1]
    argparse -i p/project= vault= passphrase-file= o/output= search= e/env= f/file= \
        env-file= unset= remove-file= description= allow-project= format= g/generate= \
        template= i/in-file= out-file= -- $tokens 2>/dev/null
    or return 1
    switch "$argv[1]"
        case export read
            test (count $argv) -eq 1
        case get update edit delete
            contains -- "$argv[2]" secret secrets; and test (count $argv) -eq 2
        case '*'
            return 1
    end
end

complete -c vault -n "__fish_vault_dynamic_wants_secret" -f -a "(__fish_vault_dynamic_names secrets)"
complete -c vault -n "__fish_vault_using_subcommand exec" -s s -l secret -x -a "(__fish_vault_dynamic_names secrets)"
complete -c vault -n "__fish_vault_using_subcommand import" -l secret -x -a "(__fish_vault_dynamic_names secrets)"
complete -c vault -s p -l project -x -a "(__fish_vault_dynamic_names projects)"
complete -c vault -l allow-project -x -a "(__fish_vault_dynamic_names projects)"
"#;
