# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vault_global_optspecs
    string join \n vault= passphrase-file= identity= h/help V/version
end

function __fish_vault_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_vault_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_vault_using_subcommand
    set -l cmd (__fish_vault_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c vault -n "__fish_vault_needs_command" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_needs_command" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_needs_command" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_needs_command" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_needs_command" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_needs_command" -f -a "init" -d 'Create a new vault (asks for the passphrase twice on a terminal)'
complete -c vault -n "__fish_vault_needs_command" -f -a "create" -d 'Create a secret'
complete -c vault -n "__fish_vault_needs_command" -f -a "get" -d 'List secrets, describe one, or list projects'
complete -c vault -n "__fish_vault_needs_command" -f -a "update" -d 'Change part of a secret: for scripts and rotation'
complete -c vault -n "__fish_vault_needs_command" -f -a "edit" -d 'Edit a whole secret as TOML in $VISUAL or $EDITOR'
complete -c vault -n "__fish_vault_needs_command" -f -a "delete" -d 'Delete a secret'
complete -c vault -n "__fish_vault_needs_command" -f -a "read" -d 'Print one raw value, for scripts: TOKEN=$(vault read api TOKEN)'
complete -c vault -n "__fish_vault_needs_command" -f -a "exec" -d 'Run a command with secrets injected as environment variables and files'
complete -c vault -n "__fish_vault_needs_command" -f -a "inject" -d 'Render a template, replacing each {{ secret(\'NAME\', \'KEY\') }} with its value'
complete -c vault -n "__fish_vault_needs_command" -f -a "import" -d 'Load a .env file or a flat JSON object into a secret'
complete -c vault -n "__fish_vault_needs_command" -f -a "export" -d 'Print a secret\'s variables, quoted so that they read back exactly'
complete -c vault -n "__fish_vault_needs_command" -f -a "unlock" -d 'Start a session: prints `export VAULT_SESSION=…` for `eval "$(vault unlock)"`'
complete -c vault -n "__fish_vault_needs_command" -f -a "lock" -d 'End every session of this vault'
complete -c vault -n "__fish_vault_needs_command" -f -a "passwd" -d 'Change the passphrase (ends every session)'
complete -c vault -n "__fish_vault_needs_command" -f -a "keygen" -d 'Make an age identity and print its recipient'
complete -c vault -n "__fish_vault_needs_command" -f -a "member" -d 'Add, remove or list the members who hold a key to the vault'
complete -c vault -n "__fish_vault_needs_command" -f -a "rekey" -d 'Replace every key of the vault and seal everything again (ends every session)'
complete -c vault -n "__fish_vault_needs_command" -f -a "upgrade" -d 'Rewrite a vault of an older format in the current one (keeps the old file as .bak)'
complete -c vault -n "__fish_vault_needs_command" -f -a "log" -d 'Show the audit trail, oldest first'
complete -c vault -n "__fish_vault_needs_command" -f -a "check" -d 'List secrets due for rotation (or unread too long); exit 1 when any'
complete -c vault -n "__fish_vault_needs_command" -f -a "git" -d 'Keep the vault in git: set up the merge driver and diff view, or run them'
complete -c vault -n "__fish_vault_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c vault -n "__fish_vault_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand init" -l kdf-memory-mib -d 'Argon2id memory in MiB (default 160; at least 64 is recommended)' -r
complete -c vault -n "__fish_vault_using_subcommand init" -l kdf-iterations -d 'Argon2id iterations (default 3)' -r
complete -c vault -n "__fish_vault_using_subcommand init" -l recipient -d 'Make the one member this recipient (age1…, an ssh-ed25519/ssh-rsa key, or @PATH) instead of a passphrase' -r
complete -c vault -n "__fish_vault_using_subcommand init" -l member -d 'The member\'s name with --recipient [default: your login name]' -r
complete -c vault -n "__fish_vault_using_subcommand init" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand init" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand init" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand init" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand init" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand create; and not __fish_seen_subcommand_from secret secrets help" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and not __fish_seen_subcommand_from secret secrets help" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and not __fish_seen_subcommand_from secret secrets help" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and not __fish_seen_subcommand_from secret secrets help" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand create; and not __fish_seen_subcommand_from secret secrets help" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand create; and not __fish_seen_subcommand_from secret secrets help" -f -a "secret" -d 'Create a secret from variables and files'
complete -c vault -n "__fish_vault_using_subcommand create; and not __fish_seen_subcommand_from secret secrets help" -f -a "secrets" -d 'Create a secret from variables and files'
complete -c vault -n "__fish_vault_using_subcommand create; and not __fish_seen_subcommand_from secret secrets help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -s e -l env -d 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -s g -l generate -d 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -s f -l file -d 'A file: the local file\'s contents, written at DEST when injected' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -l env-file -d 'Read variables from a .env file' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -l description -d 'A description of the secret' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -l allow-project -d 'Org-level secrets only: the projects allowed to see it (repeatable; default all)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -l allow-branch -d 'Use the values only on a branch matching GLOB (repeatable; `*` any run, `?` one character)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -l rotate-every -d 'How often the values should change: 90d, 12w, … (`vault check` reports it when due)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secret" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -s e -l env -d 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -s g -l generate -d 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -s f -l file -d 'A file: the local file\'s contents, written at DEST when injected' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -l env-file -d 'Read variables from a .env file' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -l description -d 'A description of the secret' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -l allow-project -d 'Org-level secrets only: the projects allowed to see it (repeatable; default all)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -l allow-branch -d 'Use the values only on a branch matching GLOB (repeatable; `*` any run, `?` one character)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -l rotate-every -d 'How often the values should change: 90d, 12w, … (`vault check` reports it when due)' -r
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from secrets" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from help" -f -a "secret" -d 'Create a secret from variables and files'
complete -c vault -n "__fish_vault_using_subcommand create; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -f -a "secret" -d 'List secrets (never values), or describe one when NAME is given'
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -f -a "secrets" -d 'List secrets (never values), or describe one when NAME is given'
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -f -a "projects" -d 'List projects with their secret counts'
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -f -a "project" -d 'List projects with their secret counts'
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -f -a "environments" -d 'List the environments in use, with their number of secret variants'
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -f -a "environment" -d 'List the environments in use, with their number of secret variants'
complete -c vault -n "__fish_vault_using_subcommand get; and not __fish_seen_subcommand_from secret secrets projects project environments environment help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -l search -d 'List only secrets whose name or description contains TEXT' -r
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -l all -d 'List the secrets of every scope (ignores -p and VAULT_PROJECT)'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -l reveal -d 'Show the values too (recorded in the audit trail)'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secret" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -l search -d 'List only secrets whose name or description contains TEXT' -r
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -l all -d 'List the secrets of every scope (ignores -p and VAULT_PROJECT)'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -l reveal -d 'Show the values too (recorded in the audit trail)'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from secrets" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from projects" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from projects" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from projects" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from projects" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from projects" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from projects" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from project" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from project" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from project" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from project" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from project" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from project" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environments" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environments" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environments" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environments" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environments" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environments" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environment" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environment" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environment" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environment" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environment" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from environment" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from help" -f -a "secret" -d 'List secrets (never values), or describe one when NAME is given'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from help" -f -a "projects" -d 'List projects with their secret counts'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from help" -f -a "environments" -d 'List the environments in use, with their number of secret variants'
complete -c vault -n "__fish_vault_using_subcommand get; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand update; and not __fish_seen_subcommand_from secret secrets help" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand update; and not __fish_seen_subcommand_from secret secrets help" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand update; and not __fish_seen_subcommand_from secret secrets help" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand update; and not __fish_seen_subcommand_from secret secrets help" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand update; and not __fish_seen_subcommand_from secret secrets help" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand update; and not __fish_seen_subcommand_from secret secrets help" -f -a "secret" -d 'Change part of a secret'
complete -c vault -n "__fish_vault_using_subcommand update; and not __fish_seen_subcommand_from secret secrets help" -f -a "secrets" -d 'Change part of a secret'
complete -c vault -n "__fish_vault_using_subcommand update; and not __fish_seen_subcommand_from secret secrets help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -s e -l env -d 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -s g -l generate -d 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -s f -l file -d 'A file: the local file\'s contents, written at DEST when injected' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l unset -d 'Remove a variable (repeatable)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l remove-file -d 'Remove a file by its destination (repeatable)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l description -d 'Replace the description' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l allow-project -d 'Replace the allow-list of an org-level secret (repeatable)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l allow-branch -d 'Replace the branch rule: use the values only on a matching branch (repeatable)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l rotate-every -d 'How often the values should change (90d, 12w, …), or `never`' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l allow-all-projects -d 'Clear the allow-list: every project may see this org-level secret'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -l allow-all-branches -d 'Clear the branch rule: the values may be used on every branch'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secret" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -s e -l env -d 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -s g -l generate -d 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -s f -l file -d 'A file: the local file\'s contents, written at DEST when injected' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l unset -d 'Remove a variable (repeatable)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l remove-file -d 'Remove a file by its destination (repeatable)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l description -d 'Replace the description' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l allow-project -d 'Replace the allow-list of an org-level secret (repeatable)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l allow-branch -d 'Replace the branch rule: use the values only on a matching branch (repeatable)' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l rotate-every -d 'How often the values should change (90d, 12w, …), or `never`' -r
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l allow-all-projects -d 'Clear the allow-list: every project may see this org-level secret'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -l allow-all-branches -d 'Clear the branch rule: the values may be used on every branch'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from secrets" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from help" -f -a "secret" -d 'Change part of a secret'
complete -c vault -n "__fish_vault_using_subcommand update; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand edit; and not __fish_seen_subcommand_from secret secrets help" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand edit; and not __fish_seen_subcommand_from secret secrets help" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand edit; and not __fish_seen_subcommand_from secret secrets help" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand edit; and not __fish_seen_subcommand_from secret secrets help" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand edit; and not __fish_seen_subcommand_from secret secrets help" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand edit; and not __fish_seen_subcommand_from secret secrets help" -f -a "secret" -d 'Edit a secret in $VISUAL or $EDITOR (else vi)'
complete -c vault -n "__fish_vault_using_subcommand edit; and not __fish_seen_subcommand_from secret secrets help" -f -a "secrets" -d 'Edit a secret in $VISUAL or $EDITOR (else vi)'
complete -c vault -n "__fish_vault_using_subcommand edit; and not __fish_seen_subcommand_from secret secrets help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secret" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secret" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secret" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secret" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secret" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secret" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secret" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secrets" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secrets" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secrets" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secrets" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secrets" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secrets" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from secrets" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from help" -f -a "secret" -d 'Edit a secret in $VISUAL or $EDITOR (else vi)'
complete -c vault -n "__fish_vault_using_subcommand edit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand delete; and not __fish_seen_subcommand_from secret secrets help" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand delete; and not __fish_seen_subcommand_from secret secrets help" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand delete; and not __fish_seen_subcommand_from secret secrets help" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand delete; and not __fish_seen_subcommand_from secret secrets help" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand delete; and not __fish_seen_subcommand_from secret secrets help" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand delete; and not __fish_seen_subcommand_from secret secrets help" -f -a "secret" -d 'Delete a secret (asks on a terminal; --yes otherwise)'
complete -c vault -n "__fish_vault_using_subcommand delete; and not __fish_seen_subcommand_from secret secrets help" -f -a "secrets" -d 'Delete a secret (asks on a terminal; --yes otherwise)'
complete -c vault -n "__fish_vault_using_subcommand delete; and not __fish_seen_subcommand_from secret secrets help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secret" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secret" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secret" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secret" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secret" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secret" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secret" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secret" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secrets" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secrets" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secrets" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secrets" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secrets" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secrets" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secrets" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from secrets" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from help" -f -a "secret" -d 'Delete a secret (asks on a terminal; --yes otherwise)'
complete -c vault -n "__fish_vault_using_subcommand delete; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand read" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand read" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand read" -l file -d 'Print the bytes of the secret\'s file with this destination instead, as they are' -r
complete -c vault -n "__fish_vault_using_subcommand read" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand read" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand read" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand read" -s n -d 'Do not print a newline after the value'
complete -c vault -n "__fish_vault_using_subcommand read" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand read" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand exec" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -s s -l secret -d 'Inject this secret (repeatable, in order; default: `secrets` in .vault.toml, else all visible)' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l template -d 'Render TEMPLATE (see `vault inject`) to DEST for the run, like a file (repeatable)' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand exec" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand exec" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand exec" -l mask -d 'Mask values in the output even on a terminal'
complete -c vault -n "__fish_vault_using_subcommand exec" -l no-mask -d 'Do not mask values (also VAULT_MASK=0)'
complete -c vault -n "__fish_vault_using_subcommand exec" -l pty -d 'Run the command on a pseudo-terminal and mask what it shows (needs a terminal)'
complete -c vault -n "__fish_vault_using_subcommand exec" -l dry-run -d 'Print what would be injected, without values, and run nothing'
complete -c vault -n "__fish_vault_using_subcommand exec" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand exec" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand inject" -s i -l in-file -d 'The template (default: stdin; `-` is stdin too)' -r -F
complete -c vault -n "__fish_vault_using_subcommand inject" -s o -l out-file -d 'Write the result here, atomically with mode 0600 (default: stdout)' -r -F
complete -c vault -n "__fish_vault_using_subcommand inject" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand inject" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand inject" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand inject" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand inject" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand inject" -l force -d 'Replace OUT if it exists'
complete -c vault -n "__fish_vault_using_subcommand inject" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand inject" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand import" -l secret -d 'The secret to create or add to' -r
complete -c vault -n "__fish_vault_using_subcommand import" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand import" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand import" -l format -d 'The file\'s format [default: json for *.json, else dotenv]' -r -f -a "dotenv\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand import" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand import" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand import" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand import" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand import" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand export" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand export" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand export" -l format -d 'Output format' -r -f -a "dotenv\t'KEY="value" lines that dotenv parsers read back'
json\t'A flat {"KEY": "value"} object'
shell\t'`export KEY=\'value\'` lines for `. file` in sh'
kestra\t'`SECRET_KEY=<base64 of the value>` lines, as Kestra\'s open-source edition reads them'"
complete -c vault -n "__fish_vault_using_subcommand export" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand export" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand export" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand export" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand unlock" -l ttl -d 'How long the session lasts: 90s, 10m, 1h, 1d' -r
complete -c vault -n "__fish_vault_using_subcommand unlock" -l shell -d 'The shell syntax to print' -r -f -a "sh\t'bash, zsh, sh'
fish\t''"
complete -c vault -n "__fish_vault_using_subcommand unlock" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand unlock" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand unlock" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand unlock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand unlock" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand lock" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand lock" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand lock" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand lock" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand lock" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand passwd" -l kdf-memory-mib -d 'New Argon2id memory in MiB (default: keep the current one)' -r
complete -c vault -n "__fish_vault_using_subcommand passwd" -l kdf-iterations -d 'New Argon2id iterations (default: keep the current one)' -r
complete -c vault -n "__fish_vault_using_subcommand passwd" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand passwd" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand passwd" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand passwd" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand passwd" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand keygen" -s o -l output -d 'Where to write the identity [default: <config dir>/vault/identity.txt]' -r -F
complete -c vault -n "__fish_vault_using_subcommand keygen" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand keygen" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand keygen" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand keygen" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand keygen" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand member; and not __fish_seen_subcommand_from add remove list help" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and not __fish_seen_subcommand_from add remove list help" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and not __fish_seen_subcommand_from add remove list help" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and not __fish_seen_subcommand_from add remove list help" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand member; and not __fish_seen_subcommand_from add remove list help" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand member; and not __fish_seen_subcommand_from add remove list help" -f -a "add" -d 'Add a member holding a recipient; with --project, a project member'
complete -c vault -n "__fish_vault_using_subcommand member; and not __fish_seen_subcommand_from add remove list help" -f -a "remove" -d 'Remove a member and replace every key it could use'
complete -c vault -n "__fish_vault_using_subcommand member; and not __fish_seen_subcommand_from add remove list help" -f -a "list" -d 'List the members'
complete -c vault -n "__fish_vault_using_subcommand member; and not __fish_seen_subcommand_from add remove list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from add" -l recipient -d 'age1…, an ssh-ed25519/ssh-rsa public key line, or @PATH of a file holding one' -r
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from add" -l project -d 'Make it a project member of P (repeatable): it reads P\'s secrets and the org secrets P may see' -r
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from add" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from add" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from add" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from remove" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from remove" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from remove" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from list" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from list" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from list" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a member holding a recipient; with --project, a project member'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a member and replace every key it could use'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the members'
complete -c vault -n "__fish_vault_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand rekey" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand rekey" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand rekey" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand rekey" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand rekey" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand upgrade" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand upgrade" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand upgrade" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand upgrade" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand upgrade" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand log" -s n -d 'Show only the newest N entries' -r
complete -c vault -n "__fish_vault_using_subcommand log" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand log" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand log" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand log" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand log" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand log" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand check" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand check" -l unread-for -d 'Also list secrets whose values were not used for this long (90d, 12w, …), or never' -r
complete -c vault -n "__fish_vault_using_subcommand check" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c vault -n "__fish_vault_using_subcommand check" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand check" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand check" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand check" -l all -d 'Check the secrets of every scope and environment (ignores -p and VAULT_PROJECT)'
complete -c vault -n "__fish_vault_using_subcommand check" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand check" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand git; and not __fish_seen_subcommand_from setup merge show help" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and not __fish_seen_subcommand_from setup merge show help" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and not __fish_seen_subcommand_from setup merge show help" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and not __fish_seen_subcommand_from setup merge show help" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand git; and not __fish_seen_subcommand_from setup merge show help" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand git; and not __fish_seen_subcommand_from setup merge show help" -f -a "setup" -d 'Make the git work tree around the vault merge and diff it with `vault`'
complete -c vault -n "__fish_vault_using_subcommand git; and not __fish_seen_subcommand_from setup merge show help" -f -a "merge" -d 'Git\'s merge driver: merge three versions of the vault file into OURS'
complete -c vault -n "__fish_vault_using_subcommand git; and not __fish_seen_subcommand_from setup merge show help" -f -a "show" -d 'Git\'s textconv: a line-per-item view of a vault file, without values'
complete -c vault -n "__fish_vault_using_subcommand git; and not __fish_seen_subcommand_from setup merge show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from setup" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from setup" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from setup" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from setup" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from merge" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from merge" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from merge" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from merge" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from show" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from show" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from show" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "setup" -d 'Make the git work tree around the vault merge and diff it with `vault`'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "merge" -d 'Git\'s merge driver: merge three versions of the vault file into OURS'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "show" -d 'Git\'s textconv: a line-per-item view of a vault file, without values'
complete -c vault -n "__fish_vault_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand completions" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand completions" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand completions" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand completions" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand completions" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand __complete" -s p -l project -d 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)' -r
complete -c vault -n "__fish_vault_using_subcommand __complete" -s E -l environment -d 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)' -r
complete -c vault -n "__fish_vault_using_subcommand __complete" -l vault -d 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]' -r -F
complete -c vault -n "__fish_vault_using_subcommand __complete" -l passphrase-file -d 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand __complete" -l identity -d 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)' -r -F
complete -c vault -n "__fish_vault_using_subcommand __complete" -s h -l help -d 'Print help'
complete -c vault -n "__fish_vault_using_subcommand __complete" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "init" -d 'Create a new vault (asks for the passphrase twice on a terminal)'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "create" -d 'Create a secret'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "get" -d 'List secrets, describe one, or list projects'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "update" -d 'Change part of a secret: for scripts and rotation'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "edit" -d 'Edit a whole secret as TOML in $VISUAL or $EDITOR'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "delete" -d 'Delete a secret'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "read" -d 'Print one raw value, for scripts: TOKEN=$(vault read api TOKEN)'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "exec" -d 'Run a command with secrets injected as environment variables and files'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "inject" -d 'Render a template, replacing each {{ secret(\'NAME\', \'KEY\') }} with its value'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "import" -d 'Load a .env file or a flat JSON object into a secret'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "export" -d 'Print a secret\'s variables, quoted so that they read back exactly'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "unlock" -d 'Start a session: prints `export VAULT_SESSION=…` for `eval "$(vault unlock)"`'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "lock" -d 'End every session of this vault'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "passwd" -d 'Change the passphrase (ends every session)'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "keygen" -d 'Make an age identity and print its recipient'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "member" -d 'Add, remove or list the members who hold a key to the vault'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "rekey" -d 'Replace every key of the vault and seal everything again (ends every session)'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "upgrade" -d 'Rewrite a vault of an older format in the current one (keeps the old file as .bak)'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "log" -d 'Show the audit trail, oldest first'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "check" -d 'List secrets due for rotation (or unread too long); exit 1 when any'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "git" -d 'Keep the vault in git: set up the merge driver and diff view, or run them'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "completions" -d 'Print a shell completion script'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from init create get update edit delete read exec inject import export unlock lock passwd keygen member rekey upgrade log check git completions __complete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from create" -f -a "secret" -d 'Create a secret from variables and files'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from get" -f -a "secret" -d 'List secrets (never values), or describe one when NAME is given'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from get" -f -a "projects" -d 'List projects with their secret counts'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from get" -f -a "environments" -d 'List the environments in use, with their number of secret variants'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from update" -f -a "secret" -d 'Change part of a secret'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from edit" -f -a "secret" -d 'Edit a secret in $VISUAL or $EDITOR (else vi)'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from delete" -f -a "secret" -d 'Delete a secret (asks on a terminal; --yes otherwise)'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from member" -f -a "add" -d 'Add a member holding a recipient; with --project, a project member'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from member" -f -a "remove" -d 'Remove a member and replace every key it could use'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from member" -f -a "list" -d 'List the members'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from git" -f -a "setup" -d 'Make the git work tree around the vault merge and diff it with `vault`'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from git" -f -a "merge" -d 'Git\'s merge driver: merge three versions of the vault file into OURS'
complete -c vault -n "__fish_vault_using_subcommand help; and __fish_seen_subcommand_from git" -f -a "show" -d 'Git\'s textconv: a line-per-item view of a vault file, without values'

# Secret and project names, while a session is unlocked (vault unlock).
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
        env-file= unset= remove-file= description= allow-project= format= E/environment= \
        allow-branch= rotate-every= g/generate= template= i/in-file= out-file= -- $tokens 2>/dev/null
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
complete -c vault -s E -l environment -x -a "(__fish_vault_dynamic_names environments)"
