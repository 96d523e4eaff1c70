// Where `lims` finds the API token it sends as `authorization: Bearer TOKEN`, and where
// `lims login` keeps it. Tokens are secrets: nothing here prints or logs one.
#ifndef LIMS_CLI_CREDENTIALS_H_
#define LIMS_CLI_CREDENTIALS_H_

#include <string>

namespace lims::cli {

struct Token {
  std::string value;  // empty: no token found (calls go out without one)
  // For messages: where `value` came from ("LIMS_TOKEN", "/home/x/.config/lims/token", ...), or,
  // without a value, where we looked.
  std::string source;
};

// $XDG_CONFIG_HOME/lims/token when XDG_CONFIG_HOME is an absolute path, else
// ~/.config/lims/token.
std::string StoredTokenPath();

// The token for the calls of this invocation: from `token_file` when given (--token-file), else
// from the environment variable LIMS_TOKEN, else from StoredTokenPath() if that file exists.
// Throws CliError (usage) when a file that should hold the token cannot be read or holds
// something that is not a token.
Token FindToken(const std::string& token_file);

// The token in a file (surrounding white space, such as the trailing newline, ignored). Warns on
// stderr when other users may read the file. Throws CliError (usage).
std::string ReadTokenFile(const std::string& path);

// A token from standard input: typed or pasted on a terminal without echo (the prompt goes to
// stderr), else the whole input. Throws CliError (usage) when there is none.
std::string ReadTokenFromStdin();

// Throws CliError (usage) unless `token` is 1 to 4096 printable ASCII characters without spaces
// (anything else cannot travel in gRPC metadata). `source` names it in the message.
void CheckToken(const std::string& token, const std::string& source);

// Replaces StoredTokenPath() with `token` atomically: the directory gets mode 0700 (created if
// needed), the file 0600. Returns the path. Throws CliError on failure.
std::string StoreToken(const std::string& token);

}  // namespace lims::cli

#endif  // LIMS_CLI_CREDENTIALS_H_
