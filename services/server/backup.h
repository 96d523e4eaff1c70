// `lims-server backup --db URL --to DIR`: a backup that restores, taken while the servers run.
//   SQLite:  DIR/lims.db, a consistent copy by SQLite's online backup API.
//   MariaDB: DIR/mariadb/, a physical copy by mariadb-backup (run on the database's machine: it
//            reads the data directory), prepared at once so that it can be copied back as is.
// Before the copy starts, the audit chain is verified on the live database and its head
// written to DIR/chain-head (the format of `lims audit anchor`): every change acknowledged
// before then is in the copy, and `lims audit verify --anchor DIR/chain-head` on a restored
// server proves it. Keep a copy of chain-head away from the backups. DIR/backup.txt says what
// was copied and how to restore it (docs/operations.md). The database is only read: no
// migration, nothing written. A failed backup leaves DIR empty (mariadb-backup's log goes
// beside it, DIR.mariadb-backup.log).
#ifndef LIMS_SERVICES_SERVER_BACKUP_H_
#define LIMS_SERVICES_SERVER_BACKUP_H_

#include <string>

namespace lims::services {

struct BackupOptions {
  std::string db_url;
  std::string to_dir;  // created; must not exist, or be empty
  // The installation's signing key, copied in as DIR/signing-key (mode 0600); "" = none.
  std::string signing_key_file;
};

// Takes the backup, logging each step; returns the process exit code (0 done; 1 failed, with
// the reason logged; 5 copied but the audit chain was already broken).
int RunBackup(const BackupOptions& options);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_BACKUP_H_
