#include "lims/db/evacuations.h"

#include "absl/strings/str_cat.h"
#include "last_insert_id.h"
#include "like_pattern.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

absl::Status EvacuationRepository::Insert(EvacuationPlan& plan) {
  return Guarded([&]() -> absl::Status {
    long long from = plan.from_unit_id, to = plan.to_unit_id, back = plan.put_back_of,
              at = absl::ToUnixMicros(plan.created_at);
    soci::indicator back_ind = plan.put_back_of == 0 ? soci::i_null : soci::i_ok;
    tx_.session() << "INSERT INTO evacuation_plans (from_unit_id, to_unit_id, put_back_of, "
                     "created_by, created_at) VALUES (:f, :t, :b, :u, :a)",
        soci::use(from), soci::use(to), soci::use(back, back_ind), soci::use(plan.created_by),
        soci::use(at);
    plan.id = LastInsertId(tx_, "evacuation_plans");
    long long id = plan.id, unit = 0, from_parent = 0, to_parent = 0, tubes = 0, critical = 0,
              withdrawn = 0;
    int ordinal = 0;
    soci::statement st =
        (tx_.session().prepare << "INSERT INTO evacuation_moves (plan_id, ordinal, unit_id, "
                                  "from_parent_id, to_parent_id, tubes, critical_tubes, "
                                  "withdrawn_tubes) VALUES (:p, :o, :u, :f, :t, :n, :c, :w)",
         soci::use(id), soci::use(ordinal), soci::use(unit), soci::use(from_parent),
         soci::use(to_parent), soci::use(tubes), soci::use(critical), soci::use(withdrawn));
    for (const EvacuationMove& m : plan.moves) {
      unit = m.unit_id;
      from_parent = m.from_parent_id;
      to_parent = m.to_parent_id;
      tubes = m.tubes;
      critical = m.critical_tubes;
      withdrawn = m.withdrawn_tubes;
      st.execute(true);
      ++ordinal;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<EvacuationPlan> EvacuationRepository::FindById(int64_t id) {
  return Guarded([&]() -> absl::StatusOr<EvacuationPlan> {
    EvacuationPlan plan;
    long long key = id, from = 0, to = 0, back = 0, at = 0;
    soci::indicator back_ind = soci::i_null;
    tx_.session() << "SELECT from_unit_id, to_unit_id, put_back_of, created_by, created_at "
                     "FROM evacuation_plans WHERE id = :i",
        soci::use(key), soci::into(from), soci::into(to), soci::into(back, back_ind),
        soci::into(plan.created_by), soci::into(at);
    if (!tx_.session().got_data()) {
      return absl::NotFoundError(absl::StrCat("no evacuation plan ", id));
    }
    plan.id = id;
    plan.from_unit_id = from;
    plan.to_unit_id = to;
    plan.put_back_of = back_ind == soci::i_ok ? back : 0;
    plan.created_at = absl::FromUnixMicros(at);
    EvacuationMove m;
    long long unit = 0, from_parent = 0, to_parent = 0, tubes = 0, critical = 0, withdrawn = 0;
    soci::statement st =
        (tx_.session().prepare << "SELECT unit_id, from_parent_id, to_parent_id, tubes, "
                                  "critical_tubes, withdrawn_tubes FROM evacuation_moves "
                                  "WHERE plan_id = :p ORDER BY ordinal",
         soci::use(key), soci::into(unit), soci::into(from_parent), soci::into(to_parent),
         soci::into(tubes), soci::into(critical), soci::into(withdrawn));
    st.execute();
    while (st.fetch()) {
      plan.moves.push_back({unit, from_parent, to_parent, tubes, critical, withdrawn});
    }
    return plan;
  });
}

absl::StatusOr<TubeCounts> EvacuationRepository::CountTubes(int64_t unit_id,
                                                            const std::string& path,
                                                            const std::string& today) {
  return Guarded([&]() -> absl::StatusOr<TubeCounts> {
    long long unit = unit_id, tubes = 0, critical = 0, withdrawn = 0;
    std::string day = today;
    // "timepoint_id + 0" keeps the planner off the criteria index (one timepoint holds most
    // tubes): the other tubes of a patient are found by enrollment, a handful of rows. A
    // withdrawal counts when no later grant of its scope (by day, then by id) undid it.
    const std::string below = BelowPath(path);
    tx_.session()
        << "SELECT COUNT(*), COUNT(CASE WHEN EXISTS (SELECT 1 FROM sample_reservations r "
           "WHERE r.sample_id = s.id) OR EXISTS (SELECT 1 FROM product_samples ps WHERE "
           "ps.sample_id = s.id) OR NOT EXISTS (SELECT 1 FROM samples o WHERE "
           "o.enrollment_id = s.enrollment_id AND o.timepoint_id + 0 = s.timepoint_id AND "
           "o.sample_type = s.sample_type AND o.id <> s.id AND EXISTS (SELECT 1 FROM "
           "placements op WHERE op.sample_id = o.id)) THEN 1 END), "
           "COUNT(CASE WHEN EXISTS (SELECT 1 FROM enrollments e JOIN consent_events c ON "
           "c.patient_id = e.patient_id WHERE e.id = s.enrollment_id AND c.scope IN "
           "('storage', 'research') AND c.action = 'withdraw' AND c.effective_on <= :d AND "
           "NOT EXISTS (SELECT 1 FROM consent_events g WHERE g.patient_id = c.patient_id AND "
           "g.scope = c.scope AND g.effective_on <= :d2 AND (g.effective_on > c.effective_on OR "
           "(g.effective_on = c.effective_on AND g.id > c.id)))) THEN 1 END) "
           "FROM placements pl JOIN samples s ON s.id = pl.sample_id WHERE " +
               std::string(kPlacedUnder),
        soci::use(day), soci::use(day), soci::use(unit), soci::use(below), soci::into(tubes),
        soci::into(critical), soci::into(withdrawn);
    return TubeCounts{tubes, critical, withdrawn};
  });
}

}  // namespace lims::db
