#include "lims/db/shipments.h"

#include "absl/strings/str_cat.h"
#include "id_list.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr char kSelectShipment[] =
    "SELECT sh.id, sh.direction, sh.status, sh.site_id, si.code, sh.from_site_code, "
    "sh.destination, sh.packaging, sh.courier, sh.tracking_number, sh.logger_id, sh.notes, "
    "sh.manifest_digest, sh.created_by, sh.created_at, sh.dispatched_at, sh.version, "
    "sh.sample_request_id, (SELECT COUNT(*) FROM shipment_items it WHERE it.shipment_id = sh.id AND it.state <> "
    "'unexpected') FROM shipments sh JOIN sites si ON si.id = sh.site_id ";

struct ShipmentRow {
  long long id = 0, site_id = 0, created_at = 0, dispatched_at = 0, version = 0, items = 0,
            request = 0;
  std::string direction, status, site_code, from, destination, packaging, courier, tracking,
      logger, notes, digest, created_by;
  soci::indicator dispatched_ind = soci::i_ok, request_ind = soci::i_ok;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(direction));
    st.exchange(soci::into(status));
    st.exchange(soci::into(site_id));
    st.exchange(soci::into(site_code));
    st.exchange(soci::into(from));
    st.exchange(soci::into(destination));
    st.exchange(soci::into(packaging));
    st.exchange(soci::into(courier));
    st.exchange(soci::into(tracking));
    st.exchange(soci::into(logger));
    st.exchange(soci::into(notes));
    st.exchange(soci::into(digest));
    st.exchange(soci::into(created_by));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(dispatched_at, dispatched_ind));
    st.exchange(soci::into(version));
    st.exchange(soci::into(request, request_ind));
    st.exchange(soci::into(items));
  }
  Shipment ToShipment() const {
    Shipment s;
    s.id = id;
    s.direction = direction == "incoming" ? ShipmentDirection::kIncoming : ShipmentDirection::kOutgoing;
    s.status = ParseShipmentStatus(status).value_or(ShipmentStatus::kDraft);
    s.site_id = site_id;
    s.site_code = site_code;
    s.from_site_code = from;
    s.destination = destination;
    s.packaging = ParsePackaging(packaging).value_or(Packaging::kDryIce);
    s.courier = courier;
    s.tracking_number = tracking;
    s.logger_id = logger;
    s.notes = notes;
    s.manifest_digest = digest;
    s.created_by = created_by;
    s.created_at = absl::FromUnixMicros(created_at);
    if (dispatched_ind == soci::i_ok) s.dispatched_at = absl::FromUnixMicros(dispatched_at);
    s.version = version;
    s.item_count = static_cast<int>(items);
    s.sample_request_id = request_ind == soci::i_ok ? request : 0;
    return s;
  }
};

const char* DirectionName(ShipmentDirection d) {
  return d == ShipmentDirection::kIncoming ? "incoming" : "outgoing";
}

}  // namespace

absl::Status ShipmentRepository::Insert(Shipment& s, const std::string& manifest_json,
                                        const std::string& import_digest) {
  return Guarded([&]() -> absl::Status {
    if (!import_digest.empty()) {
      long long seen = 0;
      std::string key = import_digest;
      tx_.session() << "SELECT id FROM shipments WHERE import_digest = :d", soci::use(key),
          soci::into(seen);
      if (tx_.session().got_data()) {
        return absl::AlreadyExistsError(absl::StrCat(
            "this manifest was imported before, as shipment ", seen,
            "; receive its tubes there (lims ship receive ", seen, ")"));
      }
    }
    const std::string direction = DirectionName(s.direction);
    const std::string status(ShipmentStatusName(s.status));
    const std::string packaging(PackagingName(s.packaging));
    const long long site = s.site_id, at = absl::ToUnixMicros(s.created_at);
    std::string digest = import_digest;
    soci::indicator digest_ind = import_digest.empty() ? soci::i_null : soci::i_ok;
    long long request = s.sample_request_id;
    soci::indicator request_ind = request == 0 ? soci::i_null : soci::i_ok;
    tx_.session() << "INSERT INTO shipments (direction, status, site_id, from_site_code, "
                     "destination, packaging, courier, tracking_number, logger_id, notes, "
                     "manifest_digest, manifest_json, import_digest, created_by, created_at, "
                     "dispatched_at, version, sample_request_id) VALUES (:dir, :st, :site, :from, "
                     ":dest, :pack, :cour, :track, :log, :notes, :md, :mj, :id, :by, :at, NULL, 0, "
                     ":req)",
        soci::use(direction), soci::use(status), soci::use(site), soci::use(s.from_site_code),
        soci::use(s.destination), soci::use(packaging), soci::use(s.courier),
        soci::use(s.tracking_number), soci::use(s.logger_id), soci::use(s.notes),
        soci::use(s.manifest_digest), soci::use(manifest_json), soci::use(digest, digest_ind),
        soci::use(s.created_by), soci::use(at), soci::use(request, request_ind);
    s.id = LastInsertId(tx_, "shipments");
    s.version = 0;
    return absl::OkStatus();
  });
}

