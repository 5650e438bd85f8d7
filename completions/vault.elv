
use builtin;
use str;

set edit:completion:arg-completer[vault] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'vault'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'vault'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a new vault (asks for the passphrase twice on a terminal)'
            cand create 'Create a secret'
            cand get 'List secrets, describe one, or list projects'
            cand update 'Change part of a secret: for scripts and rotation'
            cand edit 'Edit a whole secret as TOML in $VISUAL or $EDITOR'
            cand delete 'Delete a secret'
            cand read 'Print one raw value, for scripts: TOKEN=$(vault read api TOKEN)'
            cand exec 'Run a command with secrets injected as environment variables and files'
            cand inject 'Render a template, replacing each {{ secret(''NAME'', ''KEY'') }} with its value'
            cand import 'Load a .env file or a flat JSON object into a secret'
            cand export 'Print a secret''s variables, quoted so that they read back exactly'
            cand unlock 'Start a session: prints `export VAULT_SESSION=…` for `eval "$(vault unlock)"`'
            cand lock 'End every session of this vault'
            cand passwd 'Change the passphrase (ends every session)'
            cand keygen 'Make an age identity and print its recipient'
            cand member 'Add, remove or list the members who hold a key to the vault'
            cand rekey 'Replace every key of the vault and seal everything again (ends every session)'
            cand upgrade 'Rewrite a vault of an older format in the current one (keeps the old file as .bak)'
            cand log 'Show the audit trail, oldest first'
            cand check 'List secrets due for rotation (or unread too long); exit 1 when any'
            cand git 'Keep the vault in git: set up the merge driver and diff view, or run them'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;init'= {
            cand --kdf-memory-mib 'Argon2id memory in MiB (default 160; at least 64 is recommended)'
            cand --kdf-iterations 'Argon2id iterations (default 3)'
            cand --recipient 'Make the one member this recipient (age1…, an ssh-ed25519/ssh-rsa key, or @PATH) instead of a passphrase'
            cand --member 'The member''s name with --recipient [default: your login name]'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;create'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand secret 'Create a secret from variables and files'
            cand secrets 'Create a secret from variables and files'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;create;secret'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand -e 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)'
            cand --env 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)'
            cand -g 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid'
            cand --generate 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid'
            cand -f 'A file: the local file''s contents, written at DEST when injected'
            cand --file 'A file: the local file''s contents, written at DEST when injected'
            cand --env-file 'Read variables from a .env file'
            cand --description 'A description of the secret'
            cand --allow-project 'Org-level secrets only: the projects allowed to see it (repeatable; default all)'
            cand --allow-branch 'Use the values only on a branch matching GLOB (repeatable; `*` any run, `?` one character)'
            cand --rotate-every 'How often the values should change: 90d, 12w, … (`vault check` reports it when due)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;create;secrets'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand -e 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)'
            cand --env 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)'
            cand -g 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid'
            cand --generate 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid'
            cand -f 'A file: the local file''s contents, written at DEST when injected'
            cand --file 'A file: the local file''s contents, written at DEST when injected'
            cand --env-file 'Read variables from a .env file'
            cand --description 'A description of the secret'
            cand --allow-project 'Org-level secrets only: the projects allowed to see it (repeatable; default all)'
            cand --allow-branch 'Use the values only on a branch matching GLOB (repeatable; `*` any run, `?` one character)'
            cand --rotate-every 'How often the values should change: 90d, 12w, … (`vault check` reports it when due)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;create;help'= {
            cand secret 'Create a secret from variables and files'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;create;help;secret'= {
        }
        &'vault;create;help;help'= {
        }
        &'vault;get'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand secret 'List secrets (never values), or describe one when NAME is given'
            cand secrets 'List secrets (never values), or describe one when NAME is given'
            cand projects 'List projects with their secret counts'
            cand project 'List projects with their secret counts'
            cand environments 'List the environments in use, with their number of secret variants'
            cand environment 'List the environments in use, with their number of secret variants'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;get;secret'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --search 'List only secrets whose name or description contains TEXT'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand --all 'List the secrets of every scope (ignores -p and VAULT_PROJECT)'
            cand --reveal 'Show the values too (recorded in the audit trail)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;get;secrets'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --search 'List only secrets whose name or description contains TEXT'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand --all 'List the secrets of every scope (ignores -p and VAULT_PROJECT)'
            cand --reveal 'Show the values too (recorded in the audit trail)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;get;projects'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;get;project'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;get;environments'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;get;environment'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;get;help'= {
            cand secret 'List secrets (never values), or describe one when NAME is given'
            cand projects 'List projects with their secret counts'
            cand environments 'List the environments in use, with their number of secret variants'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;get;help;secret'= {
        }
        &'vault;get;help;projects'= {
        }
        &'vault;get;help;environments'= {
        }
        &'vault;get;help;help'= {
        }
        &'vault;update'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand secret 'Change part of a secret'
            cand secrets 'Change part of a secret'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;update;secret'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand -e 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)'
            cand --env 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)'
            cand -g 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid'
            cand --generate 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid'
            cand -f 'A file: the local file''s contents, written at DEST when injected'
            cand --file 'A file: the local file''s contents, written at DEST when injected'
            cand --unset 'Remove a variable (repeatable)'
            cand --remove-file 'Remove a file by its destination (repeatable)'
            cand --description 'Replace the description'
            cand --allow-project 'Replace the allow-list of an org-level secret (repeatable)'
            cand --allow-branch 'Replace the branch rule: use the values only on a matching branch (repeatable)'
            cand --rotate-every 'How often the values should change (90d, 12w, …), or `never`'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand --allow-all-projects 'Clear the allow-list: every project may see this org-level secret'
            cand --allow-all-branches 'Clear the branch rule: the values may be used on every branch'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;update;secrets'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand -e 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)'
            cand --env 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)'
            cand -g 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid'
            cand --generate 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid'
            cand -f 'A file: the local file''s contents, written at DEST when injected'
            cand --file 'A file: the local file''s contents, written at DEST when injected'
            cand --unset 'Remove a variable (repeatable)'
            cand --remove-file 'Remove a file by its destination (repeatable)'
            cand --description 'Replace the description'
            cand --allow-project 'Replace the allow-list of an org-level secret (repeatable)'
            cand --allow-branch 'Replace the branch rule: use the values only on a matching branch (repeatable)'
            cand --rotate-every 'How often the values should change (90d, 12w, …), or `never`'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand --allow-all-projects 'Clear the allow-list: every project may see this org-level secret'
            cand --allow-all-branches 'Clear the branch rule: the values may be used on every branch'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;update;help'= {
            cand secret 'Change part of a secret'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;update;help;secret'= {
        }
        &'vault;update;help;help'= {
        }
        &'vault;edit'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand secret 'Edit a secret in $VISUAL or $EDITOR (else vi)'
            cand secrets 'Edit a secret in $VISUAL or $EDITOR (else vi)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;edit;secret'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;edit;secrets'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;edit;help'= {
            cand secret 'Edit a secret in $VISUAL or $EDITOR (else vi)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;edit;help;secret'= {
        }
        &'vault;edit;help;help'= {
        }
        &'vault;delete'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand secret 'Delete a secret (asks on a terminal; --yes otherwise)'
            cand secrets 'Delete a secret (asks on a terminal; --yes otherwise)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;delete;secret'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;delete;secrets'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;delete;help'= {
            cand secret 'Delete a secret (asks on a terminal; --yes otherwise)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;delete;help;secret'= {
        }
        &'vault;delete;help;help'= {
        }
        &'vault;read'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --file 'Print the bytes of the secret''s file with this destination instead, as they are'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -n 'Do not print a newline after the value'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;exec'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand -s 'Inject this secret (repeatable, in order; default: `secrets` in .vault.toml, else all visible)'
            cand --secret 'Inject this secret (repeatable, in order; default: `secrets` in .vault.toml, else all visible)'
            cand --template 'Render TEMPLATE (see `vault inject`) to DEST for the run, like a file (repeatable)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand --mask 'Mask values in the output even on a terminal'
            cand --no-mask 'Do not mask values (also VAULT_MASK=0)'
            cand --pty 'Run the command on a pseudo-terminal and mask what it shows (needs a terminal)'
            cand --dry-run 'Print what would be injected, without values, and run nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;inject'= {
            cand -i 'The template (default: stdin; `-` is stdin too)'
            cand --in-file 'The template (default: stdin; `-` is stdin too)'
            cand -o 'Write the result here, atomically with mode 0600 (default: stdout)'
            cand --out-file 'Write the result here, atomically with mode 0600 (default: stdout)'
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand --force 'Replace OUT if it exists'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;import'= {
            cand --secret 'The secret to create or add to'
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --format 'The file''s format [default: json for *.json, else dotenv]'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;export'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --format 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;unlock'= {
            cand --ttl 'How long the session lasts: 90s, 10m, 1h, 1d'
            cand --shell 'The shell syntax to print'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;lock'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;passwd'= {
            cand --kdf-memory-mib 'New Argon2id memory in MiB (default: keep the current one)'
            cand --kdf-iterations 'New Argon2id iterations (default: keep the current one)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;keygen'= {
            cand -o 'Where to write the identity [default: <config dir>/vault/identity.txt]'
            cand --output 'Where to write the identity [default: <config dir>/vault/identity.txt]'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;member'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a member holding a recipient; with --project, a project member'
            cand remove 'Remove a member and replace every key it could use'
            cand list 'List the members'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;member;add'= {
            cand --recipient 'age1…, an ssh-ed25519/ssh-rsa public key line, or @PATH of a file holding one'
            cand --project 'Make it a project member of P (repeatable): it reads P''s secrets and the org secrets P may see'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;member;remove'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -y 'Do not ask for confirmation (required without a terminal)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;member;list'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;member;help'= {
            cand add 'Add a member holding a recipient; with --project, a project member'
            cand remove 'Remove a member and replace every key it could use'
            cand list 'List the members'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;member;help;add'= {
        }
        &'vault;member;help;remove'= {
        }
        &'vault;member;help;list'= {
        }
        &'vault;member;help;help'= {
        }
        &'vault;rekey'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;upgrade'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;log'= {
            cand -n 'Show only the newest N entries'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;check'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --unread-for 'Also list secrets whose values were not used for this long (90d, 12w, …), or never'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand --all 'Check the secrets of every scope and environment (ignores -p and VAULT_PROJECT)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;git'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand setup 'Make the git work tree around the vault merge and diff it with `vault`'
            cand merge 'Git''s merge driver: merge three versions of the vault file into OURS'
            cand show 'Git''s textconv: a line-per-item view of a vault file, without values'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;git;setup'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;git;merge'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;git;show'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;git;help'= {
            cand setup 'Make the git work tree around the vault merge and diff it with `vault`'
            cand merge 'Git''s merge driver: merge three versions of the vault file into OURS'
            cand show 'Git''s textconv: a line-per-item view of a vault file, without values'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;git;help;setup'= {
        }
        &'vault;git;help;merge'= {
        }
        &'vault;git;help;show'= {
        }
        &'vault;git;help;help'= {
        }
        &'vault;completions'= {
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;__complete'= {
            cand -p 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand --project 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)'
            cand -E 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --environment 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)'
            cand --vault 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]'
            cand --passphrase-file 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)'
            cand --identity 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vault;help'= {
            cand init 'Create a new vault (asks for the passphrase twice on a terminal)'
            cand create 'Create a secret'
            cand get 'List secrets, describe one, or list projects'
            cand update 'Change part of a secret: for scripts and rotation'
            cand edit 'Edit a whole secret as TOML in $VISUAL or $EDITOR'
            cand delete 'Delete a secret'
            cand read 'Print one raw value, for scripts: TOKEN=$(vault read api TOKEN)'
            cand exec 'Run a command with secrets injected as environment variables and files'
            cand inject 'Render a template, replacing each {{ secret(''NAME'', ''KEY'') }} with its value'
            cand import 'Load a .env file or a flat JSON object into a secret'
            cand export 'Print a secret''s variables, quoted so that they read back exactly'
            cand unlock 'Start a session: prints `export VAULT_SESSION=…` for `eval "$(vault unlock)"`'
            cand lock 'End every session of this vault'
            cand passwd 'Change the passphrase (ends every session)'
            cand keygen 'Make an age identity and print its recipient'
            cand member 'Add, remove or list the members who hold a key to the vault'
            cand rekey 'Replace every key of the vault and seal everything again (ends every session)'
            cand upgrade 'Rewrite a vault of an older format in the current one (keeps the old file as .bak)'
            cand log 'Show the audit trail, oldest first'
            cand check 'List secrets due for rotation (or unread too long); exit 1 when any'
            cand git 'Keep the vault in git: set up the merge driver and diff view, or run them'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vault;help;init'= {
        }
        &'vault;help;create'= {
            cand secret 'Create a secret from variables and files'
        }
        &'vault;help;create;secret'= {
        }
        &'vault;help;get'= {
            cand secret 'List secrets (never values), or describe one when NAME is given'
            cand projects 'List projects with their secret counts'
            cand environments 'List the environments in use, with their number of secret variants'
        }
        &'vault;help;get;secret'= {
        }
        &'vault;help;get;projects'= {
        }
        &'vault;help;get;environments'= {
        }
        &'vault;help;update'= {
            cand secret 'Change part of a secret'
        }
        &'vault;help;update;secret'= {
        }
        &'vault;help;edit'= {
            cand secret 'Edit a secret in $VISUAL or $EDITOR (else vi)'
        }
        &'vault;help;edit;secret'= {
        }
        &'vault;help;delete'= {
            cand secret 'Delete a secret (asks on a terminal; --yes otherwise)'
        }
        &'vault;help;delete;secret'= {
        }
        &'vault;help;read'= {
        }
        &'vault;help;exec'= {
        }
        &'vault;help;inject'= {
        }
        &'vault;help;import'= {
        }
        &'vault;help;export'= {
        }
        &'vault;help;unlock'= {
        }
        &'vault;help;lock'= {
        }
        &'vault;help;passwd'= {
        }
        &'vault;help;keygen'= {
        }
        &'vault;help;member'= {
            cand add 'Add a member holding a recipient; with --project, a project member'
            cand remove 'Remove a member and replace every key it could use'
            cand list 'List the members'
        }
        &'vault;help;member;add'= {
        }
        &'vault;help;member;remove'= {
        }
        &'vault;help;member;list'= {
        }
        &'vault;help;rekey'= {
        }
        &'vault;help;upgrade'= {
        }
        &'vault;help;log'= {
        }
        &'vault;help;check'= {
        }
        &'vault;help;git'= {
            cand setup 'Make the git work tree around the vault merge and diff it with `vault`'
            cand merge 'Git''s merge driver: merge three versions of the vault file into OURS'
            cand show 'Git''s textconv: a line-per-item view of a vault file, without values'
        }
        &'vault;help;git;setup'= {
        }
        &'vault;help;git;merge'= {
        }
        &'vault;help;git;show'= {
        }
        &'vault;help;completions'= {
        }
        &'vault;help;__complete'= {
        }
        &'vault;help;help'= {
        }
    ]
    $completions[$command]
}
