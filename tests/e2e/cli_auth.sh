#!/usr/bin/env bash
# End-to-end: the `lims` command line against a real lims-server with authentication. Logging in
# from a token file and from standard input, whoami, users and their tokens, revocation, and the
# exit codes scripts rely on: 9 without a valid token, 10 outside one's role or sites.
#
#   tests/e2e/cli_auth.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS
#
# It starts its own server (temporary SQLite database, free loopback port) and a private
# XDG_CONFIG_HOME, so neither the caller's login nor LIMS_TOKEN takes part.
set -euo pipefail

SERVER_BIN=${1:?usage: cli_auth.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}
LIMS_BIN=${2:?usage: cli_auth.sh PATH_TO_LIMS_SERVER PATH_TO_LIMS}

# shellcheck source=tests/e2e/cli_harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_harness.sh" auth
admin_token=$admin_token_file
ok "lims-server answers; without a token lims exits with 9"

expect 9 lims whoami
grep -q 'not logged in or token revoked: run `lims login`' "$TMP/err" ||
  fail "the message says how to log in"
[[ $(stat -c %a "$admin_token") == 600 ]] || fail "$admin_token has mode 0600"
ok "the admin token file exists with mode 0600"

expect 9 env LIMS_TOKEN=lims_forged "$LIMS_BIN" --server "$address" site list
ok "a forged token exits with 9"

expect 0 lims login --token-file "$admin_token"
grep -q "as admin" "$TMP/out" || fail "login says who we are"
[[ $(stat -c %a "$XDG_CONFIG_HOME/lims") == 700 ]] || fail "the token directory has mode 0700"
[[ $(stat -c %a "$XDG_CONFIG_HOME/lims/token") == 600 ]] || fail "the stored token has mode 0600"
cmp -s "$admin_token" "$XDG_CONFIG_HOME/lims/token" || fail "the stored token is the admin's"
ok "lims login --token-file stores the token (0700 directory, 0600 file)"

expect 0 lims --json whoami
grep -q '"ROLE_ADMIN"' "$TMP/out" || fail "whoami --json names the role"
ok "whoami answers with the stored token"

expect 0 lims site create PSL Paris Saint-Louis
expect 0 lims site create LYO Lyon
expect 0 lims patient create LYO-0001 --site LYO
expect 2 lims user create x --role chief --site PSL
ok "sites, a patient of LYO; an unknown role is a usage error (2)"

expect 0 lims --json user create tech.psl --role technician --site PSL
python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <"$TMP/out" >"$TMP/tech.token"
chmod 600 "$TMP/tech.token"
expect 0 lims user create coord.lyo --role coordinator --site LYO
grep -q "shown only this once" "$TMP/out" || fail "user create warns that the token is shown once"
expect 6 lims user create tech.psl --role technician --site PSL
ok "user create prints the token once (text and --json); a second one exits with 6"

expect 0 lims user list
grep -q "tech.psl  *technician  *PSL" "$TMP/out" || fail "user list shows tech.psl"
ok "user list"

expect 0 lims --token-file "$TMP/tech.token" whoami
grep -q "tech.psl" "$TMP/out" || fail "whoami with --token-file"
expect 10 lims --token-file "$TMP/tech.token" user list
expect 10 lims --token-file "$TMP/tech.token" patient show LYO-0001
expect 10 lims --token-file "$TMP/tech.token" site create NEW New site
ok "a technician gets 10 for users, another site's patient and creating a site"

expect 0 env XDG_CONFIG_HOME="$TMP/config-tech" "$LIMS_BIN" --server "$address" login \
  <"$TMP/tech.token"
expect 0 env XDG_CONFIG_HOME="$TMP/config-tech" "$LIMS_BIN" --server "$address" whoami
grep -q "tech.psl" "$TMP/out" || fail "login from standard input"
ok "lims login reads the token from standard input"

expect 0 lims user revoke tech.psl
expect 9 lims --token-file "$TMP/tech.token" whoami
expect 9 env XDG_CONFIG_HOME="$TMP/config-tech" "$LIMS_BIN" --server "$address" login \
  --token-file "$TMP/tech.token"
ok "after user revoke the token exits with 9, and login refuses it"

expect 0 lims --json user token tech.psl
python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <"$TMP/out" >"$TMP/tech.token"
expect 0 lims --token-file "$TMP/tech.token" whoami
ok "user token issues a working token again"

# A token never crosses the network in plaintext unless asked: 192.0.2.1 is TEST-NET, never
# reached (the refusal comes before any connection).
expect 2 "$LIMS_BIN" --server 192.0.2.1:50051 --token-file "$TMP/tech.token" whoami
grep -q "refusing to send your token in plaintext to 192.0.2.1:50051" "$TMP/err" ||
  { cat "$TMP/err" >&2; fail "plaintext off loopback"; }
ok "plaintext to a server off this machine is refused without --insecure (exit 2)"

# The audit chain's head kept outside the database, and checked against later.
expect 0 lims --token-file "$admin_token_file" audit anchor --out "$TMP/anchor"
grep -q '^hash [0-9a-f]\{64\}$' "$TMP/anchor" || { cat "$TMP/anchor" >&2; fail "anchor file"; }
expect 0 lims --token-file "$admin_token_file" audit verify --anchor "$TMP/anchor"
sed 's/^hash .*/hash 0000000000000000000000000000000000000000000000000000000000000000/' \
  "$TMP/anchor" >"$TMP/forged-anchor"
expect 5 lims --token-file "$admin_token_file" audit verify --anchor "$TMP/forged-anchor"
grep -q "no longer has the hash kept in the anchor" "$TMP/out" || { cat "$TMP/out" >&2; fail "anchor"; }
ok "lims audit anchor writes the chain's head; verify --anchor checks it (exit 5 when it is not there)"

echo "cli_auth: $passed passed"