absl::Status ShipmentRepository::Update(Shipment& s) {
  return Guarded([&]() -> absl::Status {
    const std::string status(ShipmentStatusName(s.status));
    long long dispatched = s.dispatched_at ? absl::ToUnixMicros(*s.dispatched_at) : 0;
    soci::indicator dispatched_ind = s.dispatched_at ? soci::i_ok : soci::i_null;
    long long id = s.id, version = s.version;
    soci::statement st =
        (tx_.session().prepare << "UPDATE shipments SET status = :s, manifest_digest = :d, "
                                  "dispatched_at = :at, version = version + 1 "
                                  "WHERE id = :id AND version = :v",
         soci::use(status), soci::use(s.manifest_digest), soci::use(dispatched, dispatched_ind),
         soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::AbortedError(
          absl::StrCat("shipment ", s.id, " was changed by someone else meanwhile; retry"));
    }
    ++s.version;
    return absl::OkStatus();
  });
}

absl::Status ShipmentRepository::SetManifest(int64_t id, const std::string& manifest_json) {
  return Guarded([&]() -> absl::Status {
    long long key = id;
    tx_.session() << "UPDATE shipments SET manifest_json = :m WHERE id = :id",
        soci::use(manifest_json), soci::use(key);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::string> ShipmentRepository::Manifest(int64_t id) {
  return Guarded([&]() -> absl::StatusOr<std::string> {
    long long key = id;
    std::string manifest;
    tx_.session() << "SELECT manifest_json FROM shipments WHERE id = :id", soci::use(key),
        soci::into(manifest);
    if (!tx_.session().got_data()) return absl::NotFoundError(absl::StrCat("shipment ", id));
    return manifest;
  });
}

absl::StatusOr<Shipment> ShipmentRepository::FindById(int64_t id) {
  return Guarded([&]() -> absl::StatusOr<Shipment> {
    ShipmentRow row;
    long long key = id;
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(key));
    Prepare(st, absl::StrCat(kSelectShipment, "WHERE sh.id = :i"));
    st.execute();
    if (!st.fetch()) {
      return absl::NotFoundError(absl::StrCat("shipment ", id, " does not exist (lims ship list)"));
    }
    return row.ToShipment();
  });
}

absl::StatusOr<std::vector<Shipment>> ShipmentRepository::List(const std::vector<int64_t>& site_ids,
                                                               bool all_sites, int64_t after_id,
                                                               int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Shipment>> {
    std::vector<Shipment> out;
    if (!all_sites && site_ids.empty()) return out;
    ShipmentRow row;
    long long after = after_id;
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(after));
    st.exchange(soci::use(limit));
    const std::string sites =
        all_sites ? "" : absl::StrCat(" AND sh.site_id IN (", IdList(site_ids), ")");
    Prepare(st, absl::StrCat(kSelectShipment, "WHERE sh.id > :a", sites, " ORDER BY sh.id LIMIT :l"));
    st.execute();
    while (st.fetch()) out.push_back(row.ToShipment());
    return out;
  });
}

