// Logging in and managing users and their API tokens (UserService).
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli.h"
#include "credentials.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

constexpr char kRoles[] = "technician, manager, coordinator, researcher or admin";

// "technician", "manager", ...
std::string RoleName(v1::Role role) {
  std::string name = v1::Role_Name(role);
  if (name.rfind("ROLE_", 0) == 0) name = name.substr(5);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// The inverse of RoleName (case-insensitive); ROLE_UNSPECIFIED when unknown.
v1::Role ParseRole(const std::string& text) {
  std::string name = "ROLE_";
  for (char c : text) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  v1::Role role;
  if (!text.empty() && v1::Role_Parse(name, &role)) return role;
  return v1::ROLE_UNSPECIFIED;
}

std::string SitesText(const v1::User& user) {
  if (user.site_codes().empty()) {
    return user.role() == v1::ROLE_ADMIN ? "every site" : "no site";
  }
  std::string out;
  for (const auto& code : user.site_codes()) {
    if (!out.empty()) out += ", ";
    out += code;
  }
  return out;
}

// "technician at PSL", "admin at every site".
std::string Describe(const v1::User& user) {
  return RoleName(user.role()) + " at " + SitesText(user);
}

// A new token, shown this once: the server keeps only its hash.
void PrintNewToken(const std::string& username, const std::string& token) {
  std::cout << "\n"
            << Style::Warn("The token of " + username +
                           " is shown only this once (the server keeps only its hash):")
            << "\n  " << token << "\n\n"
            << "Hand it over privately. " << username
            << " logs in with `lims login` and pastes it (or saves it in a file with mode 0600 "
               "and runs `lims login --token-file FILE`).\n";
}

void AddLoginCommand(CLI::App& app, Cli& cli) {
  auto* login = app.add_subcommand(
      "login", "Check an API token with the server and store it for the next commands");
  // The same variable as the global option: `lims --token-file F login` works too.
  login
      ->add_option("--token-file", cli.options.token_file,
                   "read the token from FILE (default: standard input; typed or pasted on a "
                   "terminal, it is not shown)")
      ->type_name("FILE");
  cli.OnRun(login, [&cli] {
    const bool from_file = !cli.options.token_file.empty();
    const std::string token =
        from_file ? ReadTokenFile(cli.options.token_file) : ReadTokenFromStdin();
    cli.UseToken(token, from_file ? cli.options.token_file : "standard input");
    v1::WhoAmIResponse who;
    try {
      cli.client().Call([&](grpc::ClientContext* context) {
        return cli.client().users().WhoAmI(context, v1::WhoAmIRequest(), &who);
      });
    } catch (const RpcError& error) {
      if (error.status().error_code() != grpc::StatusCode::UNAUTHENTICATED) throw;
      throw CliError(kExitUnauthenticated, "lims-server at " + cli.options.server +
                                               " does not accept this token (unknown or "
                                               "revoked); nothing was stored");
    }
    const std::string path = StoreToken(token);
    if (cli.options.json) {
      PrintJson(who);
    } else {
      std::cout << "Logged in to " << cli.options.server << " as "
                << Style::Bold(who.user().username()) << " (" << Describe(who.user()) << ").\n"
                << "Token stored in " << path << " (mode 0600).\n";
    }
    if (const char* env = std::getenv("LIMS_TOKEN"); env != nullptr && *env != '\0') {
      std::cerr << "warning: LIMS_TOKEN is set and takes precedence over the stored token; "
                   "unset it to use the stored one\n";
    }
    return 0;
  });
}

void AddWhoAmICommand(CLI::App& app, Cli& cli) {
  auto* whoami = app.add_subcommand("whoami", "Who the server takes you for: user, role, sites");
  cli.OnRun(whoami, [&cli] {
    v1::WhoAmIResponse who;
    cli.client().Call([&](grpc::ClientContext* context) {
      return cli.client().users().WhoAmI(context, v1::WhoAmIRequest(), &who);
    });
    if (PrintedJson(cli.options.json, who)) return 0;
    PrintKeyValues(std::cout, {{"User", Style::Bold(who.user().username())},
                               {"Role", RoleName(who.user().role())},
                               {"Sites", SitesText(who.user())},
                               {"Server", cli.options.server},
                               {"Token from", cli.options.token_source}});
    return 0;
  });
}

// The first line of `path` (or of standard input when empty), without its line end: secrets are
// never taken from the command line, where `ps` and the shell history would keep them.
std::string ReadSecretLine(const std::string& path, const char* what) {
  std::string line;
  if (path.empty()) {
    std::getline(std::cin, line);
  } else {
    std::ifstream in(path);
    if (!in) throw CliError(kExitUsage, "cannot read " + path);
    std::getline(in, line);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw CliError(kExitUsage, std::string("give ") + what + " on the first line");
  return line;
}

void AddUserCreateCommand(CLI::App* user, Cli& cli) {
  struct CreateArgs {
    std::string username;
    std::string role;
    std::vector<std::string> sites;
  };
  auto create_args = std::make_shared<CreateArgs>();
  auto* create = user->add_subcommand(
      "create", "Create a user and print their first token: lims user create tech.psl --role "
                "technician --site PSL");
  create->add_option("NAME", create_args->username, "user name, e.g. jdupont or tech.psl")
      ->required();
  create->add_option("--role", create_args->role, kRoles)->required()->type_name("ROLE");
  create
      ->add_option("--site", create_args->sites,
                   "a site the user works for (repeat, or separate with commas); every role "
                   "but admin needs one")
      ->delimiter(',')
      ->allow_extra_args(false)  // `--site PSL NAME` must not take NAME for a site
      ->type_name("CODE");
  cli.OnRun(create, [&cli, create_args] {
    const v1::Role role = ParseRole(create_args->role);
    if (role == v1::ROLE_UNSPECIFIED) {
      throw CliError(kExitUsage,
                     "--role \"" + create_args->role + "\" is not a role; choose " + kRoles);
    }
    v1::CreateUserRequest request;
    request.set_username(Trim(create_args->username));
    request.set_role(role);
    for (const auto& site : create_args->sites) {
      if (!Trim(site).empty()) request.add_site_codes(Trim(site));
    }
    const v1::CreateUserResponse response =
        cli.client().Mutate(&Client::users, &v1::UserService::Stub::CreateUser, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "User " << Style::Bold(response.user().username())
              << " created: " << Describe(response.user()) << ".\n";
    PrintNewToken(response.user().username(), response.token());
    return 0;
  });
}

void AddUserListCommand(CLI::App* user, Cli& cli) {
  auto* list = user->add_subcommand("list", "List the users, their roles and sites");
  cli.OnRun(list, [&cli] {
    auto all = ListAll<v1::ListUsersRequest, v1::ListUsersResponse>(
        cli.client(), v1::ListUsersRequest(),
        [&](grpc::ClientContext* context, const v1::ListUsersRequest& request,
            v1::ListUsersResponse* response) {
          return cli.client().users().ListUsers(context, request, response);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    Table table({"USER", "ROLE", "SITES", "TOKENS", "PASSWORD"});
    for (const auto& u : all.users()) {
      table.AddRow({u.username(), RoleName(u.role()), SitesText(u),
                    u.revoked() ? Style::Warn("revoked") : "active",
                    u.has_password() ? "set" : "none"});
    }
    table.Print(std::cout);
    return 0;
  });
}

void AddUserTokenCommand(CLI::App* user, Cli& cli) {
  auto token_user = std::make_shared<std::string>();
  auto* token = user->add_subcommand(
      "token", "Issue a new token for a user (after a revocation or a lost token)");
  token->add_option("NAME", *token_user, "user name")->required();
  auto token_expires = std::make_shared<std::string>();
  token->add_option("--expires", *token_expires,
                    "the last day it works, YYYY-MM-DD (UTC); default: until revoked")
      ->type_name("DATE");
  cli.OnRun(token, [&cli, token_user, token_expires] {
    v1::IssueTokenRequest request;
    request.set_username(Trim(*token_user));
    request.set_expires_on(Trim(*token_expires));
    const v1::IssueTokenResponse response =
        cli.client().Mutate(&Client::users, &v1::UserService::Stub::IssueToken, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "New token issued for " << Style::Bold(request.username())
              << (response.has_expires_at()
                      ? " (works until " + FormatTimestamp(response.expires_at()) + ")"
                      : "")
              << ".\n";
    PrintNewToken(request.username(), response.token());
    std::cout << "Earlier tokens of " << request.username()
              << " stay valid: if one was lost, run `lims user revoke " << request.username()
              << "` first, then issue a new one.\n";
    return 0;
  });
}

void AddUserPasswordCommand(CLI::App* user, Cli& cli) {
  struct PasswordArgs {
    std::string username;
    std::string file;
  };
  auto password_args = std::make_shared<PasswordArgs>();
  auto* password = user->add_subcommand(
      "password",
      "Set a user's password for the browser app (admins: anyone's; others: their own), read "
      "from the first line of --file or of standard input: lims user password tech.psl < pw.txt");
  password->add_option("NAME", password_args->username, "user name")->required();
  password->add_option("--file", password_args->file,
                       "a file whose first line is the new password (default: standard input)");
  cli.OnRun(password, [&cli, password_args] {
    v1::SetPasswordRequest request;
    request.set_username(Trim(password_args->username));
    request.set_password(ReadSecretLine(password_args->file, "the new password"));
    const v1::SetPasswordResponse response =
        cli.client().Mutate(&Client::users, &v1::UserService::Stub::SetPassword, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "Password of " << Style::Bold(request.username())
              << " set: they log in to the browser app with it.\n";
    return 0;
  });
}

void AddUserRevokeCommand(CLI::App* user, Cli& cli) {
  auto revoke_user = std::make_shared<std::string>();
  auto* revoke = user->add_subcommand(
      "revoke", "Revoke every token of a user at once (they are refused from now on)");
  revoke->add_option("NAME", *revoke_user, "user name")->required();
  cli.OnRun(revoke, [&cli, revoke_user] {
    v1::RevokeTokenRequest request;
    request.set_username(Trim(*revoke_user));
    const v1::RevokeTokenResponse response =
        cli.client().Mutate(&Client::users, &v1::UserService::Stub::RevokeToken, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    const int n = response.tokens_revoked();
    std::cout << "Revoked " << n << (n == 1 ? " token" : " tokens") << " of "
              << Style::Bold(request.username()) << ". A new one: lims user token "
              << request.username() << "\n";
    return 0;
  });
}

void AddUserGroup(CLI::App& app, Cli& cli) {
  auto* user = app.add_subcommand("user", "Users and their API tokens (admins only)");
  user->require_subcommand(1);
  AddUserCreateCommand(user, cli);
  AddUserListCommand(user, cli);
  AddUserTokenCommand(user, cli);
  AddUserPasswordCommand(user, cli);
  AddUserRevokeCommand(user, cli);
}

}  // namespace

void AddUserCommands(CLI::App& app, Cli& cli) {
  AddLoginCommand(app, cli);
  AddWhoAmICommand(app, cli);
  AddUserGroup(app, cli);
}

}  // namespace lims::cli
