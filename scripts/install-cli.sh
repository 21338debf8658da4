#!/usr/bin/env bash
# Installs what a shell user of dmajournal expects beside the binary: the man page
# (`man dmajournal`, one page per subcommand too: `man dmajournal.query`) and completions
# for bash, zsh and fish. Both are generated from the command-line definitions
# (swift-argument-parser's generate-manual plugin and --generate-completion-script), so
# they never disagree with `--help`. As root they go under /usr/local and the system
# completion folders, otherwise under ~/.local/share. Called by scripts/install-deps.sh
# outside CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -eq 0 ]; then
    man_dir=/usr/local/share/man/man1
    bash_dir=/usr/share/bash-completion/completions
    zsh_dir=/usr/local/share/zsh/site-functions
    fish_dir=/usr/share/fish/vendor_completions.d
else
    man_dir="$HOME/.local/share/man/man1"
    bash_dir="$HOME/.local/share/bash-completion/completions"
    zsh_dir="$HOME/.local/share/zsh/site-functions"
    fish_dir="$HOME/.local/share/fish/vendor_completions.d"
fi
echo "building dmajournal and its man pages" >&2
swift build --product dmajournal >&2
swift package --allow-writing-to-package-directory generate-manual --multi-page >&2
tool=$(swift build --show-bin-path)/dmajournal
mkdir -p "$man_dir" "$bash_dir" "$zsh_dir" "$fish_dir"
find .build/plugins/GenerateManual/outputs -name 'dmajournal*.1' -exec cp {} "$man_dir/" \;
"$tool" --generate-completion-script bash > "$bash_dir/dmajournal"
"$tool" --generate-completion-script zsh > "$zsh_dir/_dmajournal"
"$tool" --generate-completion-script fish > "$fish_dir/dmajournal.fish"
command -v mandb >/dev/null && mandb -q "$man_dir/.." 2>/dev/null || true
echo "installed: man pages in $man_dir, completions for bash, zsh and fish" >&2