absl::StatusOr<std::vector<Shipment>> ShipmentRepository::ListForRequest(int64_t sample_request_id) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Shipment>> {
    std::vector<Shipment> out;
    ShipmentRow row;
    long long request = sample_request_id;
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(request));
    Prepare(st, absl::StrCat(kSelectShipment, "WHERE sh.sample_request_id = :r ORDER BY sh.id"));
    st.execute();
    while (st.fetch()) out.push_back(row.ToShipment());
    return out;
  });
}

absl::Status ShipmentRepository::InsertItem(ShipmentItem& item) {
  return Guarded([&]() -> absl::Status {
    long long shipment = item.shipment_id, sample = item.sample_id, seen = 0;
    tx_.session() << "SELECT id FROM shipment_items WHERE shipment_id = :s AND barcode = :b",
        soci::use(shipment), soci::use(item.barcode), soci::into(seen);
    if (tx_.session().got_data()) {
      return absl::AlreadyExistsError(
          absl::StrCat(item.barcode, " is on shipment ", item.shipment_id, " already"));
    }
    soci::indicator sample_ind = item.sample_id == 0 ? soci::i_null : soci::i_ok;
    long long amount = item.quantity.canonical_amount();
    const std::string unit = item.quantity.canonical_unit();
    const std::string state(ItemStateName(item.state));
    const std::string condition = item.condition ? std::string(ItemConditionName(*item.condition)) : "";
    tx_.session() << "INSERT INTO shipment_items (shipment_id, sample_id, barcode, sample_type, "
                     "quantity_amount, quantity_unit, packed_box, packed_position, state, "
                     "item_condition, resolution) VALUES (:sh, :sa, :b, :t, :qa, :qu, :box, :pos, "
                     ":st, :c, :r)",
        soci::use(shipment), soci::use(sample, sample_ind), soci::use(item.barcode),
        soci::use(item.sample_type), soci::use(amount), soci::use(unit), soci::use(item.packed_box),
        soci::use(item.packed_position), soci::use(state), soci::use(condition),
        soci::use(item.resolution);
    item.id = LastInsertId(tx_, "shipment_items");
    return absl::OkStatus();
  });
}

absl::Status ShipmentRepository::UpdateItem(const ShipmentItem& item) {
  return Guarded([&]() -> absl::Status {
    const std::string state(ItemStateName(item.state));
    const std::string condition = item.condition ? std::string(ItemConditionName(*item.condition)) : "";
    long long id = item.id;
    tx_.session() << "UPDATE shipment_items SET state = :s, item_condition = :c, resolution = :r "
                     "WHERE id = :id",
        soci::use(state), soci::use(condition), soci::use(item.resolution), soci::use(id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ShipmentItem>> ShipmentRepository::Items(int64_t shipment_id) {
  return Guarded([&]() -> absl::StatusOr<std::vector<ShipmentItem>> {
    std::vector<ShipmentItem> out;
    long long id = 0, sample = 0, amount = 0, key = shipment_id;
    soci::indicator sample_ind = soci::i_ok;
    std::string barcode, type, unit, box, position, state, condition, resolution;
    soci::statement st =
        (tx_.session().prepare << "SELECT id, sample_id, barcode, sample_type, quantity_amount, "
                                  "quantity_unit, packed_box, packed_position, state, "
                                  "item_condition, resolution FROM shipment_items "
                                  "WHERE shipment_id = :s ORDER BY id",
         soci::use(key), soci::into(id), soci::into(sample, sample_ind), soci::into(barcode),
         soci::into(type), soci::into(amount), soci::into(unit), soci::into(box),
         soci::into(position), soci::into(state), soci::into(condition), soci::into(resolution));
    st.execute();
    while (st.fetch()) {
      ShipmentItem item;
      item.id = id;
      item.shipment_id = shipment_id;
      item.sample_id = sample_ind == soci::i_null ? 0 : sample;
      item.barcode = barcode;
      item.sample_type = type;
      auto quantity = Quantity::FromCanonical(amount, unit);
      if (quantity.ok()) item.quantity = *quantity;
      item.packed_box = box;
      item.packed_position = position;
      item.state = ParseItemState(state).value_or(ItemState::kExpected);
      item.condition = ParseItemCondition(condition);
      item.resolution = resolution;
      out.push_back(std::move(item));
    }
    return out;
  });
}

}  // namespace lims::db
