// AuditLog::Verify: the chain re-computed from the first event, a page at a time.
#include "absl/strings/str_cat.h"
#include "audit_rows.h"
#include "lims/db/audit_hash.h"
#include "lims/db/audit_log.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr int kPageSize = 1000;

ChainCheck Broken(ChainCheck check, int64_t event_id, std::string problem) {
  check.ok = false;
  check.first_broken_event_id = event_id;
  check.problem = std::move(problem);
  return check;
}

}  // namespace

absl::StatusOr<ChainCheck> AuditLog::Verify(const std::optional<ChainAnchor>& anchor) {
  ChainCheck check;
  std::string expected_prev;  // hash of the last verified event; "" before the first
  int64_t last_id = 0;
  // Set once the head said events up to this id exist: an empty page then means they are gone.
  int64_t promised = 0;
  const AuditFilter everything;
  for (;;) {
    auto page = List(everything, last_id, kPageSize);
    if (!page.ok()) return page.status();
    if (page->empty() && promised > last_id) {
      return Broken(check, promised,
                    absl::StrCat("the trail ends at event ", last_id,
                                 " but the chain head records event ", promised,
                                 " as the newest: the newest events were deleted"));
    }
    for (const AuditEvent& e : *page) {
      ++check.events_checked;
      if (e.prev_hash != expected_prev) {
        return Broken(check, e.id,
                      absl::StrCat("event ", e.id, " does not link to event ", last_id,
                                   " before it: an event was deleted or inserted there, or its "
                                   "link was edited"));
      }
      if (ChainHash(e.prev_hash, e) != e.hash) {
        return Broken(check, e.id,
                      absl::StrCat("the content of event ", e.id,
                                   " does not match its hash: the event was edited"));
      }
      if (anchor && e.id == anchor->event_id && e.hash != anchor->hash) {
        return Broken(check, e.id,
                      absl::StrCat("event ", e.id, " no longer has the hash kept in the anchor: "
                                   "the trail was rewritten up to there"));
      }
      if (anchor && last_id < anchor->event_id && e.id > anchor->event_id) {
        return Broken(check, e.id,
                      absl::StrCat("the anchor's event ", anchor->event_id,
                                   " is not in the trail any more: it was deleted"));
      }
      expected_prev = e.hash;
      last_id = e.id;
    }
    if (static_cast<int>(page->size()) == kPageSize) continue;

    // The end of the table as this page saw it; the head is read after it, so it accounts for
    // every event the page could see (an event and the head change in one transaction).
    auto head = Guarded([&]() -> absl::StatusOr<std::optional<ChainHead>> {
      return ReadChainHead(tx_, /*lock=*/false);
    });
    if (!head.ok()) return head.status();
    if (!head->has_value()) {
      return Broken(check, last_id, "the chain head (row 1 of audit_chain_head) was deleted");
    }
    const ChainHead& end = **head;
    if (end.last_event_id == last_id) {
      if (end.last_hash != expected_prev) {
        return Broken(check, last_id,
                      absl::StrCat("the chain head does not match event ", last_id,
                                   ": the event or the head was rewritten"));
      }
      if (anchor && anchor->event_id > last_id) {
        return Broken(check, last_id,
                      absl::StrCat("the trail ends at event ", last_id, " before the anchor's "
                                   "event ", anchor->event_id, ": events were deleted"));
      }
      check.head_event_id = last_id;
      check.head_hash = expected_prev;
      return check;
    }
    if (end.last_event_id < last_id) {
      auto after_head = List(everything, end.last_event_id, 1);
      if (!after_head.ok()) return after_head.status();
      const int64_t first_extra = after_head->empty() ? last_id : after_head->front().id;
      return Broken(check, first_extra,
                    absl::StrCat("event ", first_extra, " comes after the chain head (event ",
                                 end.last_event_id, "): it was not appended by the LIMS"));
    }
    promised = end.last_event_id;  // events were appended meanwhile: read on
  }
}

}  // namespace lims::db
