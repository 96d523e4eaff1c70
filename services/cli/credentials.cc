#include "credentials.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.h"
#include "output.h"

namespace lims::cli {
namespace {

constexpr size_t kMaxTokenLength = 4096;

std::string ErrnoText() { return std::strerror(errno); }

std::string HomeDirectory() {
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home == '/') return home;
  const passwd* entry = getpwuid(getuid());
  if (entry != nullptr && entry->pw_dir != nullptr && *entry->pw_dir == '/') return entry->pw_dir;
  throw CliError(kExitOther, "cannot tell where the token is stored: HOME is not set");
}

// mkdir -p, each directory it creates with `mode`.
void MakeDirectories(const std::string& path, mode_t mode) {
  struct stat info;
  if (stat(path.c_str(), &info) == 0) {
    if (!S_ISDIR(info.st_mode)) throw CliError(kExitOther, path + " is not a directory");
    return;
  }
  const size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) MakeDirectories(path.substr(0, slash), mode);
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    throw CliError(kExitOther, "cannot create " + path + ": " + ErrnoText());
  }
}

// While a token is typed without echo, a signal must not leave the terminal silent.
termios g_saved_terminal;
volatile std::sig_atomic_t g_echo_off = 0;

void RestoreTerminalAndDie(int signal_number) {
  if (g_echo_off) tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_terminal);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &g_saved_terminal) != 0) return;
    termios quiet = g_saved_terminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;  // Enter still moves to the next line
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(s, RestoreTerminalAndDie);
    g_echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (g_echo_off) tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_terminal);
    g_echo_off = 0;
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(s, SIG_DFL);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;
};

}  // namespace

std::string StoredTokenPath() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  const std::string base =
      config != nullptr && *config == '/' ? std::string(config) : HomeDirectory() + "/.config";
  return base + "/lims/token";
}

void CheckToken(const std::string& token, const std::string& source) {
  if (token.empty()) throw CliError(kExitUsage, source + " holds no token");
  if (token.size() > kMaxTokenLength) {
    throw CliError(kExitUsage, source + " holds no token (longer than " +
                                   std::to_string(kMaxTokenLength) + " characters)");
  }
  for (char c : token) {
    if (c <= 0x20 || c >= 0x7f) {
      throw CliError(kExitUsage, source +
                                     " holds no token (a token is one word of printable ASCII "
                                     "characters, as `lims user create` printed it)");
    }
  }
}

std::string ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot read the token file " + path + ": " + ErrnoText());
  std::ostringstream text;
  text << in.rdbuf();
  const std::string token = Trim(text.str());
  CheckToken(token, path);
  struct stat info;
  if (stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    std::cerr << "warning: other users may read the token file " << path << "; run: chmod 600 "
              << path << "\n";
  }
  return token;
}

Token FindToken(const std::string& token_file) {
  if (!token_file.empty()) return {ReadTokenFile(token_file), "--token-file " + token_file};
  if (const char* env = std::getenv("LIMS_TOKEN"); env != nullptr && *env != '\0') {
    const std::string token = Trim(env);
    CheckToken(token, "LIMS_TOKEN");
    return {token, "LIMS_TOKEN"};
  }
  const std::string stored = StoredTokenPath();
  if (access(stored.c_str(), F_OK) != 0) {
    return {"", "--token-file not given, LIMS_TOKEN not set and no " + stored};
  }
  return {ReadTokenFile(stored), stored};
}

std::string ReadTokenFromStdin() {
  std::string text;
  if (isatty(STDIN_FILENO)) {
    std::cerr << "Paste the token (it is not shown) and press Enter: " << std::flush;
    EchoOff quiet;
    std::getline(std::cin, text);
  } else {
    std::ostringstream all;
    all << std::cin.rdbuf();
    text = all.str();
  }
  const std::string token = Trim(text);
  if (token.empty()) {
    throw CliError(kExitUsage,
                   "no token given: paste it, pipe it in or use --token-file FILE");
  }
  CheckToken(token, "standard input");
  return token;
}

std::string StoreToken(const std::string& token) {
  const std::string path = StoredTokenPath();
  const std::string dir = path.substr(0, path.rfind('/'));
  MakeDirectories(dir, 0700);
  if (chmod(dir.c_str(), 0700) != 0) {
    throw CliError(kExitOther, "cannot make " + dir + " private (mode 0700): " + ErrnoText());
  }
  // Written next to the target and renamed over it: a reader never sees half a token.
  std::string temp = dir + "/.token.XXXXXX";
  const int fd = mkstemp(temp.data());  // mode 0600
  if (fd < 0) throw CliError(kExitOther, "cannot write in " + dir + ": " + ErrnoText());
  const std::string line = token + "\n";
  const bool written = fchmod(fd, 0600) == 0 &&
                       write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       fsync(fd) == 0;
  const std::string error = ErrnoText();
  close(fd);
  if (!written || rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = written ? ErrnoText() : error;
    unlink(temp.c_str());
    throw CliError(kExitOther, "cannot store the token in " + path + ": " + why);
  }
  return path;
}

}  // namespace lims::cli
