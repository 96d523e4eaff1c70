#include "lims/db/completeness_query.h"

#include "absl/strings/str_cat.h"
#include "dialect.h"
#include "lims/core/timepoint_window.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

absl::StatusOr<CompletenessPage> CompletenessQuery::Load(int64_t protocol_id, int64_t site_id,
                                                         int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<CompletenessPage> {
    CompletenessPage page;
    long long r = protocol_id, s = site_id, after = after_id;
    {
      long long id = 0, patient_id = 0, row_site_id = 0, row_protocol_id = 0;
      std::string registry_id, site_code, protocol_code, anchor;
      soci::statement st(tx_.session());
      for (long long* v : {&id, &patient_id, &row_site_id, &row_protocol_id}) {
        st.exchange(soci::into(*v));
      }
      st.exchange(soci::into(registry_id));
      st.exchange(soci::into(site_code));
      st.exchange(soci::into(protocol_code));
      st.exchange(soci::into(anchor));
      for (long long* v : {&after, &r, &r, &s, &s}) st.exchange(soci::use(*v));
      st.exchange(soci::use(limit));
      Prepare(st,
              absl::StrCat(
                  "SELECT ", JoinInWrittenOrder(tx_.backend()),
                  "e.id, e.patient_id, pa.site_id, e.protocol_id, pa.registry_id, si.code, "
                  "pr.code, e.anchor_date FROM enrollments e "
                  "JOIN patients pa ON pa.id = e.patient_id JOIN sites si ON si.id = pa.site_id "
                  "JOIN protocols pr ON pr.id = e.protocol_id "
                  "WHERE e.id > :a AND (:r = 0 OR e.protocol_id = :r2) "
                  "AND (:s = 0 OR pa.site_id = :s2) ORDER BY e.id LIMIT :l"));
      st.execute();
      while (st.fetch()) {
        CompletenessEnrollment e;
        e.enrollment_id = id;
        e.patient_id = patient_id;
        e.site_id = row_site_id;
        e.protocol_id = row_protocol_id;
        e.patient_registry_id = registry_id;
        e.site_code = site_code;
        e.protocol_code = protocol_code;
        auto day = ParseIsoDate(anchor);
        if (!day.ok()) {
          throw soci::soci_error("corrupt anchor_date in enrollment " + std::to_string(id));
        }
        e.anchor_date = *day;
        page.enrollments.push_back(std::move(e));
      }
    }
    if (page.enrollments.empty()) return page;
    // The same filters over the id range of the page: exactly its enrollments.
    long long last = page.enrollments.back().enrollment_id;
    long long enrollment_id = 0, timepoint_id = 0, count = 0;
    std::string sample_type;
    soci::statement st(tx_.session());
    st.exchange(soci::into(enrollment_id));
    st.exchange(soci::into(timepoint_id));
    st.exchange(soci::into(sample_type));
    st.exchange(soci::into(count));
    for (long long* v : {&after, &last, &after, &last, &r, &r, &s, &s}) {
      st.exchange(soci::use(*v));
    }
    // The page's id range on both tables, so that each planner walks the page's enrollments
    // (SQLite ix_samples_enrollment, MariaDB the enrollments' key); COALESCE keeps both off
    // ix_samples_parent, whose "IS NULL" would take in every primary tube of the database.
    Prepare(st,
            "SELECT s.enrollment_id, s.timepoint_id, s.sample_type, COUNT(*) FROM samples s "
            "JOIN enrollments e ON e.id = s.enrollment_id "
            "JOIN patients pa ON pa.id = e.patient_id "
            "WHERE COALESCE(s.parent_id, 0) = 0 AND e.id > :a AND e.id <= :b "
            "AND s.enrollment_id > :a2 AND s.enrollment_id <= :b2 "
            "AND (:r = 0 OR e.protocol_id = :r2) AND (:s = 0 OR pa.site_id = :s2) "
            "GROUP BY s.enrollment_id, s.timepoint_id, s.sample_type");
    st.execute();
    while (st.fetch()) {
      page.counts.push_back({enrollment_id, timepoint_id, sample_type, static_cast<int>(count)});
    }
    return page;
  });
}

}  // namespace lims::db
