// What a file import found wrong, line by line: every error counted, the first kMaxListed kept
// for the answer (a file of a million bad lines must not make a million-line answer). One for
// every CSV import of the services.
#ifndef LIMS_SERVICES_COMMON_IMPORT_ERRORS_H_
#define LIMS_SERVICES_COMMON_IMPORT_ERRORS_H_

#include <string>
#include <utility>
#include <vector>

namespace lims::services {

struct ImportError {
  int line = 0;  // physical line where the record starts; the header is line 1
  std::string message;
};

class ImportErrors {
 public:
  static constexpr int kMaxListed = 10000;

  void Add(int line, std::string message) {
    ++count_;
    if (static_cast<int>(listed_.size()) < kMaxListed)
      listed_.push_back({line, std::move(message)});
  }
  int count() const { return count_; }
  std::vector<ImportError>& listed() { return listed_; }

 private:
  int count_ = 0;
  std::vector<ImportError> listed_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_IMPORT_ERRORS_H_
