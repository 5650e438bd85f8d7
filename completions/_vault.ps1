
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'vault' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'vault'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'vault' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a new vault (asks for the passphrase twice on a terminal)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a secret')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'List secrets, describe one, or list projects')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change part of a secret: for scripts and rotation')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Edit a whole secret as TOML in $VISUAL or $EDITOR')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a secret')
            [CompletionResult]::new('read', 'read', [CompletionResultType]::ParameterValue, 'Print one raw value, for scripts: TOKEN=$(vault read api TOKEN)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with secrets injected as environment variables and files')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Render a template, replacing each {{ secret(''NAME'', ''KEY'') }} with its value')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Load a .env file or a flat JSON object into a secret')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a secret''s variables, quoted so that they read back exactly')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Start a session: prints `export VAULT_SESSION=…` for `eval "$(vault unlock)"`')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'End every session of this vault')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase (ends every session)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make an age identity and print its recipient')
            [CompletionResult]::new('member', 'member', [CompletionResultType]::ParameterValue, 'Add, remove or list the members who hold a key to the vault')
            [CompletionResult]::new('rekey', 'rekey', [CompletionResultType]::ParameterValue, 'Replace every key of the vault and seal everything again (ends every session)')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Rewrite a vault of an older format in the current one (keeps the old file as .bak)')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit trail, oldest first')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'List secrets due for rotation (or unread too long); exit 1 when any')
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Keep the vault in git: set up the merge driver and diff view, or run them')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;init' {
            [CompletionResult]::new('--kdf-memory-mib', '--kdf-memory-mib', [CompletionResultType]::ParameterName, 'Argon2id memory in MiB (default 160; at least 64 is recommended)')
            [CompletionResult]::new('--kdf-iterations', '--kdf-iterations', [CompletionResultType]::ParameterName, 'Argon2id iterations (default 3)')
            [CompletionResult]::new('--recipient', '--recipient', [CompletionResultType]::ParameterName, 'Make the one member this recipient (age1…, an ssh-ed25519/ssh-rsa key, or @PATH) instead of a passphrase')
            [CompletionResult]::new('--member', '--member', [CompletionResultType]::ParameterName, 'The member''s name with --recipient [default: your login name]')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;create' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Create a secret from variables and files')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Create a secret from variables and files')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;create;secret' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file: the local file''s contents, written at DEST when injected')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A file: the local file''s contents, written at DEST when injected')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from a .env file')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'A description of the secret')
            [CompletionResult]::new('--allow-project', '--allow-project', [CompletionResultType]::ParameterName, 'Org-level secrets only: the projects allowed to see it (repeatable; default all)')
            [CompletionResult]::new('--allow-branch', '--allow-branch', [CompletionResultType]::ParameterName, 'Use the values only on a branch matching GLOB (repeatable; `*` any run, `?` one character)')
            [CompletionResult]::new('--rotate-every', '--rotate-every', [CompletionResultType]::ParameterName, 'How often the values should change: 90d, 12w, … (`vault check` reports it when due)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;create;secrets' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file: the local file''s contents, written at DEST when injected')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A file: the local file''s contents, written at DEST when injected')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from a .env file')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'A description of the secret')
            [CompletionResult]::new('--allow-project', '--allow-project', [CompletionResultType]::ParameterName, 'Org-level secrets only: the projects allowed to see it (repeatable; default all)')
            [CompletionResult]::new('--allow-branch', '--allow-branch', [CompletionResultType]::ParameterName, 'Use the values only on a branch matching GLOB (repeatable; `*` any run, `?` one character)')
            [CompletionResult]::new('--rotate-every', '--rotate-every', [CompletionResultType]::ParameterName, 'How often the values should change: 90d, 12w, … (`vault check` reports it when due)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;create;help' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Create a secret from variables and files')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;create;help;secret' {
            break
        }
        'vault;create;help;help' {
            break
        }
        'vault;get' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'List secrets (never values), or describe one when NAME is given')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'List secrets (never values), or describe one when NAME is given')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'List projects with their secret counts')
            [CompletionResult]::new('project', 'project', [CompletionResultType]::ParameterValue, 'List projects with their secret counts')
            [CompletionResult]::new('environments', 'environments', [CompletionResultType]::ParameterValue, 'List the environments in use, with their number of secret variants')
            [CompletionResult]::new('environment', 'environment', [CompletionResultType]::ParameterValue, 'List the environments in use, with their number of secret variants')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;get;secret' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'List only secrets whose name or description contains TEXT')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List the secrets of every scope (ignores -p and VAULT_PROJECT)')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Show the values too (recorded in the audit trail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;get;secrets' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'List only secrets whose name or description contains TEXT')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List the secrets of every scope (ignores -p and VAULT_PROJECT)')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Show the values too (recorded in the audit trail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;get;projects' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;get;project' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;get;environments' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;get;environment' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;get;help' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'List secrets (never values), or describe one when NAME is given')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'List projects with their secret counts')
            [CompletionResult]::new('environments', 'environments', [CompletionResultType]::ParameterValue, 'List the environments in use, with their number of secret variants')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;get;help;secret' {
            break
        }
        'vault;get;help;projects' {
            break
        }
        'vault;get;help;environments' {
            break
        }
        'vault;get;help;help' {
            break
        }
        'vault;update' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Change part of a secret')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Change part of a secret')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;update;secret' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file: the local file''s contents, written at DEST when injected')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A file: the local file''s contents, written at DEST when injected')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a variable (repeatable)')
            [CompletionResult]::new('--remove-file', '--remove-file', [CompletionResultType]::ParameterName, 'Remove a file by its destination (repeatable)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Replace the description')
            [CompletionResult]::new('--allow-project', '--allow-project', [CompletionResultType]::ParameterName, 'Replace the allow-list of an org-level secret (repeatable)')
            [CompletionResult]::new('--allow-branch', '--allow-branch', [CompletionResultType]::ParameterName, 'Replace the branch rule: use the values only on a matching branch (repeatable)')
            [CompletionResult]::new('--rotate-every', '--rotate-every', [CompletionResultType]::ParameterName, 'How often the values should change (90d, 12w, …), or `never`')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('--allow-all-projects', '--allow-all-projects', [CompletionResultType]::ParameterName, 'Clear the allow-list: every project may see this org-level secret')
            [CompletionResult]::new('--allow-all-branches', '--allow-all-branches', [CompletionResultType]::ParameterName, 'Clear the branch rule: the values may be used on every branch')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;update;secrets' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A variable: KEY=VALUE, or KEY alone to type the value hidden (or pipe it on stdin)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'A variable set to a fresh random value, never printed. SPEC: N letters and digits (8-1024; default 32), hex:N or base64:N (N random bytes, 8-512), or uuid')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file: the local file''s contents, written at DEST when injected')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A file: the local file''s contents, written at DEST when injected')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a variable (repeatable)')
            [CompletionResult]::new('--remove-file', '--remove-file', [CompletionResultType]::ParameterName, 'Remove a file by its destination (repeatable)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Replace the description')
            [CompletionResult]::new('--allow-project', '--allow-project', [CompletionResultType]::ParameterName, 'Replace the allow-list of an org-level secret (repeatable)')
            [CompletionResult]::new('--allow-branch', '--allow-branch', [CompletionResultType]::ParameterName, 'Replace the branch rule: use the values only on a matching branch (repeatable)')
            [CompletionResult]::new('--rotate-every', '--rotate-every', [CompletionResultType]::ParameterName, 'How often the values should change (90d, 12w, …), or `never`')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('--allow-all-projects', '--allow-all-projects', [CompletionResultType]::ParameterName, 'Clear the allow-list: every project may see this org-level secret')
            [CompletionResult]::new('--allow-all-branches', '--allow-all-branches', [CompletionResultType]::ParameterName, 'Clear the branch rule: the values may be used on every branch')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;update;help' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Change part of a secret')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;update;help;secret' {
            break
        }
        'vault;update;help;help' {
            break
        }
        'vault;edit' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Edit a secret in $VISUAL or $EDITOR (else vi)')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Edit a secret in $VISUAL or $EDITOR (else vi)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;edit;secret' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;edit;secrets' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;edit;help' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Edit a secret in $VISUAL or $EDITOR (else vi)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;edit;help;secret' {
            break
        }
        'vault;edit;help;help' {
            break
        }
        'vault;delete' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Delete a secret (asks on a terminal; --yes otherwise)')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Delete a secret (asks on a terminal; --yes otherwise)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;delete;secret' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;delete;secrets' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;delete;help' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Delete a secret (asks on a terminal; --yes otherwise)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;delete;help;secret' {
            break
        }
        'vault;delete;help;help' {
            break
        }
        'vault;read' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Print the bytes of the secret''s file with this destination instead, as they are')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Do not print a newline after the value')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;exec' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Inject this secret (repeatable, in order; default: `secrets` in .vault.toml, else all visible)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Inject this secret (repeatable, in order; default: `secrets` in .vault.toml, else all visible)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Render TEMPLATE (see `vault inject`) to DEST for the run, like a file (repeatable)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Mask values in the output even on a terminal')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not mask values (also VAULT_MASK=0)')
            [CompletionResult]::new('--pty', '--pty', [CompletionResultType]::ParameterName, 'Run the command on a pseudo-terminal and mask what it shows (needs a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be injected, without values, and run nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;inject' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The template (default: stdin; `-` is stdin too)')
            [CompletionResult]::new('--in-file', '--in-file', [CompletionResultType]::ParameterName, 'The template (default: stdin; `-` is stdin too)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result here, atomically with mode 0600 (default: stdout)')
            [CompletionResult]::new('--out-file', '--out-file', [CompletionResultType]::ParameterName, 'Write the result here, atomically with mode 0600 (default: stdout)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace OUT if it exists')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;import' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The secret to create or add to')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The file''s format [default: json for *.json, else dotenv]')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;export' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;unlock' {
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'How long the session lasts: 90s, 10m, 1h, 1d')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'The shell syntax to print')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;lock' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;passwd' {
            [CompletionResult]::new('--kdf-memory-mib', '--kdf-memory-mib', [CompletionResultType]::ParameterName, 'New Argon2id memory in MiB (default: keep the current one)')
            [CompletionResult]::new('--kdf-iterations', '--kdf-iterations', [CompletionResultType]::ParameterName, 'New Argon2id iterations (default: keep the current one)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;keygen' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the identity [default: <config dir>/vault/identity.txt]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the identity [default: <config dir>/vault/identity.txt]')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;member' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a member holding a recipient; with --project, a project member')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member and replace every key it could use')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the members')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;member;add' {
            [CompletionResult]::new('--recipient', '--recipient', [CompletionResultType]::ParameterName, 'age1…, an ssh-ed25519/ssh-rsa public key line, or @PATH of a file holding one')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Make it a project member of P (repeatable): it reads P''s secrets and the org secrets P may see')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;member;remove' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;member;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;member;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a member holding a recipient; with --project, a project member')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member and replace every key it could use')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the members')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;member;help;add' {
            break
        }
        'vault;member;help;remove' {
            break
        }
        'vault;member;help;list' {
            break
        }
        'vault;member;help;help' {
            break
        }
        'vault;rekey' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;upgrade' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;log' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show only the newest N entries')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;check' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--unread-for', '--unread-for', [CompletionResultType]::ParameterName, 'Also list secrets whose values were not used for this long (90d, 12w, …), or never')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Check the secrets of every scope and environment (ignores -p and VAULT_PROJECT)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;git' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Make the git work tree around the vault merge and diff it with `vault`')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Git''s merge driver: merge three versions of the vault file into OURS')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Git''s textconv: a line-per-item view of a vault file, without values')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;git;setup' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;git;merge' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;git;show' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;git;help' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Make the git work tree around the vault merge and diff it with `vault`')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Git''s merge driver: merge three versions of the vault file into OURS')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Git''s textconv: a line-per-item view of a vault file, without values')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;git;help;setup' {
            break
        }
        'vault;git;help;merge' {
            break
        }
        'vault;git;help;show' {
            break
        }
        'vault;git;help;help' {
            break
        }
        'vault;completions' {
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;__complete' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The project (else VAULT_PROJECT, else `project` in .vault.toml; else org level)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment: dev, staging, prod, … (else VAULT_ENVIRONMENT, else `[branches]` or `environment` in .vault.toml; else none)')
            [CompletionResult]::new('--vault', '--vault', [CompletionResultType]::ParameterName, 'The vault file [default: $XDG_DATA_HOME/vault/vault.toml]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'Read the passphrase from the first line of this file (also VAULT_PASSPHRASE_FILE)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Open the vault with this age identity file or unencrypted OpenSSH key (also VAULT_IDENTITY_FILE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a new vault (asks for the passphrase twice on a terminal)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a secret')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'List secrets, describe one, or list projects')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change part of a secret: for scripts and rotation')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Edit a whole secret as TOML in $VISUAL or $EDITOR')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a secret')
            [CompletionResult]::new('read', 'read', [CompletionResultType]::ParameterValue, 'Print one raw value, for scripts: TOKEN=$(vault read api TOKEN)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with secrets injected as environment variables and files')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Render a template, replacing each {{ secret(''NAME'', ''KEY'') }} with its value')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Load a .env file or a flat JSON object into a secret')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a secret''s variables, quoted so that they read back exactly')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Start a session: prints `export VAULT_SESSION=…` for `eval "$(vault unlock)"`')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'End every session of this vault')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase (ends every session)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make an age identity and print its recipient')
            [CompletionResult]::new('member', 'member', [CompletionResultType]::ParameterValue, 'Add, remove or list the members who hold a key to the vault')
            [CompletionResult]::new('rekey', 'rekey', [CompletionResultType]::ParameterValue, 'Replace every key of the vault and seal everything again (ends every session)')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Rewrite a vault of an older format in the current one (keeps the old file as .bak)')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit trail, oldest first')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'List secrets due for rotation (or unread too long); exit 1 when any')
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Keep the vault in git: set up the merge driver and diff view, or run them')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;help;init' {
            break
        }
        'vault;help;create' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Create a secret from variables and files')
            break
        }
        'vault;help;create;secret' {
            break
        }
        'vault;help;get' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'List secrets (never values), or describe one when NAME is given')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'List projects with their secret counts')
            [CompletionResult]::new('environments', 'environments', [CompletionResultType]::ParameterValue, 'List the environments in use, with their number of secret variants')
            break
        }
        'vault;help;get;secret' {
            break
        }
        'vault;help;get;projects' {
            break
        }
        'vault;help;get;environments' {
            break
        }
        'vault;help;update' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Change part of a secret')
            break
        }
        'vault;help;update;secret' {
            break
        }
        'vault;help;edit' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Edit a secret in $VISUAL or $EDITOR (else vi)')
            break
        }
        'vault;help;edit;secret' {
            break
        }
        'vault;help;delete' {
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Delete a secret (asks on a terminal; --yes otherwise)')
            break
        }
        'vault;help;delete;secret' {
            break
        }
        'vault;help;read' {
            break
        }
        'vault;help;exec' {
            break
        }
        'vault;help;inject' {
            break
        }
        'vault;help;import' {
            break
        }
        'vault;help;export' {
            break
        }
        'vault;help;unlock' {
            break
        }
        'vault;help;lock' {
            break
        }
        'vault;help;passwd' {
            break
        }
        'vault;help;keygen' {
            break
        }
        'vault;help;member' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a member holding a recipient; with --project, a project member')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member and replace every key it could use')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the members')
            break
        }
        'vault;help;member;add' {
            break
        }
        'vault;help;member;remove' {
            break
        }
        'vault;help;member;list' {
            break
        }
        'vault;help;rekey' {
            break
        }
        'vault;help;upgrade' {
            break
        }
        'vault;help;log' {
            break
        }
        'vault;help;check' {
            break
        }
        'vault;help;git' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Make the git work tree around the vault merge and diff it with `vault`')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Git''s merge driver: merge three versions of the vault file into OURS')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Git''s textconv: a line-per-item view of a vault file, without values')
            break
        }
        'vault;help;git;setup' {
            break
        }
        'vault;help;git;merge' {
            break
        }
        'vault;help;git;show' {
            break
        }
        'vault;help;completions' {
            break
        }
        'vault;help;__complete' {
            break
        }
        'vault;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
