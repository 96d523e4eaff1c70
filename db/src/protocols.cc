#include "lims/db/protocols.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "last_insert_id.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

absl::Status ProtocolRepository::Insert(Protocol& protocol, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    soci::session& sql = tx_.session();
    const long long at = absl::ToUnixMicros(now);
    sql << "INSERT INTO protocols (code, name, created_at) VALUES (:c, :n, :t)",
        soci::use(protocol.code), soci::use(protocol.name), soci::use(at);
    protocol.id = LastInsertId(tx_, "protocols");
    int ordinal = 0;
    for (Timepoint& tp : protocol.timepoints) InsertTimepoint(protocol.id, ++ordinal, tp);
    return absl::OkStatus();
  });
}

void ProtocolRepository::InsertTimepoint(int64_t protocol_id, int ordinal, Timepoint& tp) {
  soci::session& sql = tx_.session();
  long long protocol_key = protocol_id;
  sql << "INSERT INTO timepoints (protocol_id, ordinal, code, name, offset_days, "
         "window_before_days, window_after_days) VALUES (:p, :o, :c, :n, :d, :b, :a)",
      soci::use(protocol_key), soci::use(ordinal), soci::use(tp.code), soci::use(tp.name),
      soci::use(tp.offset_days), soci::use(tp.window_before_days), soci::use(tp.window_after_days);
  tp.id = LastInsertId(tx_, "timepoints");
  long long timepoint_id = tp.id;
  for (ExpectedSample& kit : tp.expected_samples) {
    sql << "INSERT INTO expected_samples (timepoint_id, sample_type, sample_count) "
           "VALUES (:t, :s, :c)",
        soci::use(timepoint_id), soci::use(kit.sample_type), soci::use(kit.count);
  }
}

absl::Status ProtocolRepository::AddTimepoints(const Protocol& protocol,
                                               std::vector<Timepoint>& timepoints) {
  return Guarded([&]() -> absl::Status {
    long long protocol_id = protocol.id;
    int last = 0;
    soci::indicator ind = soci::i_null;
    tx_.session() << "SELECT MAX(ordinal) FROM timepoints WHERE protocol_id = :p",
        soci::use(protocol_id), soci::into(last, ind);
    int ordinal = ind == soci::i_ok ? last : 0;
    for (Timepoint& tp : timepoints) InsertTimepoint(protocol.id, ++ordinal, tp);
    return absl::OkStatus();
  });
}

absl::Status ProtocolRepository::LoadTimepoints(Protocol& protocol) {
  soci::session& sql = tx_.session();
  long long protocol_id = protocol.id;
  Timepoint tp;
  long long tp_id = 0;
  {
    soci::statement st =
        (sql.prepare << "SELECT id, code, name, offset_days, window_before_days, "
                        "window_after_days FROM timepoints WHERE protocol_id = :p ORDER BY ordinal",
         soci::use(protocol_id), soci::into(tp_id), soci::into(tp.code), soci::into(tp.name),
         soci::into(tp.offset_days), soci::into(tp.window_before_days),
         soci::into(tp.window_after_days));
    st.execute();
    while (st.fetch()) {
      tp.id = tp_id;
      protocol.timepoints.push_back(tp);
    }
  }
  std::map<int64_t, Timepoint*> by_id;
  for (Timepoint& t : protocol.timepoints) by_id[t.id] = &t;
  ExpectedSample kit;
  soci::statement st =
      (sql.prepare << "SELECT e.timepoint_id, e.sample_type, e.sample_count FROM expected_samples e "
                      "JOIN timepoints t ON t.id = e.timepoint_id WHERE t.protocol_id = :p "
                      "ORDER BY e.id",
       soci::use(protocol_id), soci::into(tp_id), soci::into(kit.sample_type),
       soci::into(kit.count));
  st.execute();
  while (st.fetch()) by_id[tp_id]->expected_samples.push_back(kit);
  return absl::OkStatus();
}

absl::StatusOr<Protocol> ProtocolRepository::FindByCode(const std::string& code) {
  return Guarded([&]() -> absl::StatusOr<Protocol> {
    Protocol protocol;
    long long id = 0;
    const std::string key(code);
    tx_.session() << "SELECT id, code, name FROM protocols WHERE code = :c", soci::use(key),
        soci::into(id), soci::into(protocol.code), soci::into(protocol.name);
    if (!tx_.session().got_data()) {
      return absl::NotFoundError(absl::StrCat("protocol '", code,
                                              "' does not exist; create it first "
                                              "(lims protocol import FILE)"));
    }
    protocol.id = id;
    absl::Status loaded = LoadTimepoints(protocol);
    if (!loaded.ok()) return loaded;
    return protocol;
  });
}

absl::StatusOr<Protocol> ProtocolRepository::FindById(int64_t id) {
  return Guarded([&]() -> absl::StatusOr<Protocol> {
    std::string code;
    long long key = id;
    tx_.session() << "SELECT code FROM protocols WHERE id = :i", soci::use(key), soci::into(code);
    if (!tx_.session().got_data()) return absl::NotFoundError(absl::StrCat("protocol ", id));
    return FindByCode(code);
  });
}

absl::StatusOr<std::vector<Protocol>> ProtocolRepository::List(int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Protocol>> {
    std::vector<Protocol> out;
    {
      Protocol row;
      long long id = 0, after = after_id;
      soci::statement st =
          (tx_.session().prepare
               << "SELECT id, code, name FROM protocols WHERE id > :a ORDER BY id LIMIT :l",
           soci::use(after), soci::use(limit), soci::into(id), soci::into(row.code),
           soci::into(row.name));
      st.execute();
      while (st.fetch()) {
        row.id = id;
        out.push_back(row);
      }
    }
    for (Protocol& p : out) {
      absl::Status loaded = LoadTimepoints(p);
      if (!loaded.ok()) return loaded;
    }
    return out;
  });
}

}  // namespace lims::db
