// The bench's offline queue: scans made while lims-server could not be reached, one JSON object
// a line, each with the time it was scanned and the request_id it will be sent with, so that
// `lims scan --replay` applies each exactly once however often it is replayed. The file is
// locked (flock) while it is written, so a session appending and a replay rewriting it cannot
// lose a scan.
#ifndef LIMS_CLI_OFFLINE_QUEUE_H_
#define LIMS_CLI_OFFLINE_QUEUE_H_

#include <string>
#include <vector>

namespace lims::cli {

struct QueuedScan {
  std::string scanned_at;  // RFC 3339, UTC
  std::string code;        // as the scanner typed it
  std::string request_id;
  // A placement session's target; empty for a look-up.
  std::string box_id;
  std::string position;
};

// Appends one scan and flushes it to the disk before returning. CliError when the file cannot
// be written.
void AppendToQueue(const std::string& path, const QueuedScan& scan);

// Every scan in the file, in order ([] when it does not exist). CliError, naming the line, for
// a line that is not a queued scan.
std::vector<QueuedScan> ReadQueue(const std::string& path);

// Replaces the file's content by `remaining` (written to a temporary file, then renamed over
// it), unless scans were appended since `read_count` were read: those are kept after
// `remaining`.
void RewriteQueue(const std::string& path, size_t read_count,
                  const std::vector<QueuedScan>& remaining);

}  // namespace lims::cli

#endif  // LIMS_CLI_OFFLINE_QUEUE_H_
